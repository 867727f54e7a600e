"""Recommendations and actions, with their position, their record and their date moves."""

import datetime as dt

from django.db.models import (
    Model,
    Prefetch,
    QuerySet,
)

from recommendations.models import (
    Action,
    DueDateChange,
    Engagement,
    Membership,
    ProgressUpdate,
    Recommendation,
    User,
)

from .councils import get_or_404, membership_get
from .evidence import evidence_for
from .position import end_of_day, local_today, with_attention_flags, with_position


def engagements_for(*, user: User, council_slug: str) -> QuerySet[Engagement]:
    membership = membership_get(user=user, council_slug=council_slug)
    return Engagement.objects.filter(council=membership.council).select_related("kind", "parent")


def _positioned(queryset: QuerySet, membership: Membership, as_at: dt.date | None) -> QuerySet:
    """The items with their position and what stands out (overdue but Green, no recent update) as at the end of
    `as_at` (today by default), by the council's update interval."""
    return with_attention_flags(
        with_position(queryset, as_at=as_at),
        as_at=as_at or local_today(),
        interval_months=membership.council.update_interval_months,
    )


def recommendations_for(*, user: User, council_slug: str, as_at: dt.date | None = None) -> QuerySet[Recommendation]:
    membership = membership_get(user=user, council_slug=council_slug)
    queryset = Recommendation.objects.filter(engagement__council=membership.council).select_related(
        "engagement", "theme", "owner", "lead_directorate"
    )
    return _positioned(queryset, membership, as_at)


def recommendation_get(*, user: User, council_slug: str, pk: int, as_at: dt.date | None = None) -> Recommendation:
    """One recommendation as at the end of `as_at` (today by default), or 404 (also where it did not exist yet)."""
    return get_or_404(recommendations_for(user=user, council_slug=council_slug, as_at=as_at), pk=pk)


def actions_for(*, user: User, council_slug: str, as_at: dt.date | None = None) -> QuerySet[Action]:
    membership = membership_get(user=user, council_slug=council_slug)
    queryset = Action.objects.filter(recommendation__engagement__council=membership.council).select_related(
        "recommendation", "recommendation__engagement", "owner"
    )
    return _positioned(queryset, membership, as_at)


def action_get(*, user: User, council_slug: str, pk: int, as_at: dt.date | None = None) -> Action:
    """One action as at the end of `as_at` (today by default), or 404 (also where it did not exist yet)."""
    return get_or_404(actions_for(user=user, council_slug=council_slug, as_at=as_at), pk=pk)


def approved_updates_for(*, user: User, council_slug: str, item: Recommendation | Action) -> QuerySet[ProgressUpdate]:
    """The record: approved updates, newest first, with the evidence this user may see."""
    link = "recommendation" if isinstance(item, Recommendation) else "action"
    evidence = evidence_for(user=user, council_slug=council_slug)
    return (
        ProgressUpdate.objects.approved()
        .filter(**{link: item})
        .select_related("author", "reviewer")
        .prefetch_related(Prefetch("evidence", queryset=evidence))
    )


def due_date_changes_for(*, item: Recommendation | Action, as_at: dt.date | None = None) -> QuerySet[DueDateChange]:
    """The moves of an item's due date, oldest first (those made by the end of `as_at`, where given; the item
    was reached through a scoped selector)."""
    link = "recommendation" if isinstance(item, Recommendation) else "action"
    moves = DueDateChange.objects.filter(**{link: item})
    if as_at is not None:
        moves = moves.filter(changed_at__lt=end_of_day(as_at))
    return moves.select_related("changed_by").order_by("changed_at", "pk")


def item_history_at_version(*, item: Recommendation | Action, version: int) -> Model | None:
    """The item as it stood at `version` (its latest history record with that version), or None: what
    an edit form loaded at that version showed (the item was reached through a scoped selector)."""
    return item.history.filter(version=version).order_by("-history_date", "-history_id").first()
