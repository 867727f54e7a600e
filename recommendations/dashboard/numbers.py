"""The dashboard's numbers, counted in Python from the rows the scoped selectors give at the as-at date."""

import datetime as dt
from collections import Counter
from collections.abc import Sequence

from django.urls import reverse

from recommendations import selectors
from recommendations.models import Engagement, Status, Theme
from recommendations.vocabulary import NOT_ASSESSED, RAG_KEYS, STATUS_KEYS, rag_key

from . import reads
from .links import Links
from .reads import Item
from .shapes import Approval, Breakdown, EngagementLine, ItemLine, MonthEnd, Number, Row, Tally

# --- the numbers ---------------------------------------------------------------------------------


def _tallies(items: Sequence[Item], keys: list[tuple[str, str]], of: str, url) -> list[Tally]:  # noqa: ANN001
    counted = Counter(item.position_status if of == "status" else rag_key(item.position_rag) for item in items)
    return [Tally(key, label, Number(counted[key], url(**{of: key}))) for key, label in keys]


def _line(item: Item, links: "Links", days: int = 0, how_long: str = "") -> ItemLine:
    is_recommendation = item.kind == "Recommendation"
    return ItemLine(
        kind=item.kind,
        reference=item.reference,
        summary=item.summary,
        url=links.item("recommendation_detail" if is_recommendation else "action_detail", item.pk),
        owner=item.position_owner_name or "No owner",
        status=item.position_status,
        rag=item.position_rag,
        due_date=item.position_due_date,
        days=days,
        baseline_due_date=item.baseline_due_date,
        owner_rag=item.position_owner_rag,
        how_long=how_long,
    )


def _theme_breakdown(
    recommendations: Sequence[Item], known: dict[int, Theme], titles: dict[int, str], links: Links
) -> Breakdown:
    """By the theme each recommendation had on the as-at date (`known`: those themes, by id; `titles`: the
    council's engagements' titles, by id)."""
    themes: dict[int | None, Theme | None] = {}
    engagement_titles: dict[int, str] = {}
    for recommendation in recommendations:
        themes.setdefault(recommendation.position_theme_id, known.get(recommendation.position_theme_id))
        engagement_titles[recommendation.engagement_id] = titles[recommendation.engagement_id]
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


def _directorate_breakdown(recommendations: Sequence[Item], actions: Sequence[Item], links: Links) -> Breakdown:
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
        rags = Counter(rag_key(r.position_rag) for r in mine)
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
    recommendations: Sequence[Item],
    updates: Sequence[tuple[int, dt.datetime, int, str, str]],
    start: dt.date,
    as_at: dt.date,
) -> list[MonthEnd]:
    """Status and RAG counts of the recommendations at each month end, by the same rule as `with_position`
    (of the updates approved before the day ended, the one submitted last counts), from the approved
    updates in the order they were approved: `(item, approved at, its rank among the item's submissions, status,
    RAG key)` (reads.history_read).

    One pass over the updates and the recommendations (by when they entered the plan): each month end moves
    the counts by what changed since the last, rather than counting every recommendation again."""
    entering = sorted(recommendations, key=lambda recommendation: recommendation.created_at)
    unrated = (0, Status.NOT_STARTED, NOT_ASSESSED)  # before any update: ranks start at 1
    position: dict[int, tuple[int, str, str]] = {}
    existing: set[int] = set()
    statuses: Counter[str] = Counter()
    rags: Counter[str] = Counter()
    result, cursor, entered, ends = [], 0, 0, len(updates)
    for day in _month_ends(start, as_at):
        cutoff = selectors.end_of_day(day).astimezone(dt.UTC)  # as the database's moments: compared directly
        while entered < len(entering) and entering[entered].created_at < cutoff:
            item_id = entering[entered].pk
            existing.add(item_id)
            _rank, status, rag = position.get(item_id, unrated)
            statuses[status] += 1
            rags[rag] += 1
            entered += 1
        while cursor < ends:
            item_id, at, rank, status, rag = updates[cursor]
            if at >= cutoff:
                break
            cursor += 1
            old = position.get(item_id, unrated)
            if rank <= old[0]:  # an older submission moves nothing
                continue
            if item_id in existing:
                statuses[old[1]] -= 1
                rags[old[2]] -= 1
                statuses[status] += 1
                rags[rag] += 1
            position[item_id] = (rank, status, rag)
        result.append(MonthEnd(day, [statuses[key] for key, _ in STATUS_KEYS], [rags[key] for key, _ in RAG_KEYS]))
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


def _approval(update: reads.Approval, items: dict[tuple[str, int], Item], links: Links) -> Approval:
    """An update of the latest signed off (`items`: the dashboard's, by kind and id)."""
    is_recommendation = update.recommendation_id is not None
    kind = "Recommendation" if is_recommendation else "Action"
    item = items[(kind, update.recommendation_id if is_recommendation else update.action_id)]
    return Approval(
        approved_at=update.approved_at,
        kind=kind,
        reference=item.reference,
        summary=item.summary,
        url=links.address("recommendation_detail" if is_recommendation else "action_detail", item.pk),
        status=update.status,
        rag=update.rag,
        reviewer=update.reviewer,
        source=update.source,
    )
