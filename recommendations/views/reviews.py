"""Leads sign progress off: approve (with an assurance RAG where they disagree) or return with a comment."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from recommendations import permissions, selectors, services
from recommendations.forms.progress import ApproveForm, ReturnForm
from recommendations.models import Membership, ProgressUpdate

from .base import council_view, require
from .progress import item_of


@require_GET
@council_view
def review_list(request: HttpRequest, membership: Membership) -> HttpResponse:
    require(permissions.can_review(membership))
    updates = selectors.reviews_waiting(user=request.user, council_slug=membership.council.slug)
    return render(request, "recommendations/review_list.html", {"updates": updates})


def _waiting(request: HttpRequest, membership: Membership, pk: int) -> ProgressUpdate:
    require(permissions.can_review(membership))
    update = selectors.update_get(user=request.user, council_slug=membership.council.slug, pk=pk)
    require(update.review_state == ProgressUpdate.ReviewState.SUBMITTED)
    return update


def _review_page(
    request: HttpRequest,
    membership: Membership,
    update: ProgressUpdate,
    approve_form: ApproveForm,
    return_form: ReturnForm,
) -> HttpResponse:
    return render(
        request,
        "recommendations/review_detail.html",
        {
            "update": update,
            "item": item_of(request, membership, update),
            "approve_form": approve_form,
            "return_form": return_form,
            "errors": approve_form.error_list + return_form.error_list if request.method == "POST" else [],
        },
    )


@require_GET
@council_view
def review_detail(request: HttpRequest, membership: Membership, pk: int) -> HttpResponse:
    update = _waiting(request, membership, pk)
    return _review_page(request, membership, update, ApproveForm(prefix="approve"), ReturnForm(prefix="return"))


@require_POST
@council_view
def review_approve(request: HttpRequest, membership: Membership, pk: int) -> HttpResponse:
    update = _waiting(request, membership, pk)
    form = ApproveForm(request.POST, prefix="approve")
    if not form.is_valid():
        return _review_page(request, membership, update, form, ReturnForm(prefix="return"))
    services.update_approve(update=update, reviewer=request.user, assurance_rag=form.cleaned_data["assurance_rag"])
    messages.success(request, f"Update on {update.item.reference} approved")
    return redirect("review_list", membership.council.slug)


@require_POST
@council_view
def review_return(request: HttpRequest, membership: Membership, pk: int) -> HttpResponse:
    update = _waiting(request, membership, pk)
    form = ReturnForm(request.POST, prefix="return")
    if not form.is_valid():
        return _review_page(request, membership, update, ApproveForm(prefix="approve"), form)
    services.update_return(update=update, reviewer=request.user, comment=form.cleaned_data["comment"])
    messages.success(request, f"Update on {update.item.reference} returned to {update.author}")
    return redirect("review_list", membership.council.slug)
