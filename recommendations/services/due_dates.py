"""Due dates: the first date set is the item's baseline; a later move keeps it and is recorded with its reason
(a DueDateChange), so slippage can be seen."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from recommendations.models import DueDateChange, Item, User

from .history import save_with_history


def _moved(item: Item, new_due_date: dt.date | None, *, reason: str, by: User | None, at: dt.datetime) -> DueDateChange:
    """Move the item's due date (not saved) and return the record of the move, to be saved after the item."""
    change = DueDateChange(
        **{item._meta.model_name: item},  # the link to a recommendation or an action
        previous_due_date=item.due_date,
        new_due_date=new_due_date,
        reason=reason.strip(),
        changed_by=by,
        changed_at=at,
    )
    item.due_date = new_due_date
    if item.baseline_due_date is None:
        item.baseline_due_date = new_due_date
    return change


def due_date_set(
    item: Item, new_due_date: dt.date | None, *, reason: str, by: User | None, at: dt.datetime
) -> DueDateChange | None:
    """Set the item's due date (not saved). The first date set is its baseline; a later move keeps the
    baseline, needs a reason, and is returned as the DueDateChange to save once the item is saved."""
    if new_due_date == item.due_date:
        return None
    if item.due_date is None and item.baseline_due_date is None:
        item.due_date = item.baseline_due_date = new_due_date
        return None
    if not reason.strip():
        raise ValidationError({"due_date_reason": "Enter the reason for moving the date"})
    return _moved(item, new_due_date, reason=reason, by=by, at=at)


@transaction.atomic
def due_date_move(
    *, item: Item, new_due_date: dt.date | None, reason: str, by: User | None, at: dt.datetime | None = None
) -> Item:
    """Move the due date (a recommendation's target date), keeping the baseline and the reason. The item is
    locked and read again first, so that what an approval wrote since it was loaded (an action's % complete)
    is kept, not saved back as it was."""
    at = at or timezone.now()
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason for moving the date"})
    item.refresh_from_db(from_queryset=type(item).objects.select_for_update())
    if new_due_date == item.due_date:
        return item
    change = _moved(item, new_due_date, reason=reason, by=by, at=at)
    save_with_history(item, by=by, at=at)
    change.save()
    return item
