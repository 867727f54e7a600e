"""Update rounds, and what came in for each of their items."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from recommendations.models import (
    FINISHED_STATUSES,
    Action,
    Council,
    ProgressUpdate,
    Recommendation,
    RoundItem,
    UpdateRound,
    User,
)

from .councils import get_or_404, membership_get
from .position import end_of_day

ReviewState = ProgressUpdate.ReviewState


def rounds_for(*, user: User, council_slug: str) -> QuerySet[UpdateRound]:
    """The council's update rounds, the newest first."""
    membership = membership_get(user=user, council_slug=council_slug)
    return UpdateRound.objects.filter(council=membership.council).select_related("council", "engagement")


def round_get(*, user: User, council_slug: str, pk: int) -> UpdateRound:
    return get_or_404(rounds_for(user=user, council_slug=council_slug), pk=pk)


def round_current(*, user: User, council_slug: str) -> UpdateRound | None:
    """The council's open round, if one is open."""
    return rounds_for(user=user, council_slug=council_slug).filter(closed_at__isnull=True).first()


@dataclass(frozen=True)
class Return:
    """What came in for one item of a round by a moment: an update signed off by then, or one waiting."""

    outcome: str  # RoundItem.Outcome.UPDATED or WAITING
    update: ProgressUpdate


def round_returns(
    update_round: UpdateRound, *, until: dt.datetime | None = None, items: Iterable[RoundItem] | None = None
) -> dict[int, Return]:
    """For each of the round's items that has one, keyed by the RoundItem's id, the update that came in
    between the round's opening and `until` (its closing, or now): among updates submitted (or, for a lead's
    direct change or an import, made) in that time, the one signed off by `until` and submitted last; else
    the one still waiting for sign-off at `until`. Two queries, whatever the number of items; one where the
    caller has read the round's `items` (or some of them) already."""
    if until is None:
        until = update_round.closed_at or timezone.now()
    if items is None:
        keys = list(update_round.items.values_list("pk", "recommendation_id", "action_id"))
    else:
        keys = [(row.pk, row.recommendation_id, row.action_id) for row in items]
    by_recommendation = {rec: pk for pk, rec, _ in keys if rec is not None}
    by_action = {act: pk for pk, _, act in keys if act is not None}
    approved_by_then = Q(review_state=ReviewState.APPROVED, approved_at__lte=until)
    waiting_then = (
        Q(review_state=ReviewState.SUBMITTED)
        | Q(review_state=ReviewState.APPROVED, approved_at__gt=until)
        | Q(review_state__in=[ReviewState.RETURNED, ReviewState.SUPERSEDED], reviewed_at__gt=until)
    )
    updates = (
        ProgressUpdate.objects.filter(
            Q(recommendation_id__in=by_recommendation) | Q(action_id__in=by_action),
            submitted_at__gte=update_round.opened_at,
            submitted_at__lte=until,
        )
        .filter(approved_by_then | waiting_then)
        .select_related("author")
        .order_by("submitted_at", "pk")
    )
    returns: dict[int, Return] = {}
    for update in updates:
        key = by_recommendation.get(update.recommendation_id) or by_action[update.action_id]  # type: ignore[index]
        approved = update.review_state == ReviewState.APPROVED and update.approved_at <= until  # type: ignore[operator]
        earlier = returns.get(key)
        if approved or earlier is None or earlier.outcome == RoundItem.Outcome.WAITING:
            returns[key] = Return(RoundItem.Outcome.UPDATED if approved else RoundItem.Outcome.WAITING, update)
    return returns


# --- what a round's pages, My work and the dashboard show ------------------------------------------------

Outcome = RoundItem.Outcome


@dataclass(frozen=True)
class RoundLine:
    """One item of a round and what came in for it: `state` is an Outcome (UPDATED, WAITING or MISSING), as
    recorded at closing or, while the round is open (or as at a moment before it closed), as it stands."""

    round_item: RoundItem
    state: str
    update: ProgressUpdate | None

    @property
    def item(self) -> Recommendation | Action:
        return self.round_item.item

    @property
    def kind(self) -> str:
        return "recommendation" if self.round_item.recommendation_id else "action"

    @property
    def url(self) -> str:
        """The item's page (the council's slug from the round, read with it: no query)."""
        slug = self.round_item.round.council.slug
        return reverse(f"{self.kind}_detail", kwargs={"slug": slug, "pk": self.item.pk})

    @property
    def owner(self) -> User | None:
        return self.item.owner

    @property
    def owner_label(self) -> str:
        """The member who owns it, or the owner as an imported plan names them, or "No owner"."""
        return str(self.item.owner) if self.item.owner else self.item.owner_name or "No owner"

    @property
    def is_in(self) -> bool:
        return self.state in (Outcome.UPDATED, Outcome.WAITING)


@dataclass(frozen=True)
class OwnerLines:
    owner: str
    lines: list[RoundLine]


@dataclass(frozen=True)
class RoundProgress:
    """A round's items and what came in for each, as recorded (`recorded`) or as at `day` (its end, or now)."""

    round: UpdateRound
    lines: list[RoundLine]
    day: dt.date  # the day overdue is judged on
    recorded: bool  # the outcomes recorded at closing, rather than as things stood

    @property
    def total(self) -> int:
        return len(self.lines)

    @property
    def updated(self) -> int:
        """Items whose update is in, signed off or waiting for sign-off."""
        return sum(line.is_in for line in self.lines)

    @property
    def signed_off(self) -> int:
        return sum(line.state == Outcome.UPDATED for line in self.lines)

    @property
    def waiting(self) -> list[RoundLine]:
        return [line for line in self.lines if line.state == Outcome.WAITING]

    @property
    def missing(self) -> list[RoundLine]:
        return [line for line in self.lines if line.state == Outcome.MISSING]

    @property
    def is_overdue(self) -> bool:
        return self.day > self.round.due_date

    @property
    def missing_by_owner(self) -> list[OwnerLines]:
        """The items with no update yet whose owner is a member, by owner (their names in order)."""
        owners: dict[int, list[RoundLine]] = {}
        for line in self.missing:
            if line.owner is not None:
                owners.setdefault(line.owner.pk, []).append(line)
        groups = [OwnerLines(lines[0].owner_label, lines) for lines in owners.values()]
        return sorted(groups, key=lambda group: group.owner.casefold())

    @property
    def to_assign(self) -> list[RoundLine]:
        """Items with no member as owner: only a name from an imported plan, or none at all."""
        return [line for line in self.lines if line.owner is None]

    @property
    def owners_missing(self) -> int:
        """How many owners have an item with no update in: members, and owners an imported plan names."""
        return len({line.owner.pk if line.owner else line.item.owner_name for line in self.missing} - {""})

    @property
    def owners_overdue(self) -> int | None:
        """Past the due date, the owners with an item not in; before it, None (nobody is overdue yet)."""
        return self.owners_missing if self.is_overdue else None


def round_items(update_round: UpdateRound) -> QuerySet[RoundItem]:
    """The round's items with what their lines show: the item, its owner and the update recorded at closing."""
    return update_round.items.select_related(
        "recommendation__owner", "action__owner", "action__recommendation", "update"
    ).order_by("pk")


def round_progress(update_round: UpdateRound, *, until: dt.datetime | None = None) -> RoundProgress:
    """What came in for each of the round's items: once it has closed, what closing recorded; while it is open
    (or as at `until`, a moment before it closed), what has come in by then (`round_returns`). Two queries
    while open, one once closed, whatever the number of items."""
    rows = list(round_items(update_round))
    closed_at = update_round.closed_at
    if closed_at is not None and (until is None or until >= closed_at):
        lines = [RoundLine(row, row.outcome or Outcome.MISSING, row.update) for row in rows]
        return RoundProgress(update_round, lines, timezone.localdate(closed_at), recorded=True)
    moment = until or timezone.now()
    returns = round_returns(update_round, until=moment, items=rows) if rows else {}
    lines = []
    for row in rows:
        came_in = returns.get(row.pk)
        lines.append(
            RoundLine(row, came_in.outcome, came_in.update) if came_in else RoundLine(row, Outcome.MISSING, None)
        )
    return RoundProgress(update_round, lines, timezone.localdate(moment), recorded=False)


def round_open_on(*, user: User, council_slug: str, day: dt.date) -> UpdateRound | None:
    """The round that was open at the end of `day` (for today: the round open now), if one was."""
    end = end_of_day(day)
    return (
        rounds_for(user=user, council_slug=council_slug)
        .filter(opened_at__lt=end)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=end))
        .first()
    )


def rounds_listed(*, user: User, council_slug: str) -> QuerySet[UpdateRound]:
    """The council's rounds, the open one first, then the newest, with the counts recorded at closing
    (`item_count`, `updated_count`, `waiting_count`, `missing_count`; an open round's are read live)."""
    return (
        rounds_for(user=user, council_slug=council_slug)
        .annotate(
            item_count=Count("items"),
            updated_count=Count("items", filter=Q(items__outcome=Outcome.UPDATED)),
            waiting_count=Count("items", filter=Q(items__outcome=Outcome.WAITING)),
            missing_count=Count("items", filter=Q(items__outcome=Outcome.MISSING)),
        )
        .order_by(F("closed_at").desc(nulls_first=True), "-opened_at", "-pk")
    )


def round_item_get(*, update_round: UpdateRound, pk: int) -> RoundItem:
    """One item of the round (by the RoundItem's id), or 404."""
    return get_or_404(update_round.items.select_related("round", "recommendation", "action"), pk=pk)


def my_round_items(*, update_round: UpdateRound, user: User) -> list[RoundLine]:
    """The user's items in the round (those they own), each with whether their update is in. Two queries."""
    rows = list(round_items(update_round).filter(Q(recommendation__owner=user) | Q(action__owner=user)))
    returns = round_returns(update_round, items=rows) if rows else {}
    return [
        RoundLine(row, returns[row.pk].outcome, returns[row.pk].update)
        if row.pk in returns
        else RoundLine(row, Outcome.MISSING, None)
        for row in rows
    ]


def open_items_of(council: Council) -> tuple[QuerySet[Recommendation], QuerySet[Action]]:
    """The council's recommendations and actions that an update round asks about by default: those neither
    Complete nor Closed today (their stored position). The one definition for opening a round and its counts."""
    return (
        Recommendation.objects.filter(engagement__council=council).exclude(status__in=FINISHED_STATUSES),
        Action.objects.filter(recommendation__engagement__council=council).exclude(status__in=FINISHED_STATUSES),
    )


def open_item_counts(*, user: User, council_slug: str) -> dict[str, int]:
    """How many items a new round would ask about by default (`open_items_of`), by engagement id (as text) and
    for the whole plan ("all"). Two queries."""
    council = membership_get(user=user, council_slug=council_slug).council
    recommendations, actions = open_items_of(council)
    counts: dict[str, int] = {}
    by_engagement = [
        *recommendations.values_list("engagement_id").annotate(n=Count("pk")).order_by(),
        *actions.values_list("recommendation__engagement_id").annotate(n=Count("pk")).order_by(),
    ]
    for engagement_id, n in by_engagement:
        counts[str(engagement_id)] = counts.get(str(engagement_id), 0) + n
    counts["all"] = sum(counts.values())
    return counts
