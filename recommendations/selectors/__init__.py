"""Reads. Every look-up of council data starts from the user's memberships, so nothing outside a
user's councils can be reached: it answers 404, which does not confirm that it exists.

By resource: `councils` (memberships, where every read starts), `items` (recommendations and actions),
`position` (every value as at a date), `progress` (updates as each member may see them), `evidence`, and
`setup` (engagements, themes, peers, directorates, owners). Callers use `selectors.<name>`."""

from .councils import councils_for, get_or_404, member_get, members_for, membership_get
from .drift import position_drift
from .evidence import evidence_for, evidence_get, evidence_kept_for, evidence_supporting
from .items import (
    action_get,
    actions_for,
    approved_updates_for,
    due_date_changes_for,
    engagements_for,
    item_history_at_version,
    recommendation_get,
    recommendations_for,
)
from .latest import join_latest_approved, join_record, record_column, record_join, related_column, update_column
from .position import (
    due_soon,
    end_of_day,
    latest_approved,
    local_today,
    moved,
    with_due_flags,
    with_position,
    with_position_text,
    with_rag_sign_off,
)
from .progress import my_updates_waiting, reviews_waiting, timeline_for, update_get
from .setup import (
    directorates_for,
    engagement_get,
    engagement_kinds,
    engagement_parent_choices,
    engagement_peer_get,
    engagement_plan,
    engagements_in_order,
    engagements_listed,
    peers_for,
    plan_owners_for,
    recommendation_choices_for,
    themes_by_id,
    themes_of,
)

__all__ = [
    "action_get",
    "actions_for",
    "approved_updates_for",
    "councils_for",
    "directorates_for",
    "due_date_changes_for",
    "due_soon",
    "end_of_day",
    "engagement_get",
    "engagement_kinds",
    "engagement_parent_choices",
    "engagement_peer_get",
    "engagement_plan",
    "engagements_for",
    "engagements_in_order",
    "engagements_listed",
    "evidence_for",
    "evidence_get",
    "evidence_kept_for",
    "evidence_supporting",
    "get_or_404",
    "item_history_at_version",
    "join_latest_approved",
    "join_record",
    "latest_approved",
    "local_today",
    "member_get",
    "members_for",
    "membership_get",
    "moved",
    "my_updates_waiting",
    "peers_for",
    "position_drift",
    "plan_owners_for",
    "recommendation_choices_for",
    "record_column",
    "record_join",
    "related_column",
    "recommendation_get",
    "recommendations_for",
    "reviews_waiting",
    "update_column",
    "themes_by_id",
    "themes_of",
    "timeline_for",
    "update_get",
    "with_due_flags",
    "with_position",
    "with_position_text",
    "with_rag_sign_off",
]
