"""Update rounds: a lead opens one for an engagement's plan (or the council's whole open plan), may take items
out while it is open, and closes it, which records what came in for each item."""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from recommendations.models import (
    Action,
    Council,
    Engagement,
    ProgressUpdate,
    Recommendation,
    RoundItem,
    UpdateRound,
    User,
)
from recommendations.selectors.rounds import open_items_of, round_returns

from .access import require_plan_manager
from .history import council_changed


def open_items(*, council: Council, engagement: Engagement | None = None) -> tuple[list[Recommendation], list[Action]]:
    """The items a new round asks about by default: every recommendation and action of the engagement (or of
    the council) that is not Complete or Closed today, in the plan's order, with their owners."""
    recommendations, actions = open_items_of(council)
    recommendations, actions = recommendations.select_related("owner"), actions.select_related("owner")
    if engagement is not None:
        recommendations = recommendations.filter(engagement=engagement)
        actions = actions.filter(recommendation__engagement=engagement)
    return (
        list(recommendations.order_by("engagement__first_onsite_day", "position", "pk")),
        list(actions.order_by("recommendation__position", "recommendation_id", "position", "pk")),
    )


def _check_dates(period_end: dt.date | None, due_date: dt.date | None) -> None:
    errors = {}
    if period_end is None:
        errors["period_end"] = "Enter the last day of the period the round covers"
    if due_date is None:
        errors["due_date"] = "Enter the date updates are due"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def round_open(
    *,
    by: User,
    council: Council,
    period_end: dt.date,
    due_date: dt.date,
    engagement: Engagement | None = None,
    leave_out: Iterable[Recommendation | Action] = (),
    at: dt.datetime | None = None,
) -> UpdateRound:
    """Open a round asking for updates on the open items (`open_items`) except those left out. A council has
    one open round at a time; a round with no items is refused."""
    require_plan_manager(by, council.pk, to="open an update round")
    _check_dates(period_end, due_date)
    if engagement is not None and engagement.council_id != council.pk:
        raise ValidationError({"engagement": "Choose an engagement of this council"})
    at = at or timezone.now()
    skipped = {(type(item), item.pk) for item in leave_out}
    recommendations, actions = open_items(council=council, engagement=engagement)
    rows = [RoundItem(recommendation=item) for item in recommendations if (Recommendation, item.pk) not in skipped]
    rows += [RoundItem(action=item) for item in actions if (Action, item.pk) not in skipped]
    if not rows:
        raise ValidationError("There are no open items to ask about: every item is complete, closed or left out")
    if UpdateRound.objects.select_for_update().filter(council=council, closed_at__isnull=True).exists():
        raise ValidationError("Close the open update round before you open another")
    try:
        with transaction.atomic():
            update_round = UpdateRound.objects.create(
                council=council,
                engagement=engagement,
                period_end=period_end,
                due_date=due_date,
                opened_at=at,
                opened_by=by,
            )
    except IntegrityError as exc:  # another lead opened one at the same moment
        raise ValidationError("Close the open update round before you open another") from exc
    for row in rows:
        row.round = update_round
    RoundItem.objects.bulk_create(rows)
    council_changed(council_id=council.pk)
    return update_round


@transaction.atomic
def round_item_remove(*, by: User, round_item: RoundItem) -> None:
    """Take an item out of an open round."""
    update_round = round_item.round
    require_plan_manager(by, update_round.council_id, to="change an update round")
    if not UpdateRound.objects.select_for_update().filter(pk=update_round.pk, closed_at__isnull=True).exists():
        raise ValidationError("This round has closed: its items can no longer change")
    if update_round.items.count() <= 1:
        raise ValidationError("A round asks about one item at least: close the round instead")
    round_item.delete()
    council_changed(council_id=update_round.council_id)


@transaction.atomic
def round_close(*, by: User, update_round: UpdateRound, at: dt.datetime | None = None) -> UpdateRound:
    """Close the round and record, for each item, what came in while it was open: the update signed off by
    now (the one submitted last), else one still waiting for sign-off, else nothing."""
    require_plan_manager(by, update_round.council_id, to="close an update round")
    at = at or timezone.now()
    locked = UpdateRound.objects.select_for_update().get(pk=update_round.pk)
    if locked.closed_at is not None:
        raise ValidationError("This round has already closed")
    if at < locked.opened_at:
        raise ValidationError("A round cannot close before it opened")
    returns = round_returns(locked, until=at)
    items = list(locked.items.all())
    for row in items:
        came_in = returns.get(row.pk)
        if came_in is None:
            row.outcome, row.update = RoundItem.Outcome.MISSING, None
        else:
            row.outcome, row.update = came_in.outcome, came_in.update
    RoundItem.objects.bulk_update(items, ["outcome", "update"])
    locked.closed_at, locked.closed_by = at, by
    locked.save(update_fields=["closed_at", "closed_by"])
    council_changed(council_id=locked.council_id)
    return locked


def round_update_changed(*, update: ProgressUpdate) -> None:
    """An update submitted, withdrawn or returned changes whether its item's update is in for the open round the
    item is in, which the dashboard shows (cached by the council's data version): raise the version when the
    item is in one. Call it inside the transaction of the change."""
    link = (
        {"recommendation_id": update.recommendation_id} if update.recommendation_id else {"action_id": update.action_id}
    )
    council_id = (
        RoundItem.objects.filter(round__closed_at__isnull=True, **link)
        .values_list("round__council_id", flat=True)
        .first()
    )
    if council_id is not None:
        council_changed(council_id=council_id)
