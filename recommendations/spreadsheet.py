"""The plan's spreadsheet layout (docs/SPREADSHEET.md), for both directions: the export writes it and the import
reads it back. The sheets and their columns, the CSV's headers, the words for status and RAG, and the rule for
text that looks like a formula are defined here once, as data."""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from recommendations.models import Rag, Status
from recommendations.vocabulary import RAG_LABELS, STATUS_LABELS

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_DATE_FORMAT = "dd/mm/yyyy"
RECOMMENDATIONS_SHEET = "Recommendations"
ACTIONS_SHEET = "Actions"
TYPE_HEADER = "Type"
RECOMMENDATION_TYPE, ACTION_TYPE = "recommendation", "action"


# --- text that looks like a formula ---------------------------------------------------------------

# A spreadsheet reads a cell that starts with one of these as a formula (or, for an apostrophe, as the
# marker that says "this is text"). Such text is written with one apostrophe in front, in both formats.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")


def escape_text(value: str) -> str:
    """Text as it is written to a cell: control characters a spreadsheet cannot hold (all but tab, line
    feed and carriage return) are dropped, and text starting with = + - @ tab, carriage return or an
    apostrophe gets one apostrophe in front, so that no spreadsheet takes it for a formula."""
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def unescape_text(value: str) -> str:
    """Text as the import reads it back: one leading apostrophe, if there is one, is removed."""
    return value[1:] if value.startswith("'") else value


# --- status and RAG as words -------------------------------------------------------------------------


def _words(text: object) -> str:
    return " ".join(str(text).replace("_", " ").split()).casefold()


# The words councils write for each status (any case and spacing), as the template's notes list them.
STATUS_SYNONYMS = {
    Status.COMPLETE: ("Completed", "Done", "Delivered", "Achieved", "Closed - complete"),
    Status.IN_PROGRESS: ("Ongoing", "On going", "On track", "Started", "Underway", "Under way", "In hand", "WIP"),
    Status.NOT_STARTED: ("Not yet started", "Planned", "Not due", "Not due to start", "To start"),
    Status.CLOSED: ("Closed", "Business as usual", "BAU"),
}
STATUS_WORDS = {
    **{_words(status.value): status.value for status in Status},
    **{_words(status.label): status.value for status in Status},
    **{_words(word): status.value for status, words in STATUS_SYNONYMS.items() for word in words},
}
RAG_WORDS = {
    **{_words(rag.value): rag.value for rag in Rag},
    **{_words(rag.label): rag.value for rag in Rag},
    "g": Rag.GREEN,
    "a": Rag.AMBER,
    "r": Rag.RED,
    "not assessed": "",
    "n/a": "",
    "none": "",
}
# Blue, in the RAG column of many plans, means done: the status Complete, with no RAG rating.
BLUE_WORDS = frozenset({"blue", "b", "complete", "completed"})
NO_REASON_GIVEN = "No reason given (imported)"


def status_from_text(text: object) -> str | None:
    """The status a cell names (any case and spacing): a label as exported ("In progress",
    "Closed (business as usual)"), "Closed", or the stored value ("in_progress"); None if it names none."""
    return STATUS_WORDS.get(_words(unescape_text(str(text or ""))))


def rag_from_text(text: object) -> str | None:
    """The RAG rating a cell names: "" (not assessed) for an empty cell or "Not assessed"; Green, Amber,
    Red, G, A, R, or the full labels ("Amber (at risk)"), any case; "" for Blue (see `is_blue`); None if it
    names none."""
    words = _words(unescape_text(str(text or "")))
    return "" if not words or words in BLUE_WORDS else RAG_WORDS.get(words)


def is_blue(text: object) -> bool:
    """Whether a RAG cell says Blue: the item is complete, and has no RAG rating."""
    return _words(unescape_text(str(text or ""))) in BLUE_WORDS


# --- the columns ------------------------------------------------------------------------------------

TEXT, DATE, INTEGER = "text", "date", "integer"


@dataclass(frozen=True)
class Column:
    header: str
    kind: str  # TEXT, DATE or INTEGER
    value: Callable[[Any], Any]
    width: int = 16  # in the XLSX, in characters


def _local_date(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(moment).date() if moment else None


RECOMMENDATION_COLUMNS = (
    Column("Engagement", TEXT, lambda r: r.engagement.title, 30),
    Column("Reference", TEXT, lambda r: r.reference, 11),
    Column("Heading", TEXT, lambda r: r.heading, 30),
    Column("Text", TEXT, lambda r: r.text, 60),
    Column("Theme", TEXT, lambda r: r.position_theme_name, 24),
    Column("Lead directorate", TEXT, lambda r: r.position_lead_directorate_name, 24),
    Column("Owner email", TEXT, lambda r: r.position_owner_email, 30),
    Column("Lead member", TEXT, lambda r: r.lead_member, 24),
    Column("Baseline due date", DATE, lambda r: r.baseline_due_date),
    Column("Due date", DATE, lambda r: r.position_due_date, 12),
    Column("Timescale", TEXT, lambda r: r.timescale, 20),
    Column("Status", TEXT, lambda r: STATUS_LABELS.get(r.position_status, ""), 24),
    Column("RAG", TEXT, lambda r: RAG_LABELS.get(r.position_rag, ""), 8),
    Column("RAG reason", TEXT, lambda r: r.position_rag_reason, 40),
    Column("Assurance reason", TEXT, lambda r: r.position_assurance_reason, 40),
    Column("Last approved update", DATE, lambda r: _local_date(r.position_updated_at), 18),
)
ACTION_COLUMNS = (
    Column("Engagement", TEXT, lambda a: a.recommendation.engagement.title, 30),
    Column("Recommendation reference", TEXT, lambda a: a.recommendation.reference, 14),
    Column("Reference", TEXT, lambda a: a.reference, 11),
    Column("Description", TEXT, lambda a: a.description, 60),
    Column("Owner email", TEXT, lambda a: a.position_owner_email, 30),
    Column("Start date", DATE, lambda a: a.start_date, 12),
    Column("Baseline due date", DATE, lambda a: a.baseline_due_date),
    Column("Due date", DATE, lambda a: a.position_due_date, 12),
    Column("Timescale", TEXT, lambda a: a.timescale, 20),
    Column("% complete", INTEGER, lambda a: a.position_percent_complete, 11),
    Column("Status", TEXT, lambda a: STATUS_LABELS.get(a.position_status, ""), 24),
    Column("RAG", TEXT, lambda a: RAG_LABELS.get(a.position_rag, ""), 8),
)
# The CSV: a Type column, then the union of both sheets' columns (tests check that it is the union).
CSV_HEADERS = (
    TYPE_HEADER,
    "Engagement",
    "Recommendation reference",
    "Reference",
    "Heading",
    "Text",
    "Description",
    "Theme",
    "Lead directorate",
    "Owner email",
    "Lead member",
    "Start date",
    "Baseline due date",
    "Due date",
    "Timescale",
    "% complete",
    "Status",
    "RAG",
    "RAG reason",
    "Assurance reason",
    "Last approved update",
)


def write_headers(sheet: Any, columns: Iterable[Column]) -> None:
    """Row 1 of a sheet in the export's layout: the headers in bold, the columns' widths, the row frozen
    (the export and the import's template both begin so)."""
    for number, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=number, value=column.header)
        cell.font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(number)].width = column.width
    sheet.freeze_panes = "A2"


WRAP = Alignment(wrap_text=True, vertical="top")


def write_sheet(sheet: Any, columns: Iterable[Column], items: Iterable[Any]) -> None:
    """A sheet in the export's layout: the headers (`write_headers`), then a row per item, each cell of its
    column's kind (text always a string, escaped; dates in the date format; whole numbers), and a filter on
    the headers."""
    columns = list(columns)
    write_headers(sheet, columns)
    for row, item in enumerate(items, start=2):
        for number, column in enumerate(columns, start=1):
            value = column.value(item)
            if value in (None, ""):
                continue  # an empty cell
            cell = sheet.cell(row=row, column=number)
            if column.kind == TEXT:
                cell.value = escape_text(str(value))
                cell.data_type = "s"  # always a string: never a formula or an error value such as "#N/A"
                if "\n" in cell.value:
                    cell.alignment = WRAP  # shows its lines (bullets typed one a line) as lines
            elif column.kind == DATE:
                cell.value = value
                cell.number_format = XLSX_DATE_FORMAT
            else:
                cell.value = int(value)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(sheet.max_row, 1)}"
