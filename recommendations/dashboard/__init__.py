"""The leadership dashboard (`/councils/<slug>/`): where the plan stood at the end of a day, how it moved,
what is slipping, and the LGA's timetable.

Every number is computed from the scoped selectors' position at the as-at date (`selectors.with_position`,
DESIGN.md §2: status, RAG, due date, and the theme, lead directorate and owner the item had on that day), so
it agrees with the recommendations or actions table it links to, which is filtered to explain it. The work
is a fixed number of queries whatever the size of the plan; the view caches the page it makes from it
(views/dashboard.py).
"""

import datetime as dt
from collections.abc import Iterable, Sequence

from django.utils import timezone

from recommendations import selectors
from recommendations.models import Engagement, Membership, Theme, User
from recommendations.timetable import timetables
from recommendations.vocabulary import (
    DUE_SOON,
    GREEN_OVERDUE,
    RAG_KEYS,
    STALE,
    STATUS_KEYS,
    due_words,
    interval_words,
    time_between,
)

from .charts import _charts
from .links import Links
from .numbers import (
    _approval,
    _directorate_breakdown,
    _engagement_line,
    _history,
    _line,
    _tallies,
    _theme_breakdown,
)
from .reads import Item, history_read, items_read, recent_read
from .shapes import Dashboard, Number, RoundPanel

LIST_LENGTH = 10
RECENT_LENGTH = 8


def _start(engagements: Sequence[Engagement], recommendations: Sequence[Item], as_at: dt.date) -> dt.date:
    """Where the history starts: the end of the challenges the recommendations came from (their last day
    on site), else when the first recommendation entered the plan."""
    in_scope = {recommendation.engagement_id for recommendation in recommendations}
    days = [e.last_onsite_day or e.first_onsite_day for e in engagements if e.pk in in_scope]
    days = [day for day in days if day] or [timezone.localdate(r.created_at) for r in recommendations]
    return min(days, default=as_at)


def _round_panel(*, user: User, slug: str, as_at: dt.date) -> RoundPanel | None:
    """The round open at the end of `as_at` (the one open now, for today), as things stood then: never today's
    numbers for a past date. A fixed number of queries, whatever the number of items."""
    update_round = selectors.round_open_on(user=user, council_slug=slug, day=as_at)
    if update_round is None:
        return None
    today = selectors.local_today()
    until = None if as_at >= today else selectors.end_of_day(as_at) - dt.timedelta(microseconds=1)
    progress = selectors.round_progress(update_round, until=until)
    return RoundPanel(
        title=update_round.title,
        url=update_round.get_absolute_url(),
        due_date=update_round.due_date,
        due_words=due_words(update_round.due_date, min(as_at, today)),
        total=progress.total,
        updated=progress.updated,
        waiting=len(progress.waiting),
        owners_overdue=progress.owners_overdue,
    )


def dashboard_build(
    *,
    user: User,
    membership: Membership,
    as_at: dt.date,
    engagements: Iterable[Engagement],
    themes: Iterable[Theme],
    engagement: Engagement | None = None,
    theme: Theme | None = None,
) -> Dashboard:
    """The dashboard as at the end of `as_at`, for the council's plan or one engagement's or theme's part of
    it. `engagements` and `themes` are all the council's (with their kinds, parents and engagements: those its
    filters offer, read once for both). A fixed number of queries, whatever the size of the plan."""
    slug = membership.council.slug
    links = Links(slug, as_at, engagement, theme)
    # The council's items through the member's membership, as the scoped selectors position them (reads.py).
    recommendations, actions = items_read(
        council=membership.council_id,
        day=as_at,
        interval_months=membership.council.update_interval_months,
        engagement=engagement.pk if engagement is not None else None,
        theme=theme.pk if theme is not None else None,
    )
    items = [*recommendations, *actions]

    overdue = sorted((item for item in items if item.is_overdue), key=lambda item: item.position_due_date)
    due_soon = sorted((item for item in items if item.is_due_soon), key=lambda item: item.position_due_date)
    moved = sorted(
        (action for action in actions if action.is_moved),
        key=lambda action: -abs((action.position_due_date - action.baseline_due_date).days),
    )
    disagreements = [item for item in items if item.rag_disagreement]

    # By first day on site, those without one last (as the database orders them), then as created.
    engagements = sorted(
        engagements, key=lambda e: (e.first_onsite_day is None, e.first_onsite_day or dt.date.min, e.pk)
    )
    held = [e for e in engagements if e.first_onsite_day and e.first_onsite_day <= as_at]
    coming = [e for e in engagements if e.first_onsite_day and e.first_onsite_day > as_at]
    challenge_ids = {engagement.pk, engagement.parent_id} if engagement else None

    # The items' ids as read above, not their read again as a subquery: that hid from PostgreSQL's planner how
    # few items there are, and it walked every council's updates by date (seconds at 10x data).
    history_updates = history_read(day=as_at, recommendations=recommendations)
    recent = recent_read(day=as_at, recommendations=recommendations, actions=actions, limit=RECENT_LENGTH)
    by_id = {("Recommendation", item.pk): item for item in recommendations}
    by_id.update({("Action", item.pk): item for item in actions})

    dashboard = Dashboard(
        as_at=as_at,
        recommendations=Number(len(recommendations), links.recommendations()),
        recommendation_statuses=_tallies(recommendations, STATUS_KEYS, "status", links.recommendations),
        recommendation_rags=_tallies(recommendations, RAG_KEYS, "rag", links.recommendations),
        actions=Number(len(actions), links.actions()),
        action_statuses=_tallies(actions, STATUS_KEYS, "status", links.actions),
        action_rags=_tallies(actions, RAG_KEYS, "rag", links.actions),
        overdue={
            "recommendations": Number(sum(r.is_overdue for r in recommendations), links.recommendations(overdue="yes")),
            "actions": Number(sum(a.is_overdue for a in actions), links.actions(overdue="yes")),
        },
        overdue_lines=[
            _line(item, links, (as_at - item.position_due_date).days, time_between(item.position_due_date, as_at))
            for item in overdue[:LIST_LENGTH]
        ],
        due_soon={
            "recommendations": Number(sum(r.is_due_soon for r in recommendations), links.recommendations(due=DUE_SOON)),
            "actions": Number(sum(a.is_due_soon for a in actions), links.actions(due=DUE_SOON)),
        },
        due_soon_lines=[_line(item, links, (item.position_due_date - as_at).days) for item in due_soon[:LIST_LENGTH]],
        moved=Number(len(moved), links.actions(moved="yes")),
        moved_lines=[
            _line(action, links, (action.position_due_date - action.baseline_due_date).days)
            for action in moved[:LIST_LENGTH]
        ],
        disagreements={
            "recommendations": Number(
                sum(r.rag_disagreement for r in recommendations), links.recommendations(disagreement="yes")
            ),
            "actions": Number(sum(a.rag_disagreement for a in actions), links.actions(disagreement="yes")),
        },
        disagreement_lines=[_line(item, links) for item in disagreements[:LIST_LENGTH]],
        overdue_green={
            "recommendations": Number(
                sum(r.is_overdue_green for r in recommendations), links.recommendations(flag=GREEN_OVERDUE)
            ),
            "actions": Number(sum(a.is_overdue_green for a in actions), links.actions(flag=GREEN_OVERDUE)),
        },
        stale={
            "recommendations": Number(sum(r.is_stale for r in recommendations), links.recommendations(flag=STALE)),
            "actions": Number(sum(a.is_stale for a in actions), links.actions(flag=STALE)),
        },
        update_interval=interval_words(membership.council.update_interval_months),
        themes=_theme_breakdown(
            recommendations,
            {known.pk: known for known in themes},
            {e.pk: e.title for e in engagements},
            links,
        ),
        directorates=_directorate_breakdown(recommendations, actions, links),
        history=_history(recommendations, history_updates, _start(engagements, recommendations, as_at), as_at),
        recent=[_approval(update, by_id, links) for update in recent],
        last_engagement=_engagement_line(held[-1] if held else None, slug),
        next_engagement=_engagement_line(coming[0] if coming else None, slug),
        timetables=[
            timetable
            for timetable in timetables(engagements, as_at)
            if challenge_ids is None or timetable.engagement_id in challenge_ids
        ],
        update_round=_round_panel(user=user, slug=slug, as_at=as_at),
    )
    dashboard.charts = _charts(dashboard)
    return dashboard


__all__ = ["Dashboard", "Number", "RoundPanel", "dashboard_build"]
