"""What the dashboard's template shows: numbers with the table that lists them, breakdowns, lines, month ends."""

import datetime as dt
from dataclasses import dataclass, field

from django.utils.formats import localize
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from recommendations.timetable import ChallengeTimetable
from recommendations.vocabulary import DUE_SOON_DAYS, RAG_KEYS, STATUS_KEYS

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

    @property
    def cells(self) -> list[tuple[Row, list[tuple[Number, str]]]]:
        """Each row with its numbers, each with what a screen reader hears after it: its column and its row."""
        return [(row, self._named(row)) for row in self.rows]

    @property
    def total_cells(self) -> list[tuple[Number, str]]:
        return self._named(self.totals) if self.totals else []

    def _named(self, row: Row) -> list[tuple[Number, str]]:
        return [(number, f"{column}, {row.label}") for column, number in zip(self.columns, row.numbers, strict=True)]


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
    how_long: str = ""  # overdue by, in years, months and days ("1 year 4 months")


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

    @property
    def cells(self) -> SafeString:
        """The month's counts as the numeric cells of its row in the table of the charts' numbers, drawn in one
        pass (five years of month ends are some 500 cells: a template loop per cell was a fifth of the build)."""
        return format_html_join(
            "",
            '<td class="govuk-table__cell govuk-table__cell--numeric">{}</td>',
            ((_number(value),) for value in (*self.statuses, *self.rags)),
        )


def _number(value: int) -> str:
    """A count as the template would show it (`localize`); below a thousand that is its digits in any locale,
    without looking the formats up for each of some 500 cells."""
    return str(value) if type(value) is int and -1000 < value < 1000 else localize(value)


@dataclass(frozen=True)
class EngagementLine:
    title: str
    kind: str
    first_day: dt.date | None
    mode: str
    url: str


@dataclass(frozen=True)
class RoundPanel:
    """The update round open at the end of the as-at day (now, for today): how many of its items are in."""

    title: str
    url: str
    due_date: dt.date
    due_words: str  # "12 days left", "due today", "3 days overdue"
    total: int
    updated: int  # signed off or waiting for sign-off
    waiting: int
    owners_overdue: int | None  # past the due date, owners with an item not in; None before it


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
    overdue_green: dict[str, Number]  # overdue but rated Green: "recommendations", "actions"
    stale: dict[str, Number]  # open, with no update signed off within the council's interval
    update_interval: str  # that interval in words, "3 months"
    themes: Breakdown
    directorates: Breakdown
    history: list[MonthEnd]
    recent: list[Approval]
    last_engagement: EngagementLine | None
    next_engagement: EngagementLine | None
    timetables: list[ChallengeTimetable]
    update_round: RoundPanel | None = None
    charts: dict[str, SafeString] = field(default_factory=dict)

    @property
    def due_soon_until(self) -> dt.date:
        return self.as_at + dt.timedelta(days=DUE_SOON_DAYS)

    @property
    def status_table(self) -> list[tuple[str, str, Number, Number]]:
        """(status, its label, recommendations, actions) for each status."""
        return [
            (r.key, r.label, r.number, a.number)
            for r, a in zip(self.recommendation_statuses, self.action_statuses, strict=True)
        ]

    @property
    def rag_table(self) -> list[tuple[str, str, Number, Number]]:
        return [
            (r.key, r.label, r.number, a.number)
            for r, a in zip(self.recommendation_rags, self.action_rags, strict=True)
        ]

    @property
    def status_labels(self) -> list[str]:
        return [label for _key, label in STATUS_KEYS]

    @property
    def rag_labels(self) -> list[str]:
        return [label for _key, label in RAG_KEYS]
