"""A lead signs progress off: approve (with an assurance RAG and its reason where they disagree) or return with
a comment; and whether approving an update would move the item's position (the ordering rule)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from recommendations.models import (
    Action,
    ProgressUpdate,
    Rag,
    User,
)

from . import notifications
from .access import require_plan_manager
from .history import council_changed, save_with_history
from .positions import positions_refresh
from .progress import item_link, lock_update, require_state
from .rounds import round_update_changed

ReviewState = ProgressUpdate.ReviewState


def position_update_before(update: ProgressUpdate) -> ProgressUpdate | None:
    """The approved update that sets the item's position, if it was submitted after `update` (or made after
    it, for a lead's direct change or an import): then approving `update` adds it to the history and leaves
    the position where it is. None when approving it would set the position."""
    current = ProgressUpdate.objects.approved().filter(**item_link(update.item)).exclude(pk=update.pk).first()
    if current is not None and update.submitted_at is not None and current.position_key > update.position_key:
        return current
    return None


class ReviewConflict(ValidationError):
    """The update is no longer the one the lead read: another lead signed it off or returned it, or its
    author withdrew it (and may have changed and resubmitted it)."""


def _locked_for_review(update: ProgressUpdate, seen_submitted_at: dt.datetime | None) -> ProgressUpdate:
    """Lock the update's row until the transaction ends and reload it: it must still be submitted and (where
    the lead's page said when it was submitted) the same submission; else ReviewConflict."""
    lock_update(update)
    if update.review_state != ReviewState.SUBMITTED:
        raise ReviewConflict(
            f"This update has been {update.get_review_state_display().lower()} since you opened it",
            code="no_longer_submitted",
        )
    if seen_submitted_at is not None and update.submitted_at != seen_submitted_at:
        raise ReviewConflict(
            "Its author changed this update after you opened it. Read it again before you sign it off",
            code="resubmitted",
        )
    return update


@transaction.atomic
def update_approve(
    *,
    update: ProgressUpdate,
    reviewer: User,
    assurance_rag: str = "",
    assurance_reason: str = "",
    seen_submitted_at: dt.datetime | None = None,
    at: dt.datetime | None = None,
    notify: bool = True,
) -> ProgressUpdate:
    """Sign the update off: from now on it is the record. It sets the item's position (status, RAG and
    percentage complete) unless a later update already does: by the ordering rule an update submitted before
    the one the position comes from joins the history and moves nothing (`position_update_before` tells
    the lead so before they confirm). An assurance RAG different from the owner's needs its reason.

    `seen_submitted_at` is when the update the reviewer read was submitted: a later resubmission is refused
    (ReviewConflict), as is an update another lead reviewed first. The update and its action are locked,
    so two leads at once, or a lead's edit of the action at the same moment, lose nothing."""
    require_state(update, ReviewState.SUBMITTED)
    require_plan_manager(reviewer, update.item.council.pk, to="do that")
    if assurance_rag and assurance_rag not in Rag.values:
        raise ValidationError({"assurance_rag": "Choose green, amber or red"})
    assurance_rag = "" if assurance_rag == update.rag else assurance_rag
    if assurance_rag and not assurance_reason.strip():
        raise ValidationError({"assurance_reason": "Enter why you rated it differently"})
    update = _locked_for_review(update, seen_submitted_at)
    at = at or timezone.now()
    later = position_update_before(update)
    moves_position = later is None
    update.review_state = ReviewState.APPROVED
    update.reviewer = reviewer
    update.reviewed_at = at
    update.approved_at = at
    update.assurance_rag = assurance_rag
    update.assurance_reason = assurance_reason.strip() if assurance_rag else ""
    update.save(
        update_fields=["review_state", "reviewer", "reviewed_at", "approved_at", "assurance_rag", "assurance_reason"]
    )
    if moves_position and update.action_id and update.percent_complete is not None:
        action = Action.objects.select_for_update().get(pk=update.action_id)  # as it is now, not as loaded
        action.percent_complete = update.percent_complete
        save_with_history(action, by=reviewer, at=at)
    item = update.item
    positions_refresh(model=type(item), ids=[item.pk])  # the rule decides, whichever update is approved
    item.refresh_from_db(fields=["status", "rag", "position_update"])
    update.item.evidence.add(*update.evidence.all())  # approved evidence supports the item from now on
    council_changed(council_id=update.council.pk)
    if notify:
        notifications.update_reviewed(update=update, later=later)
    return update


@transaction.atomic
def update_return(
    *,
    update: ProgressUpdate,
    reviewer: User,
    comment: str,
    seen_submitted_at: dt.datetime | None = None,
    at: dt.datetime | None = None,
    notify: bool = True,
) -> ProgressUpdate:
    """Send the update back to its author with a comment (the same checks as approval)."""
    require_state(update, ReviewState.SUBMITTED)
    require_plan_manager(reviewer, update.item.council.pk, to="do that")
    if not comment.strip():
        raise ValidationError({"review_comment": "Enter a comment to say what needs to change"})
    update = _locked_for_review(update, seen_submitted_at)
    update.review_state = ReviewState.RETURNED
    update.reviewer = reviewer
    update.reviewed_at = at or timezone.now()
    update.review_comment = comment.strip()
    update.save(update_fields=["review_state", "reviewer", "reviewed_at", "review_comment"])
    round_update_changed(update=update)  # whether it is in for an update round
    if notify:
        notifications.update_reviewed(update=update)
    return update
