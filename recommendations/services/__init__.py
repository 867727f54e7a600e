"""Writes. Every rule about what may change lives here (and, for approved updates, in the database too).

Services are plain functions, keyword-only and typed, named `<entity>_<verb>`, split by resource. Those
that write history take the moment as `at`, so the demo can record 2019–2021 with real dates.
"""

from .due_dates import due_date_move
from .engagements import CPC_CORE_COMPONENTS, engagement_create, engagement_update, peer_add, peer_remove, theme_set
from .evidence import EvidenceLink, evidence_add_link, evidence_attach, evidence_from_staged
from .people import (
    council_create,
    council_settings_update,
    member_invite,
    member_invite_resend,
    membership_change_role,
    membership_deactivate,
    membership_set,
)
from .plan import (
    StaleEdit,
    action_add,
    action_build,
    action_update,
    recommendation_add,
    recommendation_build,
    recommendation_update,
)
from .positions import positions_refresh
from .progress import (
    AlreadySubmitted,
    OpenUpdateExists,
    StagedUploadGone,
    UpdateWaiting,
    open_update,
    update_create,
    update_delete,
    update_record,
    update_save,
    update_submit,
    update_withdraw,
    waiting_update,
)
from .reviews import (
    ReviewConflict,
    position_update_before,
    update_approve,
    update_return,
)
from .rounds import open_items, round_close, round_item_remove, round_open
from .uploads import (
    StorageQuotaExceeded,
    upload_discard,
    upload_stage,
    uploads_clean,
)

__all__ = [
    "open_items",
    "round_close",
    "round_item_remove",
    "round_open",
    "CPC_CORE_COMPONENTS",
    "AlreadySubmitted",
    "OpenUpdateExists",
    "ReviewConflict",
    "UpdateWaiting",
    "StaleEdit",
    "action_add",
    "action_build",
    "action_update",
    "council_create",
    "council_settings_update",
    "due_date_move",
    "engagement_create",
    "engagement_update",
    "EvidenceLink",
    "StagedUploadGone",
    "StorageQuotaExceeded",
    "evidence_from_staged",
    "upload_discard",
    "upload_stage",
    "uploads_clean",
    "evidence_add_link",
    "evidence_attach",
    "member_invite",
    "member_invite_resend",
    "membership_change_role",
    "membership_deactivate",
    "membership_set",
    "peer_add",
    "peer_remove",
    "recommendation_add",
    "recommendation_build",
    "recommendation_update",
    "theme_set",
    "update_approve",
    "update_create",
    "update_delete",
    "update_record",
    "update_return",
    "update_save",
    "update_submit",
    "update_withdraw",
    "waiting_update",
    "open_update",
    "position_update_before",
    "positions_refresh",
]
