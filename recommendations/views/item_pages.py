"""My work, and the pages of one recommendation or action (today, or as at a past date: `?as_at=`)."""

import datetime as dt
from collections.abc import Callable

from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from recommendations import permissions, presenters, selectors, services
from recommendations.filters import past_date_asked
from recommendations.models import Item, Membership
from recommendations.vocabulary import due_words

from .base import council_view


@require_GET
@council_view
def my_work(request: HttpRequest, membership: Membership) -> HttpResponse:
    """What the user owns, overdue first, and their updates that wait for them or for a lead; at the top, while an
    update round is open, their items in it and whether each one's update is in (a fixed number of queries)."""
    slug, user = membership.council.slug, request.user
    overdue_first = ("-is_overdue", F("position_due_date").asc(nulls_last=True), "reference")
    waiting = list(selectors.my_updates_waiting(user=user, council_slug=slug))
    update_round = selectors.round_current(user=user, council_slug=slug)
    round_lines = selectors.my_round_items(update_round=update_round, user=user) if update_round else []
    today = selectors.local_today()
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
            "round": update_round if round_lines else None,
            "current_round": update_round,
            "can_manage_rounds": permissions.can_manage_plan(membership),
            "round_lines": round_lines,
            "round_due": due_words(update_round.due_date, today) if update_round else "",
            "round_overdue": bool(update_round and update_round.due_date < today),
        },
    )


def _as_at(
    request: HttpRequest, membership: Membership, pk: int, *, dated: Callable[..., Item], stored: Callable[..., Item]
) -> tuple[Item, dt.date | None, dt.date | None]:
    """The item as at the past date asked for (`dated`), that date and the date asked; or, where none was asked or
    the item entered the plan after it, the item as it stands (`stored`: its stored position) and None. Outside
    the user's councils, 404 either way."""
    asked, found = (
        past_date_asked(request.GET),
        {"user": request.user, "council_slug": membership.council.slug, "pk": pk},
    )
    if asked is not None:
        try:
            return dated(**found, as_at=asked), asked, asked
        except Http404:
            pass
    return stored(**found), None, asked


def _item_page(
    request: HttpRequest,
    membership: Membership,
    item: Item,
    template: str,
    *,
    as_at: dt.date | None,
    asked: dt.date | None,
    **extra: object,
) -> HttpResponse:
    """`as_at`: the past date the summary is as at (None: today); `asked`: the past date asked for, which the
    item may not have existed on."""
    slug = membership.council.slug
    can_record, can_manage = permissions.can_record_progress(membership, item), permissions.can_manage_plan(membership)
    date_moves = list(selectors.due_date_changes_for(item=item, as_at=as_at))
    history = presenters.change_history(item, before=selectors.end_of_day(as_at) if as_at else None)
    evidence = list(selectors.evidence_supporting(user=request.user, council_slug=slug, item=item, as_at=as_at))
    updates = presenters.mark_late_approvals(
        selectors.timeline_for(user=request.user, council_slug=slug, item=item, as_at=as_at)
    )
    return render(
        request,
        template,
        {
            "item": item,
            "as_at": as_at,
            "not_yet_on": asked if as_at is None else None,
            "as_at_query": f"?as_at={as_at.isoformat()}" if as_at else "",
            "timeline": presenters.timeline_cards(
                updates, request=request, council=membership.council, can_manage=can_manage
            ),
            "evidence_items": presenters.evidence_items_html(evidence, council_slug=slug) if evidence else "",
            "date_moves": date_moves,
            "summary_rows": presenters.item_summary_rows(
                item, council=membership.council, as_at=as_at, date_moves=date_moves
            ),
            "history": history,
            "history_html": presenters.history_html(history),
            # Said to a member who may record progress but not sign it off (a lead sees the update's own card).
            "waiting": services.waiting_update(item) if as_at is None and can_record and not can_manage else None,
            "can_record": can_record,
            "can_manage": can_manage,
            **extra,
        },
    )


@require_GET
@council_view
def recommendation_detail(request: HttpRequest, membership: Membership, pk: int) -> HttpResponse:
    recommendation, as_at, asked = _as_at(
        request, membership, pk, dated=selectors.recommendation_get, stored=selectors.recommendation_stored_get
    )
    if as_at is None:
        actions = list(selectors.actions_stored_under(recommendation=recommendation, membership=membership))
    else:
        actions = selectors.actions_under(recommendation=recommendation, membership=membership, as_at=as_at)
    return _item_page(
        request,
        membership,
        recommendation,
        "recommendations/recommendation_detail.html",
        as_at=as_at,
        asked=asked,
        actions=actions,
        action_rows=presenters.action_rows(
            actions,
            council_slug=membership.council.slug,
            as_at=as_at,
            as_at_query=f"?as_at={as_at.isoformat()}" if as_at else "",
            can_change=permissions.can_manage_plan(membership),
        ),
    )


@require_GET
@council_view
def action_detail(request: HttpRequest, membership: Membership, pk: int) -> HttpResponse:
    action, as_at, asked = _as_at(
        request, membership, pk, dated=selectors.action_get, stored=selectors.action_stored_get
    )
    return _item_page(request, membership, action, "recommendations/action_detail.html", as_at=as_at, asked=asked)
