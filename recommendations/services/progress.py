"""Progress updates: draft, submit, withdraw, delete; and direct changes recorded as approved updates
(services/reviews.py signs them off)."""

import datetime as dt
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from recommendations import permissions
from recommendations.models import (
    Action,
    Evidence,
    Item,
    Membership,
    ProgressUpdate,
    Recommendation,
    StagedUpload,
    UpdateLocked,
    User,
)
from recommendations.uploads import names_listed

from . import notifications
from .access import require_plan_manager
from .evidence import EvidenceLink, evidence_add_link, evidence_from_staged
from .history import council_changed, save_with_history
from .positions import positions_refresh
from .rounds import round_update_changed

ReviewState = ProgressUpdate.ReviewState


def item_link(item: Item) -> dict[str, Item]:
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
    key: uuid.UUID | None = None,
) -> ProgressUpdate:
    """A draft update by its author (who keeps at most one draft or returned update per item)."""
    existing = open_update(item, author)
    if existing is not None:
        raise OpenUpdateExists(existing)
    update = ProgressUpdate(
        **item_link(item),
        author=author,
        status=status,
        rag=rag,
        rag_reason=rag_reason.strip(),
        narrative=narrative.strip(),
        percent_complete=percent_complete,
        created_at=at or timezone.now(),
        submission_key=key,
    )
    update.full_clean()
    try:
        with transaction.atomic():
            update.save()
    except IntegrityError:
        existing = open_update(item, author)
        if existing is None:
            raise
        raise OpenUpdateExists(existing) from None
    return update


def require_state(update: ProgressUpdate, *states: str) -> None:
    if update.review_state == ReviewState.APPROVED:
        raise UpdateLocked("This update has been approved and cannot be changed")
    if update.review_state not in states:
        raise ValidationError(f"This update is {update.get_review_state_display().lower()}")


class AlreadySubmitted(ValidationError):
    """The same form was posted again (Back and submit, a double click, a retried request): its update has
    already been submitted, and nothing more is done."""

    def __init__(self, update: ProgressUpdate) -> None:
        super().__init__("This update was already submitted", code="already_submitted")
        self.update = update


class UpdateWaiting(ValidationError):
    """An item has at most one update waiting for sign-off: another one waits, so this one stays a draft
    (`draft`, where update_save saved it)."""

    draft: ProgressUpdate | None = None

    def __init__(self, waiting: ProgressUpdate) -> None:
        super().__init__(
            f"{waiting.author}'s update on {waiting.item.reference} is waiting for sign-off. Your update has been "
            "saved as a draft: you can submit it once that one has been reviewed",
            code="update_waiting",
        )
        self.waiting = waiting


class OpenUpdateExists(ValidationError):
    """Each author keeps at most one draft or returned update per item."""

    def __init__(self, existing: ProgressUpdate) -> None:
        what = "an update returned to you" if existing.review_state == ReviewState.RETURNED else "a draft update"
        super().__init__(
            f"You already have {what} on {existing.item.reference}: carry on with that one", code="open_update"
        )
        self.existing = existing


class StagedUploadGone(ValidationError):
    """A file the form carries was staged more than a day ago and has been removed by the clean-up."""

    def __init__(self, names: list[str]) -> None:
        was, it = ("was", "it") if len(names) == 1 else ("were", "them")
        super().__init__(
            f"{names_listed(names)} had been waiting for more than a day and {was} removed: choose {it} again",
            code="staged_upload_gone",
        )


def waiting_update(item: Item) -> ProgressUpdate | None:
    """The update waiting for sign-off on the item, if there is one (there is at most one)."""
    return (
        ProgressUpdate.objects.filter(**item_link(item), review_state=ReviewState.SUBMITTED)
        .select_related("author")
        .first()
    )


def open_update(item: Item, author: User) -> ProgressUpdate | None:
    """The author's draft or returned update on the item, if they have one (they have at most one)."""
    return ProgressUpdate.objects.filter(
        **item_link(item), author=author, review_state__in=[ReviewState.DRAFT, ReviewState.RETURNED]
    ).first()


@transaction.atomic
def update_submit(*, update: ProgressUpdate, at: dt.datetime | None = None, notify: bool = True) -> ProgressUpdate:
    """Send a draft or returned update for sign-off. Refused (UpdateWaiting) while another update on the item
    waits: the database holds that rule too, so two submissions at the same moment leave one waiting."""
    require_state(update, ReviewState.DRAFT, ReviewState.RETURNED)
    waiting = waiting_update(update.item)
    if waiting is not None and waiting.pk != update.pk:
        raise UpdateWaiting(waiting)
    update.review_state = ReviewState.SUBMITTED
    update.submitted_at = at or timezone.now()
    try:
        with transaction.atomic():
            update.save(update_fields=["review_state", "submitted_at"])
    except IntegrityError:  # another submission committed in the meantime
        update.review_state, update.submitted_at = ReviewState.DRAFT, None
        raise UpdateWaiting(waiting_update(update.item)) from None
    round_update_changed(update=update)  # whether it is in for an update round
    if notify:
        notifications.update_submitted(update=update)
    return update


# --- what a member does in the browser -------------------------------------------------------------


def lock_update(update: ProgressUpdate) -> None:
    """Lock the update's row until the transaction ends and reload it, so that its state is checked as it is
    now (a lead may have approved it a moment ago), not as it was loaded."""
    update.refresh_from_db(from_queryset=ProgressUpdate.objects.select_for_update())


def _require_author_can_edit(update: ProgressUpdate, by: User) -> None:
    if update.author_id != by.pk:
        raise PermissionDenied("Only the author can change this update")
    require_state(update, ReviewState.DRAFT, ReviewState.RETURNED)


def update_save(
    *,
    membership: Membership,
    item: Item,
    update: ProgressUpdate | None = None,
    key: uuid.UUID | None = None,
    status: str,
    rag: str,
    rag_reason: str = "",
    narrative: str = "",
    percent_complete: int | None = None,
    evidence: list[Evidence] = (),  # type: ignore[assignment]
    staged: list[StagedUpload] = (),  # type: ignore[assignment]
    links: list[EvidenceLink] = (),  # type: ignore[assignment]
    submit: bool = False,
    at: dt.datetime | None = None,
) -> ProgressUpdate:
    """Save a member's progress on an item as a draft (a new one, or their draft or returned update),
    attach its evidence, and submit it for review if asked.

    Its evidence is the whole list the form carries: `evidence` it already had (what the author left out is
    detached), `staged` uploads, which become evidence here, and new `links`; all in the draft's transaction,
    so a refusal leaves the uploads staged and adds nothing. A staged upload the clean-up removed meanwhile is
    refused (StagedUploadGone).

    `key` is the form's own key: the same form posted again finds the update it made, so it is never made
    twice; once submitted, a repeat is refused with AlreadySubmitted. The draft is saved (and committed)
    before it is submitted, so a submission refused because another update waits (UpdateWaiting) keeps it."""
    with transaction.atomic():
        update = _save_draft(
            membership=membership,
            item=item,
            update=update,
            key=key,
            status=status,
            rag=rag,
            rag_reason=rag_reason,
            narrative=narrative,
            percent_complete=percent_complete,
            evidence=evidence,
            staged=staged,
            links=links,
            at=at,
        )
    if submit:
        try:
            update_submit(update=update, at=at)
        except UpdateWaiting as refusal:
            refusal.draft = update
            raise
    return update


def _save_draft(
    *,
    membership: Membership,
    item: Item,
    update: ProgressUpdate | None,
    key: uuid.UUID | None,
    status: str,
    rag: str,
    rag_reason: str,
    narrative: str,
    percent_complete: int | None,
    evidence: list[Evidence],
    staged: list[StagedUpload],
    links: list[EvidenceLink],
    at: dt.datetime | None,
) -> ProgressUpdate:
    if not permissions.can_record_progress(membership, item):
        raise PermissionDenied("You can record progress only on what you own")
    user = membership.user
    made = ProgressUpdate.objects.filter(submission_key=key).first() if key is not None else None
    if made is not None:
        if made.author_id != user.pk or made.item != item:
            raise PermissionDenied("That form belongs to another update")
        if made.review_state in (ReviewState.SUBMITTED, ReviewState.APPROVED):
            raise AlreadySubmitted(made)
        update = made
    if update is None:
        waiting = waiting_update(item)
        if waiting is not None and waiting.author_id == user.pk:
            raise ValidationError(
                f"Your update on {item.reference} is waiting for sign-off: withdraw it if you want to change it",
                code="own_update_waiting",
            )
        update = update_create(
            item=item,
            author=user,
            status=status,
            rag=rag,
            rag_reason=rag_reason,
            narrative=narrative,
            percent_complete=percent_complete,
            at=at,
            key=key,
        )
    else:
        lock_update(update)
        _require_author_can_edit(update, user)
        update.status, update.rag = status, rag
        update.rag_reason, update.narrative = rag_reason.strip(), narrative.strip()
        update.percent_complete = percent_complete
        update.submission_key = update.submission_key or key
        update.full_clean()
        update.save()
    for item_evidence in evidence:
        if item_evidence.council_id != membership.council_id:
            raise PermissionDenied("That evidence belongs to another council")
    at = at or timezone.now()
    added = [evidence_from_staged(staged=upload, by=user, at=at) for upload in _staged_lock(membership, staged)]
    for link in links:
        added.append(
            evidence_add_link(
                council=membership.council, title=link.title, url=link.url, by=user, internal=link.internal, at=at
            )
        )
    update.evidence.set([*evidence, *added])  # the form's whole list: what the author removed is detached
    return update


def _staged_lock(membership: Membership, staged: list[StagedUpload]) -> list[StagedUpload]:
    """The staged uploads, locked until the draft's transaction ends, so the clean-up cannot remove one that
    is becoming evidence; refused if the clean-up removed one already. Only the member's own, in the council."""
    if not staged:
        return []
    locked = list(
        StagedUpload.objects.select_for_update().filter(
            pk__in=[upload.pk for upload in staged], uploaded_by=membership.user, council=membership.council
        )
    )
    found = {upload.pk for upload in locked}
    gone = [upload.original_filename or upload.title for upload in staged if upload.pk not in found]
    if gone:
        raise StagedUploadGone(gone)
    return locked


@transaction.atomic
def update_withdraw(*, update: ProgressUpdate, by: User) -> ProgressUpdate:
    """Take a submitted update back to draft, before a lead has reviewed it."""
    lock_update(update)
    if update.author_id != by.pk:
        raise PermissionDenied("Only the author can withdraw this update")
    require_state(update, ReviewState.SUBMITTED)
    existing = open_update(update.item, by)
    if existing is not None:
        raise OpenUpdateExists(existing)
    update.review_state = ReviewState.DRAFT
    update.submitted_at = None
    update.save(update_fields=["review_state", "submitted_at"])
    round_update_changed(update=update)  # whether it is in for an update round
    return update


@transaction.atomic
def update_delete(*, update: ProgressUpdate, by: User) -> None:
    """Delete a draft or returned update. Its evidence stays with the council, unattached."""
    lock_update(update)
    _require_author_can_edit(update, by)
    update.delete()


def approved_update(
    *,
    item: Item,
    author: User,
    status: str,
    rag: str,
    rag_reason: str = "",
    narrative: str = "",
    percent_complete: int | None = None,
    source: str = ProgressUpdate.Source.LEAD,
    at: dt.datetime,
) -> ProgressUpdate:
    """A change of status or RAG made directly, as the approved update that records it (not saved): its
    author is its reviewer, and it is submitted, reviewed and approved at the moment it is made."""
    return ProgressUpdate(
        **item_link(item),
        author=author,
        status=status,
        rag=rag,
        rag_reason=rag_reason.strip(),
        narrative=narrative.strip(),
        percent_complete=percent_complete,
        source=source,
        review_state=ReviewState.APPROVED,
        reviewer=author,
        created_at=at,
        submitted_at=at,
        reviewed_at=at,
        approved_at=at,
    )


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
    require_plan_manager(author, item.council.pk, to="do that")
    at = at or timezone.now()
    update = approved_update(
        item=item,
        author=author,
        status=status,
        rag=rag,
        rag_reason=rag_reason,
        narrative=narrative,
        percent_complete=percent_complete,
        source=source,
        at=at,
    )
    update.full_clean()
    update.save()
    if isinstance(item, Action) and percent_complete is not None:
        item.percent_complete = percent_complete
        save_with_history(item, by=author, at=at)
    positions_refresh(model=type(item), ids=[item.pk])
    item.refresh_from_db(fields=["status", "rag", "position_update"])
    council_changed(council_id=item.council.pk)
    return update
