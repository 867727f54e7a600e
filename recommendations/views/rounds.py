"""Update rounds: a lead asks the owners of a set of open items for progress by a date, sees who has updated and
who has not, takes items out while it is open and closes it, which records what came in.

Every member reads the rounds (the list and a round's page); only leads open, change or close one (403 for the
others). Outsiders get 404, as everywhere."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from recommendations import permissions, selectors, services
from recommendations.forms.rounds import RoundDetailsForm, RoundItemsForm
from recommendations.models import Membership, UpdateRound
from recommendations.tables import RoundItemTable, RoundTable
from recommendations.vocabulary import due_words

from .base import council_view, require, service_errors_on

# The first step's fields as posted (the date inputs post day, month and year), carried through the second.
DETAIL_FIELDS = (
    "engagement",
    *(f"{name}_{part}" for name in ("period_end", "due_date") for part in ("day", "month", "year")),
)
ROUND_ITEMS_PER_PAGE = 50


@require_GET
@council_view
def round_list(request: HttpRequest, membership: Membership) -> HttpResponse:
    slug = membership.council.slug
    rounds = selectors.rounds_listed(user=request.user, council_slug=slug)
    current = selectors.round_current(user=request.user, council_slug=slug)
    live = {current.pk: selectors.round_progress(current)} if current else {}
    table = RoundTable(rounds, live=live, caption="{count} update {items}, the open one first").configure(request)
    return render(
        request,
        "recommendations/round_list.html",
        {"table": table, "current": current, "can_manage": permissions.can_manage_plan(membership)},
    )


def _details_form(request: HttpRequest, membership: Membership, data: QueryDict | None) -> RoundDetailsForm:
    slug = membership.council.slug
    engagements = selectors.engagements_for(user=request.user, council_slug=slug).order_by("first_onsite_day", "pk")
    return RoundDetailsForm(
        data,
        engagements=list(engagements),
        open_counts=selectors.open_item_counts(user=request.user, council_slug=slug),
        today=selectors.local_today(),
    )


def _items_form(
    membership: Membership, details: RoundDetailsForm, data: QueryDict | None, ticked: QueryDict | None = None
) -> RoundItemsForm:
    """The open items of the plan chosen, as they are now: bound to `data` when the lead sends their choice;
    otherwise ticked as they left them before going back to change the dates (`ticked`), or all ticked."""
    recommendations, actions = services.open_items(council=membership.council, engagement=details.chosen_engagement)
    if ticked is not None:
        initial = {name: ticked.getlist(name) for name in ("recommendations", "actions")}
    else:
        initial = {
            "recommendations": [str(item.pk) for item in recommendations],
            "actions": [str(item.pk) for item in actions],
        }
    return RoundItemsForm(data, initial=initial, recommendations=recommendations, actions=actions)


def _carried(post: QueryDict, names: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(name, value) for name in names for value in post.getlist(name)]


@require_http_methods(["GET", "POST"])
@council_view
def round_create(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Two steps on one address: what the round covers and its dates, then the open items it asks about (every
    one ticked; the lead unticks those to leave out). The second step carries the first's fields as typed, and
    "Change" goes back to them carrying the ticks, kept if the lead continues with the same plan: nothing typed
    is lost. A round already open is to be closed first."""
    require(permissions.can_manage_plan(membership))
    slug = membership.council.slug
    current = selectors.round_current(user=request.user, council_slug=slug)
    if current is not None:
        return render(request, "recommendations/round_form.html", {"current": current})
    step = request.POST.get("step", "") if request.method == "POST" else ""
    details = _details_form(request, membership, request.POST if step else None)
    if step not in ("details", "items") or not details.is_valid():
        kept = _carried(request.POST, ("recommendations", "actions", "chosen_for")) if step else []
        return render(request, "recommendations/round_form.html", {"form": details, "kept": kept})
    if step == "items":
        items = _items_form(membership, details, request.POST)
    else:
        same_plan = request.POST.get("chosen_for") == details.cleaned_data["engagement"]
        items = _items_form(membership, details, None, ticked=request.POST if same_plan else None)
    if step == "items" and items.is_valid():
        try:
            update_round = services.round_open(
                by=request.user,
                council=membership.council,
                period_end=details.cleaned_data["period_end"],
                due_date=details.cleaned_data["due_date"],
                engagement=details.chosen_engagement,
                leave_out=items.left_out,
            )
        except ValidationError as exc:
            service_errors_on(items, exc)
        else:
            messages.success(request, f"Update round opened: {update_round.title}")
            return redirect(update_round)
    return render(
        request,
        "recommendations/round_items.html",
        {
            "form": items,
            "details": details,
            "carried": _carried(request.POST, DETAIL_FIELDS),
            "chosen_for": details.cleaned_data["engagement"],
            "covers": details.chosen_engagement or "The council's whole open plan",
        },
    )


def _round_page(
    request: HttpRequest, membership: Membership, update_round: UpdateRound, errors: list[tuple[str, str]] = ()
) -> HttpResponse:
    progress = selectors.round_progress(update_round)
    can_manage = permissions.can_manage_plan(membership)
    slug = membership.council.slug

    def remove_url(pk: int) -> str:
        return reverse("round_item_remove", args=[slug, update_round.pk, pk])

    table = RoundItemTable(
        progress.lines,
        recorded=progress.recorded,
        remove_url=remove_url if can_manage and update_round.is_open else None,
        csrf_token=get_token(request),
        caption="Items in the round" if update_round.is_open else "What came in for each item",
    ).configure(request, per_page=ROUND_ITEMS_PER_PAGE)
    today = selectors.local_today()
    return render(
        request,
        "recommendations/round_detail.html",
        {
            "round": update_round,
            "progress": progress,
            "table": table,
            "due_words": due_words(update_round.due_date, today) if update_round.is_open else "",
            "can_manage": can_manage,
            "errors": list(errors),
        },
    )


@require_GET
@council_view
def round_detail(request: HttpRequest, membership: Membership, pk: int) -> HttpResponse:
    update_round = selectors.round_get(user=request.user, council_slug=membership.council.slug, pk=pk)
    return _round_page(request, membership, update_round)


@require_POST
@council_view
def round_item_remove(request: HttpRequest, membership: Membership, pk: int, item_pk: int) -> HttpResponse:
    update_round = selectors.round_get(user=request.user, council_slug=membership.council.slug, pk=pk)
    round_item = selectors.round_item_get(update_round=update_round, pk=item_pk)
    require(permissions.can_manage_plan(membership))
    try:
        services.round_item_remove(by=request.user, round_item=round_item)
    except ValidationError as exc:
        return _round_page(request, membership, update_round, errors=[("", message) for message in exc.messages])
    messages.success(request, f"{round_item.item.reference} removed from the round")
    return redirect(update_round)


@require_http_methods(["GET", "POST"])
@council_view
def round_close(request: HttpRequest, membership: Membership, pk: int) -> HttpResponse:
    """GET asks (saying what closing will record); POST closes."""
    update_round = selectors.round_get(user=request.user, council_slug=membership.council.slug, pk=pk)
    require(permissions.can_manage_plan(membership))
    if not update_round.is_open:
        messages.info(request, "This round has already closed")
        return redirect(update_round)
    if request.method == "POST":
        try:
            services.round_close(by=request.user, update_round=update_round)
        except ValidationError as exc:
            messages.info(request, " ".join(exc.messages))
        else:
            messages.success(request, "Round closed: what came in for each item is recorded")
        return redirect(update_round)
    context: dict[str, Any] = {"round": update_round, "progress": selectors.round_progress(update_round)}
    return render(request, "recommendations/round_close.html", context)
