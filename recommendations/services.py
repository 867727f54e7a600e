"""Writes. Every rule about what may change lives here (and, for approved updates, in the database).

Services that write history take the moment as `at`, so the demo can record 2019–2021 with real dates.
"""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from .models import (
    Action,
    Council,
    DueDateChange,
    Engagement,
    Membership,
    ProgressUpdate,
    Rag,
    Recommendation,
    UpdateLocked,
    User,
)

Item = Recommendation | Action
ReviewState = ProgressUpdate.ReviewState


def _save_with_history(instance: Model, *, by: User | None, at: dt.datetime, **save_kwargs: Any) -> None:
    """Save, recording who and when in the history (for back-dated demo writes as for live ones)."""
    instance._history_user = by  # type: ignore[attr-defined]
    instance._history_date = at  # type: ignore[attr-defined]
    instance.full_clean(validate_unique=True, validate_constraints=True)
    instance.save(**save_kwargs)


# --- councils -----------------------------------------------------------------------------------


def membership_set(*, council: Council, user: User, role: str) -> Membership:
    """Give the user the role in the council (creating or reactivating the membership)."""
    membership, _ = Membership.objects.update_or_create(
        council=council, user=user, defaults={"role": role, "is_active": True}
    )
    return membership


# --- the plan -----------------------------------------------------------------------------------


def recommendation_create(
    *, engagement: Engagement, reference: str, text: str, by: User | None, at: dt.datetime | None = None, **fields: Any
) -> Recommendation:
    at = at or timezone.now()
    fields.setdefault("baseline_due_date", fields.get("due_date"))
    recommendation = Recommendation(engagement=engagement, reference=reference, text=text, created_at=at, **fields)
    _save_with_history(recommendation, by=by, at=at)
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
    _save_with_history(action, by=by, at=at)
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
    _save_with_history(item, by=by, at=at)
    return item


# --- progress updates ---------------------------------------------------------------------------


def _item_link(item: Item) -> dict[str, Item]:
    return {"recommendation": item} if isinstance(item, Recommendation) else {"action": item}


def update_create(
    *,
    item: Item,
    author: User,
    status: str,
    rag: str,
    rag_reason: str = "",
    narrative: str = "",
    percent_complete: int | None = None,
    at: dt.datetime | None = None,
) -> ProgressUpdate:
    """A draft update by its author."""
    update = ProgressUpdate(
        **_item_link(item),
        author=author,
        status=status,
        rag=rag,
        rag_reason=rag_reason.strip(),
        narrative=narrative.strip(),
        percent_complete=percent_complete,
        created_at=at or timezone.now(),
    )
    update.full_clean()
    update.save()
    return update


def _require_state(update: ProgressUpdate, *states: str) -> None:
    if update.review_state == ReviewState.APPROVED:
        raise UpdateLocked("This update has been approved and cannot be changed")
    if update.review_state not in states:
        raise ValidationError(f"This update is {update.get_review_state_display().lower()}")


def update_submit(*, update: ProgressUpdate, at: dt.datetime | None = None) -> ProgressUpdate:
    _require_state(update, ReviewState.DRAFT, ReviewState.RETURNED)
    update.review_state = ReviewState.SUBMITTED
    update.submitted_at = at or timezone.now()
    update.save(update_fields=["review_state", "submitted_at"])
    return update


@transaction.atomic
def update_approve(
    *, update: ProgressUpdate, reviewer: User, assurance_rag: str = "", at: dt.datetime | None = None
) -> ProgressUpdate:
    """Sign the update off: from now on it is the record, and it moves the item's status and RAG."""
    _require_state(update, ReviewState.SUBMITTED)
    if assurance_rag and assurance_rag not in Rag.values:
        raise ValidationError({"assurance_rag": "Choose green, amber or red"})
    at = at or timezone.now()
    update.review_state = ReviewState.APPROVED
    update.reviewer = reviewer
    update.reviewed_at = at
    update.approved_at = at
    update.assurance_rag = "" if assurance_rag == update.rag else assurance_rag
    update.save(update_fields=["review_state", "reviewer", "reviewed_at", "approved_at", "assurance_rag"])
    if update.action_id and update.percent_complete is not None:
        action = update.action
        action.percent_complete = update.percent_complete
        _save_with_history(action, by=reviewer, at=at)
    return update


def update_return(
    *, update: ProgressUpdate, reviewer: User, comment: str, at: dt.datetime | None = None
) -> ProgressUpdate:
    _require_state(update, ReviewState.SUBMITTED)
    if not comment.strip():
        raise ValidationError({"review_comment": "Enter a comment to say what needs to change"})
    update.review_state = ReviewState.RETURNED
    update.reviewer = reviewer
    update.reviewed_at = at or timezone.now()
    update.review_comment = comment.strip()
    update.save(update_fields=["review_state", "reviewer", "reviewed_at", "review_comment"])
    return update


@transaction.atomic
def update_record(
    *,
    item: Item,
    author: User,
    status: str,
    rag: str,
    rag_reason: str = "",
    narrative: str = "",
    percent_complete: int | None = None,
    source: str = ProgressUpdate.Source.LEAD,
    at: dt.datetime | None = None,
) -> ProgressUpdate:
    """A change of status or RAG made directly (by a lead, or an import): written as an approved update
    marked with its source, so the current position and its history never disagree."""
    at = at or timezone.now()
    update = update_create(
        item=item,
        author=author,
        status=status,
        rag=rag,
        rag_reason=rag_reason,
        narrative=narrative,
        percent_complete=percent_complete,
        at=at,
    )
    update.source = source
    update.review_state = ReviewState.APPROVED
    update.reviewer = author
    update.reviewed_at = at
    update.approved_at = at
    update.submitted_at = at
    update.save()
    if isinstance(item, Action) and percent_complete is not None:
        item.percent_complete = percent_complete
        _save_with_history(item, by=author, at=at)
    return update
