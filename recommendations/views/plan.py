"""My work, and the pages of one recommendation or action."""

from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from recommendations import permissions, presenters, selectors, services
from recommendations.models import Item, Membership

from .base import council_view


@require_GET
@council_view
def my_work(request: HttpRequest, membership: Membership) -> HttpResponse:
    """What the user owns, overdue first, and their updates that wait for them or for a lead."""
    slug, user = membership.council.slug, request.user
    overdue_first = ("-is_overdue", F("position_due_date").asc(nulls_last=True), "reference")
    waiting = list(selectors.my_updates_waiting(user=user, council_slug=slug))
    return render(
        request,
        "recommendations/my_work.html",
        {
            "recommendations": selectors.recommendations_for(user=user, council_slug=slug)
            .filter(owner=user)
            .order_by(*overdue_first),
            "actions": selectors.actions_for(user=user, council_slug=slug).filter(owner=user).order_by(*overdue_first),
            "returned": [update for update in waiting if update.review_state == "returned"],
            "drafts": [update for update in waiting if update.review_state == "draft"],
            "submitted": [update for update in waiting if update.review_state == "submitted"],
            "reviews_waiting": selectors.reviews_waiting(user=user, council_slug=slug).count()
            if permissions.can_review(membership)
            else None,
        },
    )


def _item_page(
    request: HttpRequest, membership: Membership, item: Item, template: str, **extra: object
) -> HttpResponse:
    slug = membership.council.slug
    return render(
        request,
        template,
        {
            "item": item,
            "updates": presenters.mark_late_approvals(
                list(selectors.timeline_for(user=request.user, council_slug=slug, item=item))
            ),
            "evidence": selectors.evidence_supporting(user=request.user, council_slug=slug, item=item),
            "date_moves": selectors.due_date_changes_for(item=item),
            "history": presenters.change_history(item),
            "waiting": services.waiting_update(item),
            "can_record": permissions.can_record_progress(membership, item),
            "can_manage": permissions.can_manage_plan(membership),
            **extra,
        },
    )


@require_GET
@council_view
def recommendation_detail(request: HttpRequest, membership: Membership, pk: int) -> HttpResponse:
    slug = membership.council.slug
    recommendation = selectors.recommendation_get(user=request.user, council_slug=slug, pk=pk)
    actions = selectors.actions_for(user=request.user, council_slug=slug).filter(recommendation=recommendation)
    return _item_page(
        request, membership, recommendation, "recommendations/recommendation_detail.html", actions=actions
    )


@require_GET
@council_view
def action_detail(request: HttpRequest, membership: Membership, pk: int) -> HttpResponse:
    action = selectors.action_get(user=request.user, council_slug=membership.council.slug, pk=pk)
    return _item_page(request, membership, action, "recommendations/action_detail.html")
