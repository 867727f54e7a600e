"""The core model (DESIGN.md §2), split by resource."""

from .accounts import User
from .choices import FINISHED_STATUSES, Rag, Status
from .councils import Council, Directorate, Membership
from .engagements import Engagement, EngagementKind, Peer, Theme
from .imports import ImportMapping, PendingImport
from .plan import Action, DueDateChange, Item, Recommendation
from .progress import Evidence, ProgressUpdate, UpdateLocked
from .rounds import Reminder, RoundItem, UpdateRound
from .uploads import StagedUpload, StorageUse, storage_used

__all__ = [
    "FINISHED_STATUSES",
    "Item",
    "Action",
    "Council",
    "Directorate",
    "DueDateChange",
    "Engagement",
    "EngagementKind",
    "Evidence",
    "ImportMapping",
    "Membership",
    "Peer",
    "PendingImport",
    "ProgressUpdate",
    "Rag",
    "Recommendation",
    "Reminder",
    "RoundItem",
    "StagedUpload",
    "Status",
    "StorageUse",
    "Theme",
    "UpdateLocked",
    "UpdateRound",
    "User",
    "storage_used",
]
