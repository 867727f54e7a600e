"""The progress report to committee as files: its HTML content (one template for the page and the PDF), the PDF
(the summary report's renderer: WeasyPrint, our font, the tag finisher) and the XLSX (the plan export's layout
and writer, with the direction of travel and this period's narrative added)."""

import io
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from openpyxl import Workbook

from recommendations.spreadsheet import (
    ACTION_COLUMNS,
    ACTIONS_SHEET,
    DATE,
    RECOMMENDATION_COLUMNS,
    RECOMMENDATIONS_SHEET,
    TEXT,
    Column,
    escape_text,
    write_headers,
    write_sheet,
)

from . import pdf
from .committee import CommitteeReport, Line

CONTENT_TEMPLATE = "reports/committee_content.html"
PDF_TEMPLATE = "reports/committee_pdf.html"


def content_html(
    report: CommitteeReport, *, request: HttpRequest | None = None, page: dict[str, Any] | None = None
) -> SafeString:
    """The report's content; on the page (`request`), `page` brings the form that chooses its moment and the
    query the downloads repeat."""
    return mark_safe(  # noqa: S308 - our own template's output
        render_to_string(CONTENT_TEMPLATE, {"report": report, **(page or {})}, request=request)
    )


def pdf_document(report: CommitteeReport) -> str:
    """The standalone document the PDF is made from: the content with the summary report's print stylesheet and
    the committee report's own page rules (landscape, the provenance in the running footer of every page)."""
    return render_to_string(
        PDF_TEMPLATE,
        {
            "content_html": content_html(report),
            "title": f"{report.council}: {report.title}",
            "author": report.council,
            "base": pdf.BASE_URL,
        },
    )


def render_pdf(report: CommitteeReport) -> bytes:
    return pdf.render_pdf(pdf_document(report))


# --- XLSX -------------------------------------------------------------------------------------------


def _on_item(column: Column) -> Column:
    """An export column read off the line's item (which carries the export's position annotations)."""
    return Column(column.header, column.kind, lambda line, read=column.value: read(line.item), column.width)


def _moves(line: Line) -> str:
    return "\n".join(
        f"{date_format(move.previous, 'j M Y') if move.previous else 'None'} to "
        f"{date_format(move.new, 'j M Y') if move.new else 'None'} "
        f"(moved {date_format(move.moved_on, 'j M Y')}): {move.reason}"
        for move in line.moves
    )


COMMITTEE_COLUMNS = (
    Column("Owner", TEXT, lambda line: line.owner, 24),
    Column("Due date moves", TEXT, _moves, 40),
    Column("Overdue", TEXT, lambda line: "Overdue" if line.overdue else "", 10),
    Column("Direction of travel", TEXT, lambda line: line.direction, 16),
    Column("Narrative this period", TEXT, lambda line: line.narrative_or_none, 60),
    Column("Narrative signed off", DATE, lambda line: line.narrative_on, 16),
)
RECOMMENDATION_SHEET_COLUMNS = (*(_on_item(column) for column in RECOMMENDATION_COLUMNS), *COMMITTEE_COLUMNS)
ACTION_SHEET_COLUMNS = (*(_on_item(column) for column in ACTION_COLUMNS), *COMMITTEE_COLUMNS)
ABOUT_SHEET = "About this report"


def render_xlsx(report: CommitteeReport) -> bytes:
    """The Recommendations and Actions sheets of the plan export, with the report's columns after the export's,
    then a sheet that says what the report is as at and its counts."""
    workbook = Workbook()
    write_sheet(workbook.active, RECOMMENDATION_SHEET_COLUMNS, report.recommendations)
    workbook.active.title = RECOMMENDATIONS_SHEET
    write_sheet(workbook.create_sheet(ACTIONS_SHEET), ACTION_SHEET_COLUMNS, report.actions)
    about = workbook.create_sheet(ABOUT_SHEET)
    write_headers(
        about,
        [Column("Count", TEXT, str, 36), Column("Recommendations", TEXT, str, 18), Column("Actions", TEXT, str, 12)],
    )
    rows = [*report.statuses, *report.rags, report.overdue, report.with_narrative, report.total]
    for number, count in enumerate(rows, start=2):
        about.cell(row=number, column=1, value=escape_text(count.label))
        about.cell(row=number, column=2, value=count.recommendations)
        about.cell(row=number, column=3, value=count.actions)
    for offset, words in enumerate(
        (report.title, report.moment.as_at_words, report.moment.round_words, report.produced_words), start=2
    ):
        about.cell(row=len(rows) + offset + 1, column=1, value=escape_text(words))
    workbook.properties.title = f"{report.council}: {report.title}"
    workbook.properties.subject = report.provenance
    workbook.properties.creator = "Council Improve"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
