"""Recommendations and actions, with their position, their record and their date moves."""

import datetime as dt
import functools
from typing import Any, NamedTuple

from django.db.models import (
    F,
    Max,
    Model,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
)
from django.http import Http404

from recommendations.models import (
    FINISHED_STATUSES,
    Action,
    DueDateChange,
    Engagement,
    Membership,
    ProgressUpdate,
    Rag,
    Recommendation,
    User,
)

from .councils import membership_get
from .evidence import evidence_for
from .position import (
    Item,
    attention_flags_at,
    end_of_day,
    local_today,
    position_at,
    quiet_since,
    with_attention_flags,
    with_position,
)
from .statements import AS_AT_VALUES, Statement


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


def plan_rows(model: type[Item], *, council_id: int, at: Any) -> QuerySet[Item]:
    """The items of the council `council_id` with their position and what stands out as at `at` (the moments of
    `filters.moments`: day, cutoff, since, stored), as `recommendations_for` and `actions_for` give them, for the
    tables' statements (built once a process with a marker for each value: recommendations/filters.py). The
    council is one the caller holds a membership of (the view's `council_view` read it through
    `membership_get`)."""
    council = "engagement__council_id" if model is Recommendation else "recommendation__engagement__council_id"
    queryset = model.objects.filter(**{council: council_id})
    positioned = position_at(queryset, day=at.day, cutoff=at.cutoff, stored=at.stored)
    return attention_flags_at(positioned, cutoff=at.cutoff, since=at.since)


class _At(NamedTuple):
    """The moments of a position as at a day (as `filters.moments` gives the tables)."""

    day: dt.date
    cutoff: dt.datetime
    since: dt.datetime
    stored: bool


# What an item's own read joins: as `recommendations_for` and `actions_for` select them.
_ITEM_RELATED = {
    Recommendation: ("engagement", "theme", "owner", "lead_directorate"),
    Action: ("recommendation", "recommendation__engagement", "owner"),
}


def _item_at(
    *, model: type[Item], stored: bool, council: int, day: dt.date, cutoff: dt.datetime, since: dt.datetime, **key: int
) -> QuerySet[Item]:
    """The council's item `key` names (its pk, or an action's recommendation) as `recommendations_for` or
    `actions_for` gives it as at `day` (`plan_rows`), with what those select."""
    items = plan_rows(model, council_id=council, at=_At(day, cutoff, since, stored))
    if "pk" in key:
        return items.filter(pk=key["pk"]).select_related(*_ITEM_RELATED[model])
    return items.filter(recommendation_id=key["recommendation"])  # the list shows nothing of its relations


# An item's page reads the item, and a recommendation's page its actions, as at a day on every request: the same
# SQL for every item and day of a kind (today's stored position or a past day's history), compiled once a process
# (statements.py).
_MOMENTS = {"council": int, "day": dt.date, "cutoff": dt.datetime, "since": dt.datetime}
_ITEM_AT = {
    (model, stored): Statement(functools.partial(_item_at, model=model, stored=stored), pk=int, **_MOMENTS)
    for model in (Recommendation, Action)
    for stored in (False, True)
}
_ACTIONS_AT = {
    stored: Statement(functools.partial(_item_at, model=Action, stored=stored), recommendation=int, **_MOMENTS)
    for stored in (False, True)
}


def _moments(membership: Membership, as_at: dt.date | None) -> dict[str, Any]:
    day = as_at or local_today()
    since = quiet_since(day, membership.council.update_interval_months)
    return {"council": membership.council_id, "day": day, "cutoff": end_of_day(day), "since": since}


def _item_get(model: type[Item], membership: Membership, pk: int, as_at: dt.date | None) -> Item:
    moments = _moments(membership, as_at)
    found = _ITEM_AT[model, moments["day"] >= local_today()].instances(pk=pk, **moments)
    return _one(found, model)


def recommendation_get(*, user: User, council_slug: str, pk: int, as_at: dt.date | None = None) -> Recommendation:
    """One recommendation as at the end of `as_at` (today by default), or 404 (also where it did not exist yet):
    as `recommendations_for` gives it."""
    return _item_get(Recommendation, membership_get(user=user, council_slug=council_slug), pk, as_at)


def actions_under(*, recommendation: Recommendation, membership: Membership, as_at: dt.date) -> list[Action]:
    """The actions under a recommendation as at the end of `as_at`, in their order, as `actions_for` gives them
    (none of their relations joined)."""
    moments = _moments(membership, as_at)
    return _ACTIONS_AT[moments["day"] >= local_today()].instances(recommendation=recommendation.pk, **moments)


def actions_for(*, user: User, council_slug: str, as_at: dt.date | None = None) -> QuerySet[Action]:
    membership = membership_get(user=user, council_slug=council_slug)
    queryset = Action.objects.filter(recommendation__engagement__council=membership.council).select_related(
        "recommendation", "recommendation__engagement", "owner"
    )
    return _positioned(queryset, membership, as_at)


def action_get(*, user: User, council_slug: str, pk: int, as_at: dt.date | None = None) -> Action:
    """One action as at the end of `as_at` (today by default), or 404 (also where it did not exist yet): as
    `actions_for` gives it."""
    return _item_get(Action, membership_get(user=user, council_slug=council_slug), pk, as_at)


# --- an item's page as at today: the stored position read with the rows ----------------------------


def _stored_today(queryset: QuerySet, cutoff: dt.datetime) -> QuerySet:
    """Today's items (created before `cutoff`, the end of today) with what the position's rules need beyond the
    row: the approval of the update that sets the position and the last approval of any (`_stood_today` does
    the rest)."""
    link = "recommendation" if queryset.model is Recommendation else "action"
    approvals = (
        ProgressUpdate.objects.filter(
            review_state=ProgressUpdate.ReviewState.APPROVED, approved_at__lt=cutoff, **{link: OuterRef("pk")}
        )
        .order_by()
        .values(link)
        .annotate(last=Max("approved_at"))
        .values("last")
    )
    return queryset.filter(created_at__lt=cutoff).annotate(
        position_updated_at=F("position_update__approved_at"), last_approved_at=Subquery(approvals[:1])
    )


def _recommendation_today(*, council: int, pk: int, cutoff: dt.datetime) -> QuerySet[Recommendation]:
    queryset = Recommendation.objects.filter(engagement__council_id=council, pk=pk)
    return _stored_today(queryset.select_related("engagement", "theme", "owner", "lead_directorate"), cutoff)


def _action_today(*, council: int, pk: int, cutoff: dt.datetime) -> QuerySet[Action]:
    queryset = Action.objects.filter(recommendation__engagement__council_id=council, pk=pk).select_related(
        "recommendation__engagement", "recommendation__theme", "recommendation__lead_directorate", "owner"
    )
    return _stored_today(queryset, cutoff)


def _actions_under_today(*, recommendation: int, cutoff: dt.datetime) -> QuerySet[Action]:
    return _stored_today(Action.objects.filter(recommendation_id=recommendation).select_related("owner"), cutoff)


# An item's page as at today reads these on every request: the same SQL for every item but for its values
# (statements.py: compiled once a process, the models built from the rows as the queryset would build them).
_RECOMMENDATION_TODAY = Statement(_recommendation_today, council=int, pk=int, cutoff=dt.datetime)
_ACTION_TODAY = Statement(_action_today, council=int, pk=int, cutoff=dt.datetime)
_ACTIONS_UNDER_TODAY = Statement(_actions_under_today, recommendation=int, cutoff=dt.datetime)


def _stood_today(items: list[Item], membership: Membership) -> list[Item]:
    """The values `with_position` and `with_attention_flags` give as at today, set on items from `_stored_today`
    by the same rules: the stored status, RAG and due date (docs/adr/010-stored-positions.md), today's owner,
    theme and directorate (an action's recommendation's), overdue, overdue but Green, and no update approved
    within the council's interval. For the pages of one item, where compiling those annotations cost more than
    the page's reads."""
    today = local_today()
    since = quiet_since(today, membership.council.update_interval_months)
    for item in items:
        plan = item.recommendation if isinstance(item, Action) else item
        open_ = item.status not in FINISHED_STATUSES
        item.position_status, item.position_rag, item.position_due_date = item.status, item.rag, item.due_date
        item.position_owner_id = item.owner_id
        item.position_owner_name = str(item.owner) if item.owner_id else None
        item.position_owner_email = item.owner.email if item.owner_id else None
        item.position_theme_id = plan.theme_id
        item.position_theme_name = plan.theme.name if plan.theme_id else None
        item.position_lead_directorate_id = plan.lead_directorate_id
        item.position_lead_directorate_name = plan.lead_directorate.name if plan.lead_directorate_id else None
        if isinstance(item, Action):
            item.position_percent_complete = item.percent_complete
        item.is_overdue = open_ and item.due_date is not None and item.due_date < today
        item.is_overdue_green = item.is_overdue and item.rag == Rag.GREEN
        quiet = item.last_approved_at is None or item.last_approved_at < since
        item.is_stale = item.created_at < since and open_ and quiet
    return items


def _one(found: list[Item], model: type[Item]) -> Item:
    """The one item found, or 404 (as `get_or_404`)."""
    if not found:
        raise Http404(f"No such {model._meta.verbose_name}")
    return found[0]


def recommendation_stored_get(*, user: User, council_slug: str, pk: int) -> Recommendation:
    """One recommendation as it stands today, as `recommendation_get` gives it, its position read with the row
    (`_stood_today`), or 404."""
    membership = membership_get(user=user, council_slug=council_slug)
    cutoff = end_of_day(local_today())
    found = _RECOMMENDATION_TODAY.instances(council=membership.council_id, pk=pk, cutoff=cutoff)
    return _stood_today([_one(found, Recommendation)], membership)[0]


def action_stored_get(*, user: User, council_slug: str, pk: int) -> Action:
    """One action as it stands today, as `action_get` gives it, its position read with the row, or 404."""
    membership = membership_get(user=user, council_slug=council_slug)
    found = _ACTION_TODAY.instances(council=membership.council_id, pk=pk, cutoff=end_of_day(local_today()))
    return _stood_today([_one(found, Action)], membership)[0]


def actions_stored_under(*, recommendation: Recommendation, membership: Membership) -> list[Action]:
    """The actions under a recommendation (from `recommendation_stored_get`) as they stand today, in their
    order, as `actions_for` gives them."""
    actions = _ACTIONS_UNDER_TODAY.instances(recommendation=recommendation.pk, cutoff=end_of_day(local_today()))
    for action in actions:
        action.recommendation = recommendation
    return _stood_today(actions, membership)


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


def _due_date_moves(*, link: str, item: int, cutoff: dt.datetime | None = None) -> QuerySet[DueDateChange]:
    moves = DueDateChange.objects.filter(**{f"{link}_id": item})
    if cutoff is not None:
        moves = moves.filter(changed_at__lt=cutoff)
    return moves.select_related("changed_by").order_by("changed_at", "pk")


# An item page's read of its date moves, compiled once a process for each kind of item, today (no cut-off) and as
# at a past date (statements.py).
_DUE_DATE_MOVES = {
    (link, dated): Statement(functools.partial(_due_date_moves, link=link), item=int, **AS_AT_VALUES[dated])
    for link in ("recommendation", "action")
    for dated in (False, True)
}


def due_date_changes_for(*, item: Recommendation | Action, as_at: dt.date | None = None) -> list[DueDateChange]:
    """The moves of an item's due date, oldest first, each with who moved it (those made by the end of `as_at`,
    where given; the item was reached through a scoped selector)."""
    link = "recommendation" if isinstance(item, Recommendation) else "action"
    cutoff = {"cutoff": end_of_day(as_at)} if as_at is not None else {}
    return _DUE_DATE_MOVES[link, as_at is not None].instances(item=item.pk, **cutoff)


def item_history_at_version(*, item: Recommendation | Action, version: int) -> Model | None:
    """The item as it stood at `version` (its latest history record with that version), or None: what
    an edit form loaded at that version showed (the item was reached through a scoped selector)."""
    return item.history.filter(version=version).order_by("-history_date", "-history_id").first()
