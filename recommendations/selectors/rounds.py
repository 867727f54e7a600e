"""Update rounds, and what came in for each of their items."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from recommendations.models import ProgressUpdate, RoundItem, UpdateRound, User

from .councils import get_or_404, membership_get

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


def round_returns(update_round: UpdateRound, *, until: dt.datetime | None = None) -> dict[int, Return]:
    """For each of the round's items that has one, keyed by the RoundItem's id, the update that came in
    between the round's opening and `until` (its closing, or now): among updates submitted (or, for a lead's
    direct change or an import, made) in that time, the one signed off by `until` and submitted last; else
    the one still waiting for sign-off at `until`. Two queries, whatever the number of items."""
    if until is None:
        until = update_round.closed_at or timezone.now()
    items = list(update_round.items.values_list("pk", "recommendation_id", "action_id"))
    by_recommendation = {rec: pk for pk, rec, _ in items if rec is not None}
    by_action = {act: pk for pk, _, act in items if act is not None}
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
