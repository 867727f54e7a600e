"""Council pages. Each view parses, looks up through a selector scoped to the user's councils
(anything else is a 404), and renders."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import selectors


@login_required
@require_GET
def council_home(request: HttpRequest, slug: str) -> HttpResponse:
    membership = selectors.membership_get(user=request.user, council_slug=slug)
    recommendations = selectors.recommendations_for(user=request.user, council_slug=slug).order_by(
        "engagement__first_onsite_day", "position", "reference"
    )
    return render(
        request,
        "recommendations/council_home.html",
        {
            "council": membership.council,
            "membership": membership,
            "engagements": selectors.engagements_for(user=request.user, council_slug=slug),
            "recommendations": recommendations,
        },
    )


@login_required
@require_GET
def recommendation_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = selectors.membership_get(user=request.user, council_slug=slug)
    recommendation = selectors.recommendation_get(user=request.user, council_slug=slug, pk=pk)
    return render(
        request,
        "recommendations/recommendation_detail.html",
        {
            "council": membership.council,
            "membership": membership,
            "recommendation": recommendation,
            "actions": selectors.actions_for(user=request.user, council_slug=slug).filter(
                recommendation=recommendation
            ),
            "updates": selectors.approved_updates_for(user=request.user, council_slug=slug, item=recommendation),
        },
    )


@login_required
@require_GET
def action_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = selectors.membership_get(user=request.user, council_slug=slug)
    action = selectors.action_get(user=request.user, council_slug=slug, pk=pk)
    return render(
        request,
        "recommendations/action_detail.html",
        {
            "council": membership.council,
            "membership": membership,
            "action": action,
            "updates": selectors.approved_updates_for(user=request.user, council_slug=slug, item=action),
        },
    )
