"""Recording progress on a recommendation or an action: save a draft, submit it, withdraw it, delete it.

Files a member uploads are staged as soon as they pass the checks (services/uploads.py), even when the rest of
the form is rejected, and carried by id in the page, listed as already attached; so nobody is asked for the
same file twice. They become evidence when the update is saved; the clean-up job removes those never saved.
"""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from recommendations import permissions, selectors, services
from recommendations.forms.progress import EvidenceFormSet, ProgressUpdateForm
from recommendations.models import Action, Evidence, Item, Membership, ProgressUpdate, StagedUpload
from recommendations.uploads import names_listed

from .base import council_view, require


def _item_get(request: HttpRequest, membership: Membership, kind: str, pk: int) -> Item:
    if kind == "recommendation":
        return selectors.recommendation_get(user=request.user, council_slug=membership.council.slug, pk=pk)
    return selectors.action_get(user=request.user, council_slug=membership.council.slug, pk=pk)


def item_of(request: HttpRequest, membership: Membership, update: ProgressUpdate) -> Item:
    """The update's item, with its position, through the scoped selectors."""
    if update.recommendation_id:
        return _item_get(request, membership, "recommendation", update.recommendation_id)
    return _item_get(request, membership, "action", update.action_id)


@require_http_methods(["GET", "POST"])
@council_view
def update_new(request: HttpRequest, membership: Membership, kind: str, pk: int) -> HttpResponse:
    item = _item_get(request, membership, kind, pk)
    require(permissions.can_record_progress(membership, item))
    if request.method == "GET":
        elsewhere = _update_in_hand(request, membership, item)
        if elsewhere is not None:
            return elsewhere
    return _progress_page(request, membership, item, update=None)


def _update_in_hand(request: HttpRequest, membership: Membership, item: Item) -> HttpResponse | None:
    """Where "Record progress" goes when an update is already in hand, saying so: the user's own draft or
    returned update; else the update that waits for sign-off (a lead to its review, its author to the item,
    where they can withdraw it). None: a new update (another owner may draft one while an update waits)."""
    slug = membership.council.slug
    own = services.open_update(item, request.user)
    if own is not None:
        what = "an update returned to you" if own.review_state == ProgressUpdate.ReviewState.RETURNED else "a draft"
        messages.info(request, f"You already have {what} on {item.reference}: carry on with it here")
        return redirect("update_edit", slug, own.pk)
    waiting = services.waiting_update(item)
    if waiting is None:
        return None
    if waiting.author_id == request.user.pk:
        messages.info(
            request, f"Your update on {item.reference} is waiting for sign-off. To change it, withdraw it first"
        )
        return redirect(f"{item.get_absolute_url()}#update-{waiting.pk}")
    if permissions.can_review(membership):
        messages.info(
            request, f"{waiting.author}'s update on {item.reference} is waiting for sign-off: review it first"
        )
        return redirect("review_detail", slug, waiting.pk)
    return None


def _waiting_link(membership: Membership, waiting: ProgressUpdate) -> str:
    """Where a refusal's link to the waiting update goes: its review for a lead, else the item's page."""
    if permissions.can_review(membership):
        return reverse("review_detail", args=[membership.council.slug, waiting.pk])
    return f"{waiting.item.get_absolute_url()}#waiting"


@require_http_methods(["GET", "POST"])
@council_view
def update_edit(request: HttpRequest, membership: Membership, pk: int) -> HttpResponse:
    update = selectors.update_get(user=request.user, council_slug=membership.council.slug, pk=pk)
    require(update.author_id == request.user.pk)
    if update.review_state in (ProgressUpdate.ReviewState.SUBMITTED, ProgressUpdate.ReviewState.APPROVED):
        # The same form again (Back and submit, a double click): it has gone, and nothing more is done.
        messages.info(request, "This update was already submitted")
        return redirect(f"{update.item.get_absolute_url()}#update-{update.pk}")
    require(update.review_state in (ProgressUpdate.ReviewState.DRAFT, ProgressUpdate.ReviewState.RETURNED))
    return _progress_page(request, membership, item_of(request, membership, update), update=update)


def _progress_page(
    request: HttpRequest, membership: Membership, item: Item, update: ProgressUpdate | None
) -> HttpResponse:
    slug = membership.council.slug
    for_action = isinstance(item, Action)
    if request.method == "GET":
        # A new update starts from where the item stands now.
        initial = {"status": item.position_status, "rag": item.position_rag, "key": uuid.uuid4()}
        if update is not None:
            initial = {
                "status": update.status,
                "rag": update.rag,
                "rag_reason": update.rag_reason,
                "narrative": update.narrative,
                "percent_complete": update.percent_complete,
                "key": update.submission_key or uuid.uuid4(),
            }
        form = ProgressUpdateForm(initial=initial, for_action=for_action)
        rows = EvidenceFormSet(prefix="evidence")
        evidence = list(update.evidence.all()) if update else []
        return _render(request, item, update, form, rows, evidence, [], errors=[])

    form = ProgressUpdateForm(request.POST, for_action=for_action)
    rows = EvidenceFormSet(request.POST, request.FILES, prefix="evidence")
    removed = set(request.POST.getlist("remove_evidence"))
    kept = selectors.evidence_kept_for(
        user=request.user, council_slug=slug, ids=request.POST.getlist("evidence_id"), update=update
    )
    evidence = [item_evidence for item_evidence in kept if str(item_evidence.pk) not in removed]
    staged = _staged_carried(request, slug, form)

    # Stage every valid file now, so that a rejected form keeps it (listed as attached) and nobody chooses it twice.
    stored_rows = []
    rows_valid = rows.is_valid()
    for index, row in enumerate(rows.forms):
        if row.is_valid() and row.cleaned_data.get("file"):
            try:
                staged.append(
                    services.upload_stage(
                        council=membership.council,
                        uploaded=row.cleaned_data["file"],
                        title=row.cleaned_data["title"].strip(),
                        by=request.user,
                        internal=row.cleaned_data["internal"],
                    )
                )
                stored_rows.append(index)
            except ValidationError as error:
                row.add_error("file", error.messages[0])
                rows_valid = False

    if form.is_valid() and rows_valid:
        links = [
            services.EvidenceLink(
                title=row.cleaned_data["title"].strip(),
                url=row.cleaned_data["link"],
                internal=row.cleaned_data["internal"],
            )
            for row in rows.forms
            if row.cleaned_data.get("link")
        ]
        submit = request.POST.get("submit") == "review"
        try:
            saved = services.update_save(
                membership=membership,
                item=item,
                update=update,
                key=form.cleaned_data["key"],
                status=form.cleaned_data["status"],
                rag=form.cleaned_data["rag"],
                rag_reason=form.cleaned_data["rag_reason"],
                narrative=form.cleaned_data["narrative"],
                percent_complete=form.cleaned_data.get("percent_complete"),
                evidence=evidence,
                staged=staged,
                links=links,
                submit=submit,
            )
        except services.AlreadySubmitted as repeat:
            messages.info(request, "This update was already submitted")
            return redirect(f"{item.get_absolute_url()}#update-{repeat.update.pk}")
        except services.UpdateWaiting as refusal:
            # The draft is saved with its evidence (the staged files and links became evidence): the page is
            # now that draft's, and this form changes it.
            draft = refusal.draft
            errors = [(_waiting_link(membership, refusal.waiting), refusal.messages[0])]
            rows = _without_stored_rows(rows, list(range(len(rows.forms))))
            return _render(request, item, draft, form, rows, list(draft.evidence.all()), [], errors=errors)
        except services.OpenUpdateExists as refusal:
            link = reverse("update_edit", args=[slug, refusal.existing.pk])
            rows = _without_stored_rows(rows, stored_rows)
            return _render(request, item, update, form, rows, evidence, staged, errors=[(link, refusal.messages[0])])
        except services.StagedUploadGone as refusal:
            form.add_error(None, refusal.messages[0])
            staged = list(
                selectors.staged_uploads_for(user=request.user, council_slug=slug, ids=[upload.pk for upload in staged])
            )
        except ValidationError as error:
            form.add_error(None, error.messages[0])
        else:
            if submit:
                messages.success(request, f"Your update on {item.reference} has been sent for review")
            else:
                messages.success(request, f"Your draft update on {item.reference} has been saved")
            return redirect(
                item.get_absolute_url() if saved.review_state == "submitted" else reverse("my_work", args=[slug])
            )

    rows = _without_stored_rows(rows, stored_rows)
    errors = form.error_list + [anchor_message for row in rows.forms for anchor_message in row.error_list]
    errors += [("", "Add at most 10 pieces of evidence at a time") for _ in rows.non_form_errors()[:1]]
    return _render(request, item, update, form, rows, evidence, staged, errors=errors)


def _staged_carried(request: HttpRequest, slug: str, form: ProgressUpdateForm) -> list[StagedUpload]:
    """The user's staged uploads the page carries (by id), less those ticked for removal, which are removed.
    Any the clean-up removed meanwhile makes the form say so: its author meant to send them."""
    asked = request.POST.getlist("staged_id")
    staged = list(selectors.staged_uploads_for(user=request.user, council_slug=slug, ids=asked))
    numbers = {value for value in asked if value.isascii() and value.isdigit() and len(value) <= 18}
    gone = len(numbers - {str(upload.pk) for upload in staged})
    if gone:
        which, it = ("A file you attached was", "it") if gone == 1 else (f"{gone} files you attached were", "them")
        form.add_error(None, f"{which} removed because the form waited more than a day: choose {it} again")
    unwanted = set(request.POST.getlist("remove_staged"))
    if any(str(upload.pk) in unwanted for upload in staged):
        services.upload_discard(staged=[upload for upload in staged if str(upload.pk) in unwanted], by=request.user)
    return [upload for upload in staged if str(upload.pk) not in unwanted]


def _without_stored_rows(rows: EvidenceFormSet, stored: list[int]) -> EvidenceFormSet:
    """Re-show the evidence rows as typed, but empty where the file has been staged (it is listed above as
    attached) or the row has become evidence."""
    if not stored:
        return rows
    data: QueryDict = rows.data.copy()
    for index in stored:
        for name in ("title", "link", "internal"):
            data.pop(f"evidence-{index}-{name}", None)
    again = EvidenceFormSet(data, prefix="evidence")
    again.is_valid()
    for index, (before, after) in enumerate(zip(rows.forms, again.forms, strict=True)):
        if index not in stored:
            after._errors = before.errors
        else:
            after._errors = ErrorDict()
    return again


def _render(
    request: HttpRequest,
    item: Item,
    update: ProgressUpdate | None,
    form: ProgressUpdateForm,
    rows: EvidenceFormSet,
    evidence: list[Evidence],
    staged: list[StagedUpload],
    *,
    errors: list[tuple[str, str]],
) -> HttpResponse:
    waiting = services.waiting_update(item)
    attached = names_listed([upload.original_filename or upload.title for upload in staged]) if staged else ""
    return render(
        request,
        "recommendations/update_form.html",
        {
            "item": item,
            "update": update,
            "form": form,
            "rows": rows,
            "evidence": evidence,
            "staged": staged,
            "already_attached": attached,
            "action": reverse("update_edit", args=[item.council.slug, update.pk]) if update else "",
            "errors": errors,
            "waiting": waiting if waiting is not None and waiting.author_id != request.user.pk else None,
        },
    )


@require_POST
@council_view
def update_withdraw(request: HttpRequest, membership: Membership, pk: int) -> HttpResponse:
    update = selectors.update_get(user=request.user, council_slug=membership.council.slug, pk=pk)
    require(update.author_id == request.user.pk and update.review_state == "submitted")
    services.update_withdraw(update=update, by=request.user)
    messages.success(request, f"Your update on {update.item.reference} is a draft again")
    return redirect("update_edit", membership.council.slug, update.pk)


@require_http_methods(["GET", "POST"])
@council_view
def update_delete(request: HttpRequest, membership: Membership, pk: int) -> HttpResponse:
    update = selectors.update_get(user=request.user, council_slug=membership.council.slug, pk=pk)
    require(update.author_id == request.user.pk and update.review_state in ("draft", "returned"))
    if request.method == "POST":
        item = update.item
        services.update_delete(update=update, by=request.user)
        messages.success(request, f"Your draft update on {item.reference} has been deleted")
        return redirect(item.get_absolute_url())
    return render(request, "recommendations/update_delete.html", {"update": update, "item": update.item})
