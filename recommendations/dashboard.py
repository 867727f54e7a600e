"""The leadership dashboard (`/councils/<slug>/`): where the plan stood at the end of a day, how it moved,
what is slipping, and the LGA's timetable.

Every number is computed from the scoped selectors' position at the as-at date (`selectors.with_position`,
DESIGN.md §2: status, RAG, due date, and the theme, lead directorate and owner the item had on that day), so
it agrees with the recommendations or actions table it links to, which is filtered to explain it. The work
is a fixed number of queries whatever the size of the plan; the view caches the page it makes from it
(views/dashboard.py).
"""

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString

from . import charts, selectors
from .models import (
    Action,
    Engagement,
    Membership,
    ProgressUpdate,
    Recommendation,
    Status,
    Theme,
    User,
)
from .timetable import ChallengeTimetable, timetables
from .vocabulary import DUE_SOON, DUE_SOON_DAYS, NOT_ASSESSED, RAG_KEYS, STATUS_KEYS

LIST_LENGTH = 10
RECENT_LENGTH = 8


# --- what the template shows ---------------------------------------------------------------------


@dataclass(frozen=True)
class Number:
    """A count and the table that lists what it counts."""

    value: int
    url: str


@dataclass(frozen=True)
class Tally:
    key: str  # a status or RAG value, for its tag
    label: str
    number: Number


@dataclass(frozen=True)
class Row:
    """One line of a breakdown: its name and its numbers, in the order of the breakdown's columns."""

    label: str
    numbers: list[Number]
    note: str = ""


@dataclass(frozen=True)
class Breakdown:
    caption: str
    row_header: str
    columns: list[str]
    rows: list[Row]
    totals: Row | None = None


@dataclass(frozen=True)
class ItemLine:
    kind: str  # "Recommendation" or "Action"
    reference: str
    summary: str
    url: str
    owner: str
    status: str
    rag: str
    due_date: dt.date | None
    days: int = 0  # overdue by, due in, or moved by
    baseline_due_date: dt.date | None = None
    owner_rag: str = ""


@dataclass(frozen=True)
class Approval:
    approved_at: dt.datetime
    kind: str
    reference: str
    summary: str
    url: str
    status: str
    rag: str
    reviewer: str
    source: str


@dataclass(frozen=True)
class MonthEnd:
    day: dt.date
    statuses: list[int]  # in STATUS_KEYS order
    rags: list[int]  # in RAG_KEYS order

    @property
    def total(self) -> int:
        return sum(self.statuses)


@dataclass(frozen=True)
class EngagementLine:
    title: str
    kind: str
    first_day: dt.date | None
    mode: str
    url: str


@dataclass
class Dashboard:
    as_at: dt.date
    recommendations: Number
    recommendation_statuses: list[Tally]
    recommendation_rags: list[Tally]
    actions: Number
    action_statuses: list[Tally]
    action_rags: list[Tally]
    overdue: dict[str, Number]  # "recommendations", "actions"
    overdue_lines: list[ItemLine]
    due_soon: dict[str, Number]
    due_soon_lines: list[ItemLine]
    moved: Number
    moved_lines: list[ItemLine]
    disagreements: dict[str, Number]
    disagreement_lines: list[ItemLine]
    themes: Breakdown
    directorates: Breakdown
    history: list[MonthEnd]
    recent: list[Approval]
    last_engagement: EngagementLine | None
    next_engagement: EngagementLine | None
    timetables: list[ChallengeTimetable]
    charts: dict[str, SafeString] = field(default_factory=dict)

    @property
    def due_soon_until(self) -> dt.date:
        return self.as_at + dt.timedelta(days=DUE_SOON_DAYS)

    @property
    def status_table(self) -> list[tuple[str, Number, Number]]:
        """(status, recommendations, actions) for each status."""
        return [
            (r.key, r.number, a.number) for r, a in zip(self.recommendation_statuses, self.action_statuses, strict=True)
        ]

    @property
    def rag_table(self) -> list[tuple[str, Number, Number]]:
        return [(r.key, r.number, a.number) for r, a in zip(self.recommendation_rags, self.action_rags, strict=True)]

    @property
    def status_labels(self) -> list[str]:
        return [label for _key, label in STATUS_KEYS]

    @property
    def rag_labels(self) -> list[str]:
        return [label for _key, label in RAG_KEYS]


# --- links to the tables -------------------------------------------------------------------------


class Links:
    """Addresses of the tables filtered to explain a number, keeping the dashboard's own filters."""

    def __init__(self, slug: str, as_at: dt.date, engagement: Engagement | None, theme: Theme | None) -> None:
        self.slug = slug
        self.as_at = as_at
        self.base = {"as_at": as_at.isoformat()}
        if engagement is not None:
            self.base["engagement"] = str(engagement.pk)
        if theme is not None:
            self.base["theme"] = str(theme.pk)

    def recommendations(self, **params: object) -> str:
        return self._url("recommendation_list", params)

    def item(self, name: str, pk: int) -> str:
        """An item's page, as at the dashboard's date where that is in the past."""
        url = reverse(name, args=[self.slug, pk])
        return f"{url}?as_at={self.as_at.isoformat()}" if self.as_at < selectors.local_today() else url

    def actions(self, **params: object) -> str:
        return self._url("action_list", params)

    def _url(self, name: str, params: dict[str, object]) -> str:
        query = {**self.base, **{key: str(value) for key, value in params.items()}}
        return f"{reverse(name, args=[self.slug])}?{urlencode(query)}"


# --- the numbers ---------------------------------------------------------------------------------


def _rag_key(item: Recommendation | Action) -> str:
    return item.position_rag or NOT_ASSESSED


def _tallies(items: Sequence[Recommendation | Action], keys: list[tuple[str, str]], of: str, url) -> list[Tally]:  # noqa: ANN001
    counted = Counter(item.position_status if of == "status" else _rag_key(item) for item in items)
    return [Tally(key, label, Number(counted[key], url(**{of: key}))) for key, label in keys]


def _line(item: Recommendation | Action, links: "Links", days: int = 0) -> ItemLine:
    is_recommendation = isinstance(item, Recommendation)
    return ItemLine(
        kind="Recommendation" if is_recommendation else "Action",
        reference=item.reference,
        summary=item.summary,
        url=links.item("recommendation_detail" if is_recommendation else "action_detail", item.pk),
        owner=item.position_owner_name or "No owner",
        status=item.position_status,
        rag=item.position_rag,
        due_date=item.position_due_date,
        days=days,
        baseline_due_date=item.baseline_due_date,
        owner_rag=getattr(item, "position_owner_rag", ""),
    )


def _theme_breakdown(recommendations: Sequence[Recommendation], known: dict[int, Theme], links: Links) -> Breakdown:
    """By the theme each recommendation had on the as-at date (`known`: those themes, by id)."""
    themes: dict[int | None, Theme | None] = {}
    engagement_titles: dict[int, str] = {}
    for recommendation in recommendations:
        themes.setdefault(recommendation.position_theme_id, known.get(recommendation.position_theme_id))
        engagement_titles[recommendation.engagement_id] = recommendation.engagement.title
    several = len({theme.engagement_id for theme in themes.values() if theme is not None}) > 1
    ordered = sorted(
        themes.items(),
        key=lambda pair: (pair[1] is None, pair[1] and (pair[1].engagement_id, pair[1].position, pair[1].name)),
    )
    rows = []
    for theme_id, theme in ordered:
        in_theme = [r for r in recommendations if r.position_theme_id == theme_id]
        value = "null" if theme_id is None else theme_id
        counted = Counter(r.position_status for r in in_theme)
        rows.append(
            Row(
                label=theme.name if theme else "No theme",
                note=engagement_titles.get(theme.engagement_id, "") if theme and several else "",
                numbers=[Number(counted[key], links.recommendations(theme=value, status=key)) for key, _ in STATUS_KEYS]
                + [
                    Number(len(in_theme), links.recommendations(theme=value)),
                    Number(sum(r.is_overdue for r in in_theme), links.recommendations(theme=value, overdue="yes")),
                ],
            )
        )
    counted = Counter(r.position_status for r in recommendations)
    totals = Row(
        label="All themes",
        numbers=[Number(counted[key], links.recommendations(status=key)) for key, _ in STATUS_KEYS]
        + [
            Number(len(recommendations), links.recommendations()),
            Number(sum(r.is_overdue for r in recommendations), links.recommendations(overdue="yes")),
        ],
    )
    return Breakdown(
        caption="Recommendations by theme and status",
        row_header="Theme",
        columns=[label for _, label in STATUS_KEYS] + ["All", "Overdue"],
        rows=rows,
        totals=totals,
    )


def _directorate_breakdown(
    recommendations: Sequence[Recommendation], actions: Sequence[Action], links: Links
) -> Breakdown:
    """By the lead directorate each recommendation had on the as-at date (an action's is its recommendation's)."""
    directorates: dict[int | None, str] = {}
    by_name = sorted(
        recommendations, key=lambda r: (r.position_lead_directorate_id is None, r.position_lead_directorate_name or "")
    )
    for recommendation in by_name:
        directorates.setdefault(
            recommendation.position_lead_directorate_id, recommendation.position_lead_directorate_name or ""
        )
    rows = []
    for directorate_id, name in directorates.items():
        value = "null" if directorate_id is None else directorate_id
        mine = [r for r in recommendations if r.position_lead_directorate_id == directorate_id]
        their_actions = [a for a in actions if a.position_lead_directorate_id == directorate_id]
        rags = Counter(_rag_key(r) for r in mine)
        rows.append(
            Row(
                label=name or "No lead directorate",
                numbers=[Number(len(mine), links.recommendations(directorate=value))]
                + [Number(rags[key], links.recommendations(directorate=value, rag=key)) for key, _ in RAG_KEYS]
                + [
                    Number(sum(r.is_overdue for r in mine), links.recommendations(directorate=value, overdue="yes")),
                    Number(len(their_actions), links.actions(directorate=value)),
                    Number(sum(a.is_overdue for a in their_actions), links.actions(directorate=value, overdue="yes")),
                ],
            )
        )
    return Breakdown(
        caption="Recommendations and their actions by lead directorate",
        row_header="Lead directorate",
        columns=["Recommendations"] + [label for _, label in RAG_KEYS] + ["Overdue", "Actions", "Actions overdue"],
        rows=rows,
    )


def _month_ends(start: dt.date, as_at: dt.date) -> list[dt.date]:
    """The last day of each month from `start`'s month to the month before `as_at`'s, then `as_at`."""
    days, year, month = [], start.year, start.month
    while True:
        last = dt.date(year, month, 1) + dt.timedelta(days=32)
        last = last.replace(day=1) - dt.timedelta(days=1)
        if last >= as_at:
            break
        days.append(last)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return [*days, as_at]


def _history(
    recommendations: Sequence[Recommendation],
    updates: Iterable[tuple[int, dt.datetime, tuple[dt.datetime, int], str, str]],
    start: dt.date,
    as_at: dt.date,
) -> list[MonthEnd]:
    """Status and RAG counts of the recommendations at each month end, by the same rule as `with_position`
    (of the updates approved before the day ended, the one submitted last counts), from the approved
    updates in the order they were approved: `(item, approved at, position key, status, RAG)`."""
    updates = list(updates)
    position: dict[int, tuple[tuple[dt.datetime, int], str, str]] = {}
    result, cursor = [], 0
    for day in _month_ends(start, as_at):
        cutoff = selectors.end_of_day(day)
        while cursor < len(updates) and updates[cursor][1] < cutoff:
            item_id, _at, key, status, rag = updates[cursor]
            if item_id not in position or key > position[item_id][0]:  # an older submission moves nothing
                position[item_id] = (key, status, rag)
            cursor += 1
        existing = [r for r in recommendations if r.created_at < cutoff]
        statuses = Counter(position[r.pk][1] if r.pk in position else Status.NOT_STARTED for r in existing)
        rags = Counter((position[r.pk][2] if r.pk in position else "") or NOT_ASSESSED for r in existing)
        result.append(MonthEnd(day, [statuses[key] for key, _ in STATUS_KEYS], [rags[key] for key, _ in RAG_KEYS]))
    return result


def _charts(dashboard: Dashboard) -> dict[str, SafeString]:
    day = date_format(dashboard.as_at, "j F Y")
    total = dashboard.recommendations.value
    status_words = ", ".join(f"{t.label} {t.number.value}" for t in dashboard.recommendation_statuses)
    rag_words = ", ".join(f"{t.label} {t.number.value}" for t in dashboard.recommendation_rags)
    result = {
        "statuses": charts.bars(
            chart_id="chart-statuses",
            title=f"Recommendations by status as at {day}",
            description=f"{total} recommendations: {status_words}.",
            rows=[(t.label, t.number.value, charts.STATUS_COLOURS[t.key]) for t in dashboard.recommendation_statuses],
        ),
        "rags": charts.bars(
            chart_id="chart-rags",
            title=f"Recommendations by RAG rating as at {day}",
            description=f"{total} recommendations: {rag_words}.",
            rows=[(t.label, t.number.value, charts.RAG_COLOURS[t.key]) for t in dashboard.recommendation_rags],
        ),
    }
    history = dashboard.history
    if history:
        labels = [date_format(month.day, "M Y") for month in history]
        every = max(1, -(-len(history) // 8))
        first, last = date_format(history[0].day, "F Y"), day
        for name, what, latest, keys, colours, counts in (
            ("status_history", "status", status_words, STATUS_KEYS, charts.STATUS_COLOURS, lambda m: m.statuses),
            ("rag_history", "RAG rating", rag_words, RAG_KEYS, charts.RAG_COLOURS, lambda m: m.rags),
        ):
            result[name] = charts.stacked_columns(
                chart_id=f"chart-{name.replace('_', '-')}",
                title=f"Recommendations by {what} at each month end",
                description=f"From {first} to {last}, in the table that follows the chart. Latest: {latest}.",
                labels=labels,
                every=every,
                series=[
                    charts.Series(label, colours[key], [counts(month)[i] for month in history])
                    for i, (key, label) in enumerate(keys)
                ],
            )
    return result


def _engagement_line(engagement: Engagement | None, slug: str) -> EngagementLine | None:
    if engagement is None:
        return None
    return EngagementLine(
        title=engagement.title,
        kind=str(engagement.kind),
        first_day=engagement.first_onsite_day,
        mode=engagement.get_mode_display(),
        url=reverse("engagement_detail", args=[slug, engagement.pk]),
    )


def _scoped(queryset: QuerySet, engagement: Engagement | None, theme: Theme | None, prefix: str = "") -> QuerySet:
    """The rows of one engagement and one theme (the theme the item had on the as-at date)."""
    if engagement is not None:
        queryset = queryset.filter(**{f"{prefix}engagement": engagement})
    if theme is not None:
        queryset = queryset.filter(position_theme_id=theme.pk)
    return queryset


def _start(engagements: Sequence[Engagement], recommendations: Sequence[Recommendation], as_at: dt.date) -> dt.date:
    """Where the history starts: the end of the challenges the recommendations came from (their last day
    on site), else when the first recommendation entered the plan."""
    in_scope = {recommendation.engagement_id for recommendation in recommendations}
    days = [e.last_onsite_day or e.first_onsite_day for e in engagements if e.pk in in_scope]
    days = [day for day in days if day] or [timezone.localdate(r.created_at) for r in recommendations]
    return min(days, default=as_at)


def _flagged(queryset: QuerySet, as_at: dt.date) -> QuerySet:
    """Items with what the dashboard counts besides their position: the lead's RAG against the owner's, and
    whether they are due soon or have moved (the same rules as the tables' filters)."""
    return selectors.with_due_flags(selectors.with_rag_sign_off(queryset, as_at=as_at), as_at=as_at)


def dashboard_build(
    *,
    user: User,
    membership: Membership,
    as_at: dt.date,
    engagement: Engagement | None = None,
    theme: Theme | None = None,
) -> Dashboard:
    """The dashboard as at the end of `as_at`, for the council's plan or one engagement's or theme's part of
    it. A fixed number of queries, whatever the size of the plan."""
    slug = membership.council.slug
    links = Links(slug, as_at, engagement, theme)
    recommendation_rows = _scoped(
        selectors.recommendations_for(user=user, council_slug=slug, as_at=as_at), engagement, theme
    )
    recommendations = list(
        _flagged(recommendation_rows, as_at).order_by(
            "engagement__first_onsite_day", "engagement_id", "position", "reference", "pk"
        )
    )
    action_rows = _scoped(
        selectors.actions_for(user=user, council_slug=slug, as_at=as_at), engagement, theme, "recommendation__"
    )
    actions = list(
        _flagged(action_rows, as_at).order_by(
            "recommendation__engagement__first_onsite_day", "recommendation__position", "position", "pk"
        )
    )
    items: list[Recommendation | Action] = [*recommendations, *actions]

    overdue = sorted((item for item in items if item.is_overdue), key=lambda item: item.position_due_date)
    due_soon = sorted((item for item in items if item.is_due_soon), key=lambda item: item.position_due_date)
    moved = sorted(
        (action for action in actions if action.is_moved),
        key=lambda action: -abs((action.position_due_date - action.baseline_due_date).days),
    )
    disagreements = [item for item in items if item.rag_disagreement]

    engagements = list(selectors.engagements_for(user=user, council_slug=slug).order_by("first_onsite_day", "pk"))
    held = [e for e in engagements if e.first_onsite_day and e.first_onsite_day <= as_at]
    coming = [e for e in engagements if e.first_onsite_day and e.first_onsite_day > as_at]
    challenge_ids = {engagement.pk, engagement.parent_id} if engagement else None

    approved = ProgressUpdate.objects.filter(
        review_state=ProgressUpdate.ReviewState.APPROVED, approved_at__lt=selectors.end_of_day(as_at)
    )
    history_rows = (
        approved.filter(recommendation__in=recommendation_rows.values("pk"))
        .order_by("approved_at", "pk")
        .values_list("recommendation_id", "approved_at", "submitted_at", "pk", "status", "rag", "assurance_rag")
    )
    history_updates = [
        (item, at, (submitted or at, pk), status, assurance or rag)
        for item, at, submitted, pk, status, rag, assurance in history_rows
    ]
    # The latest of each kind, then the latest of both: each query can use its item's index.
    recent = sorted(
        [
            *approved.filter(recommendation__in=recommendation_rows.values("pk"))
            .select_related("recommendation", "reviewer", "author")
            .order_by("-approved_at", "-pk")[:RECENT_LENGTH],
            *approved.filter(action__recommendation__in=recommendation_rows.values("pk"))
            .select_related("action", "reviewer", "author")
            .order_by("-approved_at", "-pk")[:RECENT_LENGTH],
        ],
        key=lambda update: (update.approved_at, update.pk),
        reverse=True,
    )[:RECENT_LENGTH]

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
        overdue_lines=[_line(item, links, (as_at - item.position_due_date).days) for item in overdue[:LIST_LENGTH]],
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
        themes=_theme_breakdown(
            recommendations, selectors.themes_by_id(ids={r.position_theme_id for r in recommendations}), links
        ),
        directorates=_directorate_breakdown(recommendations, actions, links),
        history=_history(recommendations, history_updates, _start(engagements, recommendations, as_at), as_at),
        recent=[_approval(update, slug) for update in recent],
        last_engagement=_engagement_line(held[-1] if held else None, slug),
        next_engagement=_engagement_line(coming[0] if coming else None, slug),
        timetables=[
            timetable
            for timetable in timetables(engagements, as_at)
            if challenge_ids is None or timetable.engagement_id in challenge_ids
        ],
    )
    dashboard.charts = _charts(dashboard)
    return dashboard


def _approval(update: ProgressUpdate, slug: str) -> Approval:
    item = update.item
    is_recommendation = update.recommendation_id is not None
    return Approval(
        approved_at=update.approved_at,
        kind="Recommendation" if is_recommendation else "Action",
        reference=item.reference,
        summary=item.summary,
        url=reverse("recommendation_detail" if is_recommendation else "action_detail", args=[slug, item.pk]),
        status=update.status,
        rag=update.effective_rag,
        reviewer=str(update.reviewer or update.author),
        source=update.get_source_display(),
    )
