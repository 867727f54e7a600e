"""The import template: the export's two sheets with one filled example row each, and a Notes sheet that
says what every column holds and what the import accepts in it."""

import datetime as dt
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from recommendations import spreadsheet

from .limits import MAX_BYTES, MAX_COLUMNS, MAX_ROWS
from .rows import ACTION_HEADERS, RECOMMENDATION_HEADERS

FILENAME = "action-plan-import-template.xlsx"
STATUSES = ", ".join(spreadsheet.STATUS_LABELS.values())
SYNONYMS = "; ".join(
    f"{', '.join(words)} mean {spreadsheet.STATUS_LABELS[status]}"
    for status, words in spreadsheet.STATUS_SYNONYMS.items()
)

EXAMPLE_RECOMMENDATION = {
    "Engagement": "Corporate Peer Challenge 2025",
    "Reference": "R1",
    "Heading": "Medium-term financial strategy",
    "Text": "Refresh the medium-term financial strategy so that it closes the budget gap over three years.",
    "Theme": "Financial planning and management",
    "Lead directorate": "Resources",
    "Owner email": "finance.director@borsetshire.gov.uk",
    "Lead member": "Cabinet Member for Finance",
    "Baseline due date": dt.date(2026, 3, 31),
    "Due date": dt.date(2026, 3, 31),
    "Timescale": "2025/26",
    "Status": "In progress",
    "RAG": "Amber",
    "RAG reason": "Savings proposals for year two are not yet agreed.",
}
EXAMPLE_ACTION = {
    "Engagement": "Corporate Peer Challenge 2025",
    "Recommendation reference": "R1",
    "Reference": "1.1",
    "Description": "Agree the budget gap for each of the next three years with Cabinet.",
    "Owner email": "finance.director@borsetshire.gov.uk",
    "Start date": dt.date(2025, 9, 1),
    "Baseline due date": dt.date(2025, 12, 31),
    "Due date": dt.date(2025, 12, 31),
    "% complete": 40,
    "Status": "In progress",
    "RAG": "Green",
}

DATES = (
    "A date: a date cell, or 31/03/2026, 31/03/26, 2026-03-31, 31 Mar 2026 or March 2026 (the month's last day). "
    "Words such as ‘Q3 2023/24’ or ‘Ongoing’ are kept as the timescale, and give the due date where they name one."
)
NOTES = {
    "Engagement": "The engagement's title. May be empty. A row naming another of the council's engagements is "
    "left alone.",
    "Reference": "Required. How the report numbers the recommendation (R3, 3, a), or the action (1.1). Rows match "
    "by reference, so importing the file again updates them rather than adding them twice.",
    "Recommendation reference": "Required on the Actions sheet: the reference of the recommendation the action "
    "belongs to (in the engagement, or on the Recommendations sheet).",
    "Heading": "May be empty. 200 characters at most.",
    "Text": "Required for a new recommendation: the recommendation in full.",
    "Description": "Required for a new action: the action.",
    "Theme": "May be empty. The name of one of the engagement's themes (the import creates none).",
    "Lead directorate": "May be empty. The name of one of the council's directorates (the import creates none).",
    "Owner email": "May be empty (nobody owns it). The email address of one of the council's officers or "
    "improvement leads.",
    "Lead member": "May be empty. The cabinet member who leads on it.",
    "Start date": f"May be empty. {DATES}",
    "Baseline due date": "Not read: the first due date set is kept by the plan itself.",
    "Due date": f"May be empty. {DATES} A changed date is recorded with the reason ‘Imported from’ the file's name.",
    "Timescale": "May be empty. The timescale as the plan writes it, kept beside the due date: ‘December 2023’, "
    "‘Dec-23’, ‘End of March 2024’, ‘Q3 2023/24’, ‘2023/24’, ‘w/c 4 March 2024’, ‘July 2023 and ongoing’, "
    "‘Spring 2024’, ‘Ongoing’. Where the Due date is empty, the due date is worked out from it (a month: its last "
    "day; a quarter or a financial year: its last day; a week: its Friday); seasons, ‘Ongoing’ and ‘TBC’ give "
    "none.",
    "% complete": "May be empty (left as it is). A whole number from 0 to 100.",
    "Status": f"Empty leaves it as it is. One of: {STATUSES}; case and spacing do not matter. {SYNONYMS}. "
    "Complete means 100% complete unless the % complete column says otherwise.",
    "RAG": "Empty leaves it as it is. Green, Amber or Red (or G, A, R). Blue means Complete, with no RAG rating. A "
    "change of status, RAG, RAG reason or % complete is recorded as an approved progress update marked as "
    "imported; a status with no RAG rating is recorded as not assessed.",
    "RAG reason": "The reason for the RAG rating. An amber or red rating without one is recorded as "
    f"‘{spreadsheet.NO_REASON_GIVEN}’, with a warning.",
    "Assurance reason": "Not read: why the improvement lead who signed off the latest update rated it differently "
    "from the owner.",
    "Last approved update": "Not read.",
}


def _sheet(sheet: object, columns: tuple[spreadsheet.Column, ...], example: dict[str, object]) -> None:
    spreadsheet.write_headers(sheet, columns)
    for number, column in enumerate(columns, start=1):
        value = example.get(column.header)
        if value is None:
            continue
        cell = sheet.cell(row=2, column=number, value=value)
        if isinstance(value, dt.date):
            cell.number_format = spreadsheet.XLSX_DATE_FORMAT
        elif isinstance(value, str):
            cell.data_type = "s"


def template_xlsx() -> bytes:
    workbook = Workbook()
    recommendations = workbook.active
    recommendations.title = spreadsheet.RECOMMENDATIONS_SHEET
    _sheet(recommendations, spreadsheet.RECOMMENDATION_COLUMNS, EXAMPLE_RECOMMENDATION)
    _sheet(workbook.create_sheet(spreadsheet.ACTIONS_SHEET), spreadsheet.ACTION_COLUMNS, EXAMPLE_ACTION)

    notes = workbook.create_sheet("Notes")
    notes.append(["How to fill in this template"])
    notes["A1"].font = Font(bold=True, size=14)
    for line in (
        "Replace the example rows with your plan: one row per recommendation on the Recommendations sheet, one "
        "row per action on the Actions sheet. Keep the headings in row 1. Do not merge cells or use formulas.",
        "You choose the engagement when you upload the file. Rows that match a recommendation or action already "
        "in it update it; the others are added. Nothing is deleted: an item that is not in the file stays as it is.",
        f"One file holds at most {MAX_ROWS:,} rows and {MAX_COLUMNS} columns, and is smaller than "
        f"{MAX_BYTES // (1024 * 1024)} MB. A CSV file with the export's columns and a Type column (recommendation "
        "or action) is accepted too, saved as CSV UTF-8.",
        "Before anything is written you see what will be added and changed, and every problem, row by row.",
    ):
        notes.append([line])
    notes.append([])
    notes.append(["Column", "Sheet", "What it holds"])
    header_row = notes.max_row
    for cell in notes[header_row]:
        cell.font = Font(bold=True)
    for header in spreadsheet.CSV_HEADERS[1:]:
        sheets = [
            name
            for name, headers in (
                (spreadsheet.RECOMMENDATIONS_SHEET, RECOMMENDATION_HEADERS),
                (spreadsheet.ACTIONS_SHEET, ACTION_HEADERS),
            )
            if header in headers
        ]
        notes.append([header, " and ".join(sheets), NOTES[header]])
    notes.column_dimensions["A"].width = 26
    notes.column_dimensions["B"].width = 28
    notes.column_dimensions["C"].width = 100
    for row in notes.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    workbook.properties.title = "Action plan import template"
    workbook.properties.creator = "Council Improve"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
