"""The council's overview and the pages of one recommendation or action."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from recommendations import selectors
from recommendations.models import Membership

from .base import council_view


@require_GET
@council_view
def council_home(request: HttpRequest, membership: Membership) -> HttpResponse:
    slug = membership.council.slug
    recommendations = selectors.recommendations_for(user=request.user, council_slug=slug).order_by(
        "engagement__first_onsite_day", "position", "reference"
    )
    return render(
        request,
        "recommendations/council_home.html",
        {
            "engagements": selectors.engagements_for(user=request.user, council_slug=slug),
            "recommendations": recommendations,
        },
    )


@require_GET
@council_view
def recommendation_detail(request: HttpRequest, membership: Membership, pk: int) -> HttpResponse:
    slug = membership.council.slug
    recommendation = selectors.recommendation_get(user=request.user, council_slug=slug, pk=pk)
    return render(
        request,
        "recommendations/recommendation_detail.html",
        {
            "recommendation": recommendation,
            "actions": selectors.actions_for(user=request.user, council_slug=slug).filter(
                recommendation=recommendation
            ),
            "updates": selectors.approved_updates_for(user=request.user, council_slug=slug, item=recommendation),
        },
    )


@require_GET
@council_view
def action_detail(request: HttpRequest, membership: Membership, pk: int) -> HttpResponse:
    slug = membership.council.slug
    action = selectors.action_get(user=request.user, council_slug=slug, pk=pk)
    return render(
        request,
        "recommendations/action_detail.html",
        {
            "action": action,
            "updates": selectors.approved_updates_for(user=request.user, council_slug=slug, item=action),
        },
    )
