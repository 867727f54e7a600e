"""The forms of the plan's items: leads add and change recommendations and actions (owners, dates, where a move
needs its reason, and a direct change of status or RAG, recorded as an approved update marked as the lead's).

Edit forms carry the item's version: if someone else saved the item after the form was loaded, the save
is refused, the other person's changes are kept, and the page shows them beside what this lead typed."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from recommendations import permissions, selectors, services
from recommendations.forms.plan import ActionForm, PlanItemForm, RecommendationForm, add_service_errors
from recommendations.models import Action, Engagement, Membership, Recommendation

from .base import council_view, require

LATEST = "latest-version"  # the anchor of the "latest version" panel on a refused edit


def _engagement_url(slug: str, engagement_id: int, recommendation_id: int) -> str:
    return reverse("engagement_detail", args=[slug, engagement_id]) + f"#recommendation-{recommendation_id}"


def _recommendation_form(
    request: HttpRequest,
    membership: Membership,
    engagement: Engagement,
    data: QueryDict | None,
    *,
    recommendation: Recommendation | None = None,
    initial: dict[str, Any] | None = None,
) -> RecommendationForm:
    slug = membership.council.slug
    return RecommendationForm(
        data,
        initial=initial,
        owners=selectors.plan_owners_for(
            user=request.user, council_slug=slug, keep=recommendation.owner if recommendation else None
        ),
        themes=selectors.themes_of(engagement=engagement),
        directorates=selectors.directorates_for(user=request.user, council_slug=slug),
        editing=recommendation is not None,
    )


def _action_form(
    request: HttpRequest,
    membership: Membership,
    data: QueryDict | None,
    *,
    action: Action | None = None,
    initial: dict[str, Any] | None = None,
) -> ActionForm:
    owners = selectors.plan_owners_for(
        user=request.user, council_slug=membership.council.slug, keep=action.owner if action else None
    )
    return ActionForm(data, initial=initial, owners=owners, editing=action is not None)


def _position_initial(item: Recommendation | Action) -> dict[str, Any]:
    """What the page shows of the item: its fields, its version, its status and RAG today."""
    return {
        "reference": item.reference,
        "owner": item.owner_id,
        "due_date": item.due_date,
        "baseline_due_date": item.baseline_due_date,
        "version": item.version,
        "status": item.position_status,
        "rag": item.position_rag,
    }


def _recommendation_initial(recommendation: Recommendation) -> dict[str, Any]:
    return {
        **_position_initial(recommendation),
        "heading": recommendation.heading,
        "text": recommendation.text,
        "kind": recommendation.kind,
        "theme": recommendation.theme_id,
        "lead_directorate": recommendation.lead_directorate_id,
        "lead_member": recommendation.lead_member,
        "closure_basis": recommendation.closure_basis,
    }


def _action_initial(action: Action) -> dict[str, Any]:
    return {
        **_position_initial(action),
        "description": action.description,
        "start_date": action.start_date,
        "percent_complete": action.percent_complete,
    }


def _form_page(
    request: HttpRequest,
    template: str,
    form: PlanItemForm,
    context: dict[str, Any],
    *,
    stale: services.StaleEdit | None = None,
    differences: list[tuple[str, str, str]] = (),  # type: ignore[assignment]
) -> HttpResponse:
    errors = form.error_list
    if stale:
        errors = [(LATEST, message) for message in stale.messages] + errors
    return render(
        request, template, {**context, "form": form, "errors": errors, "stale": stale, "differences": differences}
    )


def _stale_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    form: PlanItemForm,
    build: Any,
    stale: services.StaleEdit,
    current: Recommendation | Action,
    latest: dict[str, Any],
) -> HttpResponse:
    """Someone else saved the item while this lead's form was open: the form again on the latest version,
    keeping what this lead changed, beside what the other person changed."""
    loaded = selectors.item_history_at_version(item=current, version=form.cleaned_data["version"])
    data, differences = form.after_stale(current=current, loaded=loaded, latest=latest)
    again = build(data, latest)
    again.is_valid()
    return _form_page(request, template, again, context, stale=stale, differences=differences)


# --- recommendations ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@council_view
def recommendation_create(request: HttpRequest, membership: Membership, pk: int) -> HttpResponse:
    require(permissions.can_manage_plan(membership))
    slug = membership.council.slug
    engagement = selectors.engagement_get(user=request.user, council_slug=slug, pk=pk)
    form = _recommendation_form(request, membership, engagement, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            recommendation = services.recommendation_add(
                engagement=engagement,
                by=request.user,
                new_directorate=form.cleaned_data["new_directorate"],
                **form.item_changes(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Recommendation {recommendation.reference} has been added")
            return redirect(_engagement_url(slug, engagement.pk, recommendation.pk))
    return _form_page(
        request, "recommendations/recommendation_form.html", form, {"engagement": engagement, "recommendation": None}
    )


@require_http_methods(["GET", "POST"])
@council_view
def recommendation_edit(request: HttpRequest, membership: Membership, pk: int) -> HttpResponse:
    require(permissions.can_manage_plan(membership))
    slug = membership.council.slug
    recommendation = selectors.recommendation_get(user=request.user, council_slug=slug, pk=pk)
    engagement = recommendation.engagement

    def build(data: QueryDict | None, initial: dict[str, Any]) -> RecommendationForm:
        return _recommendation_form(
            request, membership, engagement, data, recommendation=recommendation, initial=initial
        )

    form = build(request.POST if request.method == "POST" else None, _recommendation_initial(recommendation))
    context = {"engagement": engagement, "recommendation": recommendation}
    if request.method == "POST" and form.is_valid():
        try:
            services.recommendation_update(
                recommendation=recommendation,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                due_date_reason=form.cleaned_data["due_date_reason"],
                new_directorate=form.cleaned_data["new_directorate"],
                **form.position_changes(),
                **form.item_changes(),
            )
        except services.StaleEdit as stale:
            current = selectors.recommendation_get(user=request.user, council_slug=slug, pk=pk)
            return _stale_page(
                request,
                "recommendations/recommendation_form.html",
                context,
                form=form,
                build=build,
                stale=stale,
                current=current,
                latest=_recommendation_initial(current),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Recommendation {form.cleaned_data['reference']} has been updated")
            return redirect("recommendation_detail", slug, recommendation.pk)
    return _form_page(request, "recommendations/recommendation_form.html", form, context)


# --- actions --------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@council_view
def action_create(request: HttpRequest, membership: Membership, pk: int) -> HttpResponse:
    require(permissions.can_manage_plan(membership))
    slug = membership.council.slug
    recommendation = selectors.recommendation_get(user=request.user, council_slug=slug, pk=pk)
    form = _action_form(request, membership, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            action = services.action_add(recommendation=recommendation, by=request.user, **form.item_changes())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Action {action.reference} has been added to {recommendation.reference}")
            return redirect(_engagement_url(slug, recommendation.engagement_id, recommendation.pk))
    return _form_page(
        request, "recommendations/action_form.html", form, {"recommendation": recommendation, "action": None}
    )


@require_http_methods(["GET", "POST"])
@council_view
def action_edit(request: HttpRequest, membership: Membership, pk: int) -> HttpResponse:
    require(permissions.can_manage_plan(membership))
    slug = membership.council.slug
    action = selectors.action_get(user=request.user, council_slug=slug, pk=pk)

    def build(data: QueryDict | None, initial: dict[str, Any]) -> ActionForm:
        return _action_form(request, membership, data, action=action, initial=initial)

    form = build(request.POST if request.method == "POST" else None, _action_initial(action))
    context = {"recommendation": action.recommendation, "action": action}
    if request.method == "POST" and form.is_valid():
        try:
            services.action_update(
                action=action,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                due_date_reason=form.cleaned_data["due_date_reason"],
                **form.position_changes(),
                **form.item_changes(),
            )
        except services.StaleEdit as stale:
            current = selectors.action_get(user=request.user, council_slug=slug, pk=pk)
            return _stale_page(
                request,
                "recommendations/action_form.html",
                context,
                form=form,
                build=build,
                stale=stale,
                current=current,
                latest=_action_initial(current),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Action {form.cleaned_data['reference']} has been updated")
            return redirect("action_detail", slug, action.pk)
    return _form_page(request, "recommendations/action_form.html", form, context)
