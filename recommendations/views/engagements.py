"""Engagements (peer challenges and return visits): every member reads them; leads add and change them,
their themes and their peer team."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from recommendations import permissions, selectors, services
from recommendations.forms.engagements import EngagementForm, PeerForm
from recommendations.models import Engagement, Membership

from .base import council_view, require


@require_GET
@council_view
def engagement_list(request: HttpRequest, membership: Membership) -> HttpResponse:
    engagements = selectors.engagements_listed(user=request.user, council_slug=membership.council.slug)
    return render(
        request,
        "recommendations/engagement_list.html",
        {"engagements": engagements, "can_manage_plan": permissions.can_manage_plan(membership)},
    )


@require_GET
@council_view
def engagement_detail(request: HttpRequest, membership: Membership, pk: int) -> HttpResponse:
    slug = membership.council.slug
    engagement = selectors.engagement_get(user=request.user, council_slug=slug, pk=pk)
    return render(
        request,
        "recommendations/engagement_detail.html",
        {
            "engagement": engagement,
            "recommendations": selectors.engagement_plan(user=request.user, council_slug=slug, engagement=engagement),
            "can_manage_plan": permissions.can_manage_plan(membership),
        },
    )


def _engagement_form(
    request: HttpRequest, membership: Membership, engagement: Engagement | None, **kwargs: object
) -> EngagementForm:
    slug = membership.council.slug
    return EngagementForm(
        request.POST if request.method == "POST" else None,
        kinds=selectors.engagement_kinds(),
        parents=selectors.engagement_parent_choices(user=request.user, council_slug=slug, engagement=engagement),
        existing_themes=list(selectors.themes_of(engagement=engagement)) if engagement else None,
        **kwargs,
    )


@require_http_methods(["GET", "POST"])
@council_view
def engagement_create(request: HttpRequest, membership: Membership) -> HttpResponse:
    require(permissions.can_manage_plan(membership))
    initial = {"themes": "\n".join(services.CPC_CORE_COMPONENTS), "mode": Engagement.Mode.ONSITE}
    form = _engagement_form(request, membership, None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            engagement = services.engagement_create(
                council=membership.council, by=request.user, themes=form.new_theme_names(), **form.engagement_data()
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"{engagement.title} has been added")
            return redirect("engagement_detail", membership.council.slug, engagement.pk)
    return render(request, "recommendations/engagement_form.html", {"form": form, "engagement": None})


@require_http_methods(["GET", "POST"])
@council_view
def engagement_edit(request: HttpRequest, membership: Membership, pk: int) -> HttpResponse:
    require(permissions.can_manage_plan(membership))
    slug = membership.council.slug
    engagement = selectors.engagement_get(user=request.user, council_slug=slug, pk=pk)
    initial = {
        "title": engagement.title,
        "kind": engagement.kind_id,
        "parent": engagement.parent_id,
        "mode": engagement.mode,
        "first_onsite_day": engagement.first_onsite_day,
        "last_onsite_day": engagement.last_onsite_day,
        "report_received": engagement.report_received,
        "report_published": engagement.report_published,
        "action_plan_published": engagement.action_plan_published,
        "report_url": engagement.report_url,
    }
    form = _engagement_form(request, membership, engagement, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.engagement_update(
                engagement=engagement, by=request.user, themes=form.theme_list(), **form.engagement_data()
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"{form.cleaned_data['title']} has been updated")
            return redirect("engagement_detail", slug, engagement.pk)
    return render(request, "recommendations/engagement_form.html", {"form": form, "engagement": engagement})


@require_http_methods(["GET", "POST"])
@council_view
def engagement_peer_add(request: HttpRequest, membership: Membership, pk: int) -> HttpResponse:
    require(permissions.can_manage_plan(membership))
    slug = membership.council.slug
    engagement = selectors.engagement_get(user=request.user, council_slug=slug, pk=pk)
    form = PeerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            peer = services.peer_add(engagement=engagement, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{peer.name} has been added to the peer team")
            return redirect(reverse("engagement_detail", args=[slug, engagement.pk]) + "#peer-team")
    return render(request, "recommendations/engagement_peer_form.html", {"form": form, "engagement": engagement})


@require_POST
@council_view
def engagement_peer_remove(request: HttpRequest, membership: Membership, pk: int, peer_pk: int) -> HttpResponse:
    require(permissions.can_manage_plan(membership))
    slug = membership.council.slug
    engagement = selectors.engagement_get(user=request.user, council_slug=slug, pk=pk)
    peer = selectors.engagement_peer_get(engagement=engagement, pk=peer_pk)
    services.peer_remove(engagement=engagement, by=request.user, peer=peer)
    messages.success(request, f"{peer.name} has been taken off the peer team")
    return redirect(reverse("engagement_detail", args=[slug, engagement.pk]) + "#peer-team")
