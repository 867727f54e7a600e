"""Writes to the plan: recommendations, actions and their due dates."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from recommendations.models import (
    Action,
    DueDateChange,
    Engagement,
    Item,
    Recommendation,
    User,
)

from .history import save_with_history


def recommendation_create(
    *, engagement: Engagement, reference: str, text: str, by: User | None, at: dt.datetime | None = None, **fields: Any
) -> Recommendation:
    at = at or timezone.now()
    fields.setdefault("baseline_due_date", fields.get("due_date"))
    recommendation = Recommendation(engagement=engagement, reference=reference, text=text, created_at=at, **fields)
    save_with_history(recommendation, by=by, at=at)
    return recommendation


def action_create(
    *,
    recommendation: Recommendation,
    reference: str,
    description: str,
    by: User | None,
    at: dt.datetime | None = None,
    **fields: Any,
) -> Action:
    at = at or timezone.now()
    fields.setdefault("baseline_due_date", fields.get("due_date"))
    action = Action(
        recommendation=recommendation, reference=reference, description=description, created_at=at, **fields
    )
    save_with_history(action, by=by, at=at)
    return action


@transaction.atomic
def due_date_move(
    *, item: Item, new_due_date: dt.date | None, reason: str, by: User | None, at: dt.datetime | None = None
) -> Item:
    """Move the due date (a recommendation's target date), keeping the baseline and the reason."""
    at = at or timezone.now()
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason for moving the date"})
    if new_due_date == item.due_date:
        return item
    link = "recommendation" if isinstance(item, Recommendation) else "action"
    DueDateChange.objects.create(
        **{link: item},
        previous_due_date=item.due_date,
        new_due_date=new_due_date,
        reason=reason.strip(),
        changed_by=by,
        changed_at=at,
    )
    item.due_date = new_due_date
    if item.baseline_due_date is None:
        item.baseline_due_date = new_due_date
    save_with_history(item, by=by, at=at)
    return item
