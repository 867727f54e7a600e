"""Leads sign progress off: approve (with an assurance RAG where they disagree) or return with a comment."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from recommendations import permissions, presenters, selectors, services
from recommendations.forms.progress import ApproveForm, ReturnForm
from recommendations.models import Membership, ProgressUpdate

from .base import council_view, require
from .progress import item_of


@require_GET
@council_view
def review_list(request: HttpRequest, membership: Membership) -> HttpResponse:
    require(permissions.can_review(membership))
    updates = selectors.reviews_waiting(user=request.user, council_slug=membership.council.slug)
    return render(
        request,
        "recommendations/review_list.html",
        {"reviews": [presenters.waiting_review(update) for update in updates]},
    )


def _seen(update: ProgressUpdate) -> dict[str, str]:
    """The review forms' initial data: when the update on the page was submitted."""
    return {"seen": update.submitted_at.isoformat() if update.submitted_at else ""}


def _review_page(
    request: HttpRequest,
    membership: Membership,
    update: ProgressUpdate,
    approve_form: ApproveForm | None = None,
    return_form: ReturnForm | None = None,
    conflict: str = "",
) -> HttpResponse:
    approve_form = approve_form or ApproveForm(prefix="approve", initial=_seen(update), owner_rag=update.rag)
    return_form = return_form or ReturnForm(prefix="return", initial=_seen(update))
    errors = approve_form.error_list + return_form.error_list if request.method == "POST" else []
    if conflict:
        errors = [("#update", conflict)]
    later = services.position_update_before(update)
    return render(
        request,
        "recommendations/review_detail.html",
        {
            "update": update,
            "item": item_of(request, membership, update),
            "later": later,
            "later_origin": presenters.update_origin(later) if later else "",
            "approve_form": approve_form,
            "return_form": return_form,
            "errors": errors,
        },
    )


def _for_review(request: HttpRequest, membership: Membership, pk: int) -> ProgressUpdate | HttpResponse:
    """The update if it still waits for review; else the list of what does, with a message that says what
    happened to it (a link from an e-mail may be days old). Leads only."""
    require(permissions.can_review(membership))
    try:
        update = selectors.update_get(user=request.user, council_slug=membership.council.slug, pk=pk)
    except Http404:  # a draft is its author's alone: withdrawn since the lead opened it, or never there
        messages.info(request, "That update is no longer waiting for review: its author may have withdrawn it")
        return redirect("review_list", membership.council.slug)
    if update.review_state != ProgressUpdate.ReviewState.SUBMITTED:
        return _no_longer_waiting(request, update)
    return update


@require_GET
@council_view
def review_detail(request: HttpRequest, membership: Membership, pk: int) -> HttpResponse:
    update = _for_review(request, membership, pk)
    if isinstance(update, HttpResponse):
        return update
    return _review_page(request, membership, update)


def _no_longer_waiting(request: HttpRequest, update: ProgressUpdate) -> HttpResponse:
    """Someone else got there first: the list of what still waits, with a message that says what happened."""
    state = ProgressUpdate.ReviewState
    what = {
        state.APPROVED: f"has already been approved by {update.reviewer}",
        state.RETURNED: f"has already been returned by {update.reviewer}",
    }.get(update.review_state, "was withdrawn by its author")
    messages.info(request, f"The update on {update.item.reference} {what}")
    return redirect("review_list", update.item.council.slug)


def _sign_off(request: HttpRequest, membership: Membership, pk: int, *, approve: bool) -> HttpResponse:
    """Approve or return, as the update stood when the lead read it. If its author changed it meanwhile, the
    page shows it again with a message; if another lead signed it off first, the list says so."""
    slug = membership.council.slug
    update = _for_review(request, membership, pk)
    if isinstance(update, HttpResponse):
        return update
    if approve:
        form = ApproveForm(request.POST, prefix="approve", owner_rag=update.rag)
    else:
        form = ReturnForm(request.POST, prefix="return")
    if not form.is_valid():
        if approve:
            return _review_page(request, membership, update, approve_form=form)
        return _review_page(request, membership, update, return_form=form)
    seen = form.cleaned_data["seen"]
    try:
        if approve:
            services.update_approve(
                update=update,
                reviewer=request.user,
                assurance_rag=form.cleaned_data["assurance_rag"],
                assurance_reason=form.cleaned_data["assurance_reason"],
                seen_submitted_at=seen,
            )
        else:
            services.update_return(
                update=update, reviewer=request.user, comment=form.cleaned_data["comment"], seen_submitted_at=seen
            )
    except services.ReviewConflict as conflict:
        try:
            fresh = selectors.update_get(user=request.user, council_slug=slug, pk=pk)
        except Http404:
            messages.info(request, "That update is no longer waiting for review: its author withdrew it")
            return redirect("review_list", slug)
        if fresh.review_state != ProgressUpdate.ReviewState.SUBMITTED:
            return _no_longer_waiting(request, fresh)
        return _review_page(request, membership, fresh, conflict=conflict.messages[0])
    later = services.position_update_before(update) if approve else None
    if later is not None:
        messages.success(
            request,
            f"Update on {update.item.reference} approved and added to its history. Its position still comes from "
            f"{presenters.update_origin(later)}",
        )
    elif approve:
        messages.success(request, f"Update on {update.item.reference} approved")
    else:
        messages.success(request, f"Update on {update.item.reference} returned to {update.author}")
    return redirect("review_list", slug)


@require_POST
@council_view
def review_approve(request: HttpRequest, membership: Membership, pk: int) -> HttpResponse:
    return _sign_off(request, membership, pk, approve=True)


@require_POST
@council_view
def review_return(request: HttpRequest, membership: Membership, pk: int) -> HttpResponse:
    return _sign_off(request, membership, pk, approve=False)
