"""Action plans in the shapes councils keep them, written with openpyxl as Excel saves them (formulas with the
value Excel worked out, month cells as dates formatted to show no day, merged cells, line breaks and
typographic quotes inside cells), each with what importing it must give: the recommendations, the actions,
their texts character for character, due dates and timescale words."""

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font


@dataclass
class Expected:
    recommendations: list[tuple[str, str]]  # (reference, text)
    actions: list[tuple[str, str, str]]  # (recommendation reference, reference, description)
    due: dict[str, tuple[dt.date | None, str]] = field(default_factory=dict)  # item reference → (due, timescale)


@dataclass
class Shape:
    name: str
    filename: str
    content: bytes
    expected: Expected


def excel(year: int, month: int, day: int) -> dt.datetime:
    return dt.datetime(year, month, day)  # noqa: DTZ001 (a date cell, as openpyxl writes it)


def _book(title: str = "Action plan") -> tuple[Workbook, Any]:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    return book, sheet


def _saved(book: Workbook, cached: dict[str, Any] | None = None) -> bytes:
    """The workbook's bytes; each formula cell in `cached` ("Summary!B2": 3) with the value Excel would have
    saved beside its formula (openpyxl writes formulas without one)."""
    buffer = io.BytesIO()
    book.save(buffer)
    if not cached:
        return buffer.getvalue()
    parts = {}
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        names = {sheet.title: f"xl/worksheets/sheet{number}.xml" for number, sheet in enumerate(book.worksheets, 1)}
        for info in archive.infolist():
            parts[info.filename] = archive.read(info.filename)
    for where, value in cached.items():
        title, reference = where.split("!")
        part = names[title]
        xml = parts[part].decode()
        pattern = re.compile(
            rf'<c r="{reference}"([^>]*)><f>(.*?)</f><v\s*/>|<c r="{reference}"([^>]*)><f>(.*?)</f><v></v>'
        )
        kind = ' t="str"' if isinstance(value, str) else ""

        def cached_value(match: re.Match, kind: str = kind, value: Any = value, reference: str = reference) -> str:
            attributes = (match[1] or match[3] or "").replace(' t="str"', "")
            return f'<c r="{reference}"{attributes}{kind}><f>{match[2] or match[4]}</f><v>{value}</v>'

        xml, count = pattern.subn(cached_value, xml)
        assert count == 1, (where, xml[:500])
        parts[part] = xml.encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def _heading_row(sheet: Any, row: int, headings: list[str]) -> None:
    for column, heading in enumerate(headings, start=1):
        cell = sheet.cell(row=row, column=column, value=heading)
        cell.font = Font(bold=True)


# --- the shapes ---------------------------------------------------------------------------------------


def repeated_rows() -> Shape:
    """One row per action, the recommendation's reference and text repeated on each; a month typed into the
    Timescale column that Excel made a date (1 December 2023, formatted Dec-23)."""
    book, sheet = _book("Sheet1")
    _heading_row(sheet, 1, ["Ref", "Recommendation", "Action(s)", "Timescale", "Lead officer", "Status", "RAG"])
    rows = [
        [
            "R1",
            "Develop a shared vision for the borough.",
            "Hold member workshops.",
            None,
            "Chief Executive",
            "On track",
            "G",
        ],
        [
            "R1",
            "Develop a shared vision for the borough.",
            "Publish the vision.",
            "Q3 2023/24",
            "Chief Executive",
            "Not yet started",
            "",
        ],
        [
            "R2",
            "Refresh the medium-term financial strategy.",
            "Agree the budget gap.",
            "2023/24",
            "Head of Finance",
            "Completed",
            "Blue",
        ],
    ]
    for row in rows:
        sheet.append(row)
    sheet["D2"] = excel(2023, 12, 1)
    sheet["D2"].number_format = "mmm-yy"
    return Shape(
        "repeated recommendation rows",
        "repeated.xlsx",
        _saved(book),
        Expected(
            recommendations=[
                ("R1", "Develop a shared vision for the borough."),
                ("R2", "Refresh the medium-term financial strategy."),
            ],
            actions=[
                ("R1", "1.1", "Hold member workshops."),
                ("R1", "1.2", "Publish the vision."),
                ("R2", "2.1", "Agree the budget gap."),
            ],
            due={
                "1.1": (dt.date(2023, 12, 31), "December 2023"),
                "1.2": (dt.date(2023, 12, 31), "Q3 2023/24"),
                "2.1": (dt.date(2024, 3, 31), "2023/24"),
            },
        ),
    )


BULLETED = "• Agree the budget gap for three years.\n• Publish a savings plan.\n• Report to Cabinet quarterly."


def bullets_in_one_cell() -> Shape:
    """One row per recommendation, its actions a bulleted list in one cell; numbered 1, 2."""
    book, sheet = _book("Action Plan")
    _heading_row(sheet, 1, ["No.", "Recommendation", "Actions", "By when", "Responsible", "Progress"])
    sheet.append(
        [
            "1",
            "Refresh the medium-term financial strategy.",
            BULLETED,
            "End of March 2024",
            "Director of Resources",
            "Underway",
        ]
    )
    sheet.append(
        [
            "2",
            "Invest in organisational development.",
            "Launch a leadership programme.",
            "July 2023 and ongoing",
            "Head of HR",
            "Ongoing",
        ]
    )
    for cell in sheet["C"]:
        cell.alignment = Alignment(wrap_text=True)
    return Shape(
        "bullets in one cell",
        "bullets.xlsx",
        _saved(book),
        Expected(
            recommendations=[
                ("1", "Refresh the medium-term financial strategy."),
                ("2", "Invest in organisational development."),
            ],
            actions=[("1", "1.1", BULLETED), ("2", "2.1", "Launch a leadership programme.")],
            due={
                "1.1": (dt.date(2024, 3, 31), "End of March 2024"),
                "2.1": (dt.date(2023, 7, 31), "July 2023 and ongoing"),
            },
        ),
    )


def lga_numbering() -> Shape:
    """The LGA's numbering: 1.1, 1.2 are the actions of recommendation 1; a number Excel made of 2.1."""
    book, sheet = _book("CPC action plan")
    _heading_row(sheet, 1, ["Ref", "Recommendation", "Action", "Deadline", "Lead", "Status", "RAG", "Update"])
    sheet.append(
        [
            "1.1",
            "Strengthen scrutiny.",
            "Review the scrutiny committees.",
            "w/c 4 March 2024",
            "Monitoring Officer",
            "Started",
            "Amber",
            "Terms of reference drafted.",
        ]
    )
    sheet.append(
        [
            "1.2",
            "Strengthen scrutiny.",
            "Train scrutiny members.",
            "Spring 2024",
            "Monitoring Officer",
            "Planned",
            "",
            "",
        ]
    )
    sheet.append(
        [
            2.1,
            "Improve performance reporting.",
            "Publish a quarterly report.",
            "Ongoing",
            "Head of Policy",
            "Done",
            "Green",
            "",
        ]
    )
    return Shape(
        "LGA 1.1 numbering",
        "lga.xlsx",
        _saved(book),
        Expected(
            recommendations=[("1", "Strengthen scrutiny."), ("2", "Improve performance reporting.")],
            actions=[
                ("1", "1.1", "Review the scrutiny committees."),
                ("1", "1.2", "Train scrutiny members."),
                ("2", "2.1", "Publish a quarterly report."),
            ],
            due={
                "1.1": (dt.date(2024, 3, 8), "w/c 4 March 2024"),
                "1.2": (None, "Spring 2024"),
                "2.1": (None, "Ongoing"),
            },
        ),
    )


def no_numbers() -> Shape:
    """No references at all: the recommendation's text repeated, numbered by the import."""
    book, sheet = _book("Plan")
    _heading_row(sheet, 1, ["Recommendation", "Action", "Timescale", "Owner"])
    sheet.append(["Develop a clear narrative.", "Draft the narrative.", "Dec 23", "Chief Executive"])
    sheet.append(["Develop a clear narrative.", "Test it with staff.", "TBC", "Head of Communications"])
    sheet.append(["Review governance.", "Commission a review.", "31/01/2024", "Monitoring Officer"])
    return Shape(
        "no numbers",
        "no-numbers.xlsx",
        _saved(book),
        Expected(
            recommendations=[("R1", "Develop a clear narrative."), ("R2", "Review governance.")],
            actions=[
                ("R1", "1.1", "Draft the narrative."),
                ("R1", "1.2", "Test it with staff."),
                ("R2", "2.1", "Commission a review."),
            ],
            due={
                "1.1": (dt.date(2023, 12, 31), "Dec 23"),
                "1.2": (None, "TBC"),
                "2.1": (dt.date(2024, 1, 31), ""),
            },
        ),
    )


def merged_cells() -> Shape:
    """The recommendation merged down over its actions' rows."""
    book, sheet = _book("Sheet1")
    _heading_row(sheet, 1, ["Ref", "Recommendation", "Action", "Target date", "Lead"])
    sheet.append(
        ["R1", "Build capacity for transformation.", "Appoint a programme lead.", "Sept 2023", "Chief Executive"]
    )
    sheet.append([None, None, "Set up a programme board.", "October 2023", "Chief Executive"])
    sheet.append([None, None, "Report to Cabinet.", "November 2023", "Chief Executive"])
    sheet.append(["R2", "Refresh the workforce strategy.", "Consult staff.", "Winter 2023", "Head of HR"])
    sheet.merge_cells("A2:A4")
    sheet.merge_cells("B2:B4")
    return Shape(
        "merged cells",
        "merged.xlsx",
        _saved(book),
        Expected(
            recommendations=[("R1", "Build capacity for transformation."), ("R2", "Refresh the workforce strategy.")],
            actions=[
                ("R1", "1.1", "Appoint a programme lead."),
                ("R1", "1.2", "Set up a programme board."),
                ("R1", "1.3", "Report to Cabinet."),
                ("R2", "2.1", "Consult staff."),
            ],
            due={
                "1.1": (dt.date(2023, 9, 30), "Sept 2023"),
                "1.2": (dt.date(2023, 10, 31), "October 2023"),
                "1.3": (dt.date(2023, 11, 30), "November 2023"),
                "2.1": (None, "Winter 2023"),
            },
        ),
    )


WORD_TEXT = "Ensure the council’s “one council” approach\nis understood by all staff."


def pasted_word_table() -> Shape:
    """A Word table pasted into Excel: a title above it, a section's title merged across the table, line
    breaks and typographic quotes inside cells, non-breaking spaces in headings."""
    book, sheet = _book("Sheet1")
    sheet["A1"] = "Borsetshire County Council – Corporate Peer Challenge action plan"
    sheet["A1"].font = Font(bold=True, size=14)
    _heading_row(
        sheet, 3, ["Recommendation\u00a0number", "Recommendation", "Key actions", "Timescale", "Lead officer(s)"]
    )
    sheet["A4"] = "Theme 1: Place leadership"
    sheet.merge_cells("A4:E4")
    sheet.append(["1", WORD_TEXT, "Run staff roadshows\n(all sites).", "End of March 2024", "Chief Executive"])
    sheet.append(
        ["2", "Agree a place vision with partners.", "Hold a partnership summit.", "Q1 2024/25", "Leader’s office"]
    )
    return Shape(
        "a pasted Word table",
        "word.xlsx",
        _saved(book),
        Expected(
            recommendations=[("1", WORD_TEXT), ("2", "Agree a place vision with partners.")],
            actions=[
                ("1", "1.1", "Run staff roadshows\n(all sites)."),
                ("2", "2.1", "Hold a partnership summit."),
            ],
            due={
                "1.1": (dt.date(2024, 3, 31), "End of March 2024"),
                "2.1": (dt.date(2024, 6, 30), "Q1 2024/25"),
            },
        ),
    )


def summary_formula() -> Shape:
    """A plan whose RAG column is worked out by formulas, with a summary sheet of counts."""
    book, sheet = _book("Action plan")
    _heading_row(sheet, 1, ["Ref", "Recommendation", "Action", "Due date", "Status", "RAG"])
    sheet.append(["R1", "Improve customer access.", "Open a contact centre.", excel(2024, 3, 31), "In progress", None])
    sheet.append(["R2", "Modernise ICT.", "Replace the finance system.", excel(2024, 9, 30), "In progress", None])
    for row in (2, 3):
        sheet[f"D{row}"].number_format = "dd/mm/yyyy"
        sheet[f"F{row}"] = f'=IF(D{row}<DATE(2024,6,1),"Green","Amber")'
    summary = book.create_sheet("Summary")
    summary["A1"], summary["B1"] = "Actions", "=COUNTA('Action plan'!C2:C3)"
    return Shape(
        "a summary formula",
        "formula.xlsx",
        _saved(book, {"Action plan!F2": "Green", "Action plan!F3": "Amber", "Summary!B1": 2}),
        Expected(
            recommendations=[("R1", "Improve customer access."), ("R2", "Modernise ICT.")],
            actions=[("R1", "1.1", "Open a contact centre."), ("R2", "2.1", "Replace the finance system.")],
            due={"1.1": (dt.date(2024, 3, 31), ""), "2.1": (dt.date(2024, 9, 30), "")},
        ),
    )


SHAPES = (
    repeated_rows,
    bullets_in_one_cell,
    lga_numbering,
    no_numbers,
    merged_cells,
    pasted_word_table,
    summary_formula,
)
