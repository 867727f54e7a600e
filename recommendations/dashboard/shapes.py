"""What the dashboard's template shows: numbers with the table that lists them, breakdowns, lines, month ends."""

import datetime as dt
import functools
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.formats import date_format, localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from councilimprove import escaping
from recommendations.templatetags.plan import rag_tag, status_tag
from recommendations.timetable import ChallengeTimetable
from recommendations.vocabulary import DUE_SOON_DAYS, RAG_KEYS, STATUS_KEYS

# --- what the template shows ---------------------------------------------------------------------


escape = escaping.conditional_escape  # some 1,000 values a page


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
    def body(self) -> SafeString:
        """The rows of the table, each number a link named by its column and its row, drawn in one pass (a
        template tag per number was most of the time the breakdowns took to draw). Every value is escaped where
        it is joined."""
        rows = []
        for row in self.rows:
            note = f'<span class="govuk-body-s govuk-!-display-block">{escape(row.note)}</span>' if row.note else ""
            cells = self._cells(row, "govuk-table__cell govuk-table__cell--numeric")
            rows.append(
                f'<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">{escape(row.label)}{note}'
                f"</th>{cells}</tr>"
            )
        return SafeString("".join(rows))

    @property
    def total_cells(self) -> SafeString:
        if self.totals is None:
            return SafeString("")
        return self._cells(self.totals, "govuk-table__cell govuk-table__cell--numeric govuk-!-font-weight-bold")

    def _cells(self, row: Row, classes: str) -> SafeString:
        """Each number of the row in its cell, with what a screen reader hears after it: its column and row."""
        label = escape(row.label)
        return SafeString(
            "".join(
                f'<td class="{classes}"><a class="govuk-link" href="{escape(number.url)}">{escape(number.value)}'
                f'<span class="govuk-visually-hidden"> {escape(column)}, {label}</span></a></td>'
                for column, number in zip(self.columns, row.numbers, strict=True)
            )
        )


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

    def row(self, label: str) -> str:
        """The month's row in the table of the charts' numbers (`label`: its day, "31 Jan 2024"), drawn in one
        pass (five years of month ends are some 500 cells: a template loop per cell was a fifth of the build)."""
        cells = "".join(
            f'<td class="govuk-table__cell govuk-table__cell--numeric">{_number(value)}</td>'
            for value in (*self.statuses, *self.rags)
        )
        return f'<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">{label}</th>{cells}</tr>'


def _number(value: int) -> str:
    """A count as the template would show it (`localize`); below a thousand that is its digits in any locale,
    without looking the formats up for each of some 500 cells."""
    return str(value) if type(value) is int and -1000 < value < 1000 else conditional_escape(localize(value))


def month_abbreviations() -> dict[int, str]:
    """The months as the date format "M" names them ("Jan") in the active language, worked out once a process
    for each language rather than once for each of some 60 month ends."""
    return _month_abbreviations(get_language())


@functools.cache
def _month_abbreviations(language: str) -> dict[int, str]:
    return {month: date_format(dt.date(2000, month, 1), "M") for month in range(1, 13)}


def _day(day: dt.date | None, months: dict[int, str]) -> str:
    """A day as the date format "j M Y" writes it ("5 Jan 2024"), or nothing."""
    return f"{day.day} {months[day.month]} {day.year}" if day else ""


def _days(value: int) -> str:
    """A number of days in words, as the `days` filter writes it: '1 day', '12 days'."""
    value = abs(value)
    return f"{value} day" if value == 1 else f"{value} days"


def _item_cell(kind: str, url: str, reference: str, summary: str) -> str:
    """What an item's line names: its kind, its reference as a link, and the first words of its summary."""
    return (
        f'<td class="govuk-table__cell">{escape(kind)} <a class="govuk-link" href="{escape(url)}">{escape(reference)}'
        f'</a><br><span class="govuk-body-s">{escape(first_words(summary))}</span></td>'
    )


def first_words(text: str, number: int = 14) -> str:
    """The first `number` words of the text, " …" after them where it goes on: as
    `Truncator(text).words(number, truncate=" …")` gives them, without its lazy object and translation look-up."""
    words = text.split()
    if len(words) <= number:
        return " ".join(words)
    shown = " ".join(words[:number])
    return shown if shown.endswith(" …") else f"{shown} …"


def _cell(value: object) -> str:
    return f'<td class="govuk-table__cell">{escape(value)}</td>'


def item_rows(lines: list["ItemLine"], *, days: bool = False, moved: bool = False, rags: bool = False) -> SafeString:
    """The rows of a short list of items (templates/recommendations/dashboard/item_lines.html), drawn in one
    pass: `days` adds the column of `line.days` (or `how_long`), `moved` the first due date, `rags` the owner's
    and the lead's RAG in place of the status. Every value is escaped where it is joined."""
    months, rows = month_abbreviations(), []
    for line in lines:
        cells = [_item_cell(line.kind, line.url, line.reference, line.summary), _cell(line.owner)]
        if moved:
            cells.append(_cell(_day(line.baseline_due_date, months)))
        cells.append(_cell(_day(line.due_date, months) or "Not set"))
        if days:
            if line.how_long:
                words = line.how_long
            elif moved:
                words = f"{_days(line.days)} {'later' if line.days > 0 else 'earlier'}"
            else:
                words = _days(line.days)
            cells.append(_cell(words))
        if rags:
            cells += [_cell(rag_tag(line.owner_rag)), _cell(rag_tag(line.rag))]
        else:
            cells.append(_cell(status_tag(line.status)))
        rows.append(f'<tr class="govuk-table__row">{"".join(cells)}</tr>')
    return SafeString("".join(rows))


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
    def overdue_rows(self) -> SafeString:
        return item_rows(self.overdue_lines, days=True)

    @property
    def due_soon_rows(self) -> SafeString:
        return item_rows(self.due_soon_lines, days=True)

    @property
    def moved_rows(self) -> SafeString:
        return item_rows(self.moved_lines, days=True, moved=True)

    @property
    def disagreement_rows(self) -> SafeString:
        return item_rows(self.disagreement_lines, rags=True)

    @property
    def recent_rows(self) -> SafeString:
        """The latest updates signed off, each on the day it was signed off here (the service's time zone)."""
        months = month_abbreviations()
        return SafeString(
            "".join(
                f'<tr class="govuk-table__row">{_cell(_day(timezone.localtime(approval.approved_at).date(), months))}'
                f"{_item_cell(approval.kind, approval.url, approval.reference, approval.summary)}"
                f"{_cell(status_tag(approval.status))}{_cell(rag_tag(approval.rag))}"
                f'<td class="govuk-table__cell">{escape(approval.reviewer)} <span class="govuk-body-s">'
                f"({escape(approval.source)})</span></td></tr>"
                for approval in self.recent
            )
        )

    @property
    def history_rows(self) -> SafeString:
        """The table of the charts' numbers: a row for each month end, named by its day ("31 Jan 2024", as the
        date format "j M Y" writes it)."""
        months = month_abbreviations()
        return SafeString(
            "".join(month.row(f"{month.day.day} {months[month.day.month]} {month.day.year}") for month in self.history)
        )

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
