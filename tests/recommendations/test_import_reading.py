"""Reading an uploaded plan: only XLSX and CSV, judged by content; hostile and broken files refused with a
clear message; encodings and byte-order marks; dates as UK spreadsheets hold them."""

import codecs
import datetime as dt
import io

import pytest
from openpyxl import Workbook

from recommendations import spreadsheet
from recommendations.imports import MAX_ROWS, FileRefused, read_plan, values

from .evidence_files import EXCEL_MACRO_MAIN, PDF, ole2, ooxml

REC_HEADERS = [column.header for column in spreadsheet.RECOMMENDATION_COLUMNS]
ACTION_HEADERS = [column.header for column in spreadsheet.ACTION_COLUMNS]


def workbook_bytes(
    recommendations: list[list[object]] = (), actions: list[list[object]] = (), **kwargs: object
) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Recommendations"
    sheet.append(REC_HEADERS)
    for row in recommendations:
        sheet.append(row)
    other = book.create_sheet("Actions")
    other.append(ACTION_HEADERS)
    for row in actions:
        other.append(row)
    if kwargs.get("merge"):
        sheet.merge_cells(kwargs["merge"])
    if kwargs.get("formula"):
        sheet[kwargs["formula"]] = "=1+1"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_text(*rows: list[str]) -> str:
    lines = [",".join(spreadsheet.CSV_HEADERS)]
    for row in rows:
        cells = dict(row)
        lines.append(",".join(cells.get(header, "") for header in spreadsheet.CSV_HEADERS))
    return "\r\n".join(lines) + "\r\n"


RECOMMENDATION_ROW = [("Type", "recommendation"), ("Reference", "R1"), ("Text", "Café culture for £5")]


def refused(data: bytes, name: str = "plan.xlsx") -> list[str]:
    with pytest.raises(FileRefused) as caught:
        read_plan(data=data, filename=name)
    return caught.value.messages


# --- what the file is ---------------------------------------------------------------------------------


def test_a_workbook_is_read_from_its_two_sheets_with_cell_names() -> None:
    data = workbook_bytes([["CPC", "R1", "Heading", "Text"]], [["CPC", "R1", "1.1", "Do it"]])
    read = read_plan(data=data, filename="plan.xlsx")
    assert read.format == "xlsx"
    assert [(row.kind, row.where) for row in read.rows] == [
        ("recommendation", "Recommendations row 2"),
        ("action", "Actions row 2"),
    ]
    assert read.rows[0].cells["Text"].name == "Recommendations!D2"
    assert read.rows[0].cells["Text"].value == "Text"


def test_a_formula_is_refused_naming_the_cell() -> None:
    messages = refused(workbook_bytes([["CPC", "R1", "Heading", "Text"]], formula="D4"))
    assert messages[0] == "Cell Recommendations!D4 holds a formula"


def test_text_that_starts_with_equals_in_a_csv_file_is_a_formula_but_escaped_text_is_not() -> None:
    bad = csv_text([("Type", "recommendation"), ("Reference", "R1"), ("Text", "=HYPERLINK(1)")])
    assert refused(bad.encode(), "plan.csv")[0] == "Cell F2 holds a formula"
    good = csv_text([("Type", "recommendation"), ("Reference", "R1"), ("Text", "'=not a formula")])
    read = read_plan(data=good.encode(), filename="plan.csv")
    assert values.text(read.rows[0].cells["Text"].value) == "=not a formula"


def test_merged_header_cells_are_refused() -> None:
    messages = refused(workbook_bytes([["CPC", "R1", "Heading", "Text"]], merge="A1:B1"))
    assert "Cells A1:B1 of the Recommendations sheet are merged" in messages[0]
    assert "heading" in messages[0]


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"", "plan.xlsx", "The selected file is empty"),
        (PDF, "plan.pdf", "is a PDF"),
        (ole2("Workbook"), "plan.xls", "old Excel 97-2003 spreadsheet"),
        (ole2("EncryptionInfo", "EncryptedPackage"), "plan.xlsx", "password-protected"),
        (ooxml(EXCEL_MACRO_MAIN, extra={"xl/vbaProject.bin": b"x"}), "plan.xlsm", "macros"),
        (b"<!doctype html><html><body>plan</body></html>", "plan.csv", "HTML page"),
        (b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64, "plan.csv", "program"),
    ],
)
def test_what_is_not_a_plain_workbook_or_csv_file_is_refused_saying_why(data: bytes, name: str, expected: str) -> None:
    assert expected in " ".join(refused(data, name))


def test_more_than_the_row_limit_is_refused_stating_the_limit() -> None:
    rows = [[f"row {n}"] for n in range(MAX_ROWS + 1)]
    lines = [",".join(spreadsheet.CSV_HEADERS)] + [f"recommendation,,R{n},,,Text" for n, _ in enumerate(rows)]
    messages = refused("\n".join(lines).encode(), "plan.csv")
    assert messages == [
        f"The file has {MAX_ROWS + 1:,} rows: the most one file can hold is 5,000. Split it into smaller files"
    ]


def test_a_workbook_with_more_than_the_row_limit_is_refused() -> None:
    data = workbook_bytes([["CPC", f"R{n}", "", "Text"] for n in range(MAX_ROWS + 1)])
    assert refused(data) == [
        f"The file has {MAX_ROWS + 1:,} rows: the most one file can hold is 5,000. Split it into smaller files"
    ]


def test_a_damaged_workbook_is_refused() -> None:
    import zipfile

    original = zipfile.ZipFile(io.BytesIO(workbook_bytes([["CPC", "R1", "", "Text"]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as damaged:
        for info in original.infolist():
            part = original.read(info)
            damaged.writestr(info, b"<worksheet><sheetData><row" if info.filename.endswith("sheet1.xml") else part)
    data = buffer.getvalue()
    assert " ".join(refused(data)).endswith("cannot be read as an Excel workbook: it is damaged")


def test_an_empty_workbook_is_refused() -> None:
    book = Workbook()
    book.active.title = "Sheet1"
    buffer = io.BytesIO()
    book.save(buffer)
    assert refused(buffer.getvalue()) == ["plan.xlsx has nothing in it: its sheets are empty"]


def test_a_csv_file_without_a_type_column_is_a_councils_own_plan_its_columns_guessed() -> None:
    read = read_plan(data="Ref,Recommendation,Notes\r\nR1,Something ‘quoted’\r\n".encode(), filename="plan.csv")
    assert read.own_layout and read.guessed
    assert read.mapping == {0: "reference", 1: "text", 2: "commentary"}
    assert [(row.kind, {k: c.value for k, c in row.cells.items()}) for row in read.rows] == [
        ("recommendation", {"Text": "Something ‘quoted’", "Reference": "R1"})
    ]


def test_a_csv_column_the_import_does_not_read_is_left_out_not_a_problem() -> None:
    data = b"Type,Reference,Text,Our notes,Owner team\r\nrecommendation,R1,Something,a note,Finance\r\n,,,,\r\n"
    read = read_plan(data=data, filename="plan.csv")
    assert read.problems == []
    assert [note.message for note in read.notes] == [
        "Column ‘Our notes’ is not one the import reads: it is left out",
        "Column ‘Owner team’ is not one the import reads: it is left out",
    ]
    assert refused_or_problems(b"Type,Reference\r\nrecommendation,R1,stray\r\n") == [
        "holds a value in a column with no heading"
    ]


def refused_or_problems(data: bytes) -> list[str]:
    return [problem.message for problem in read_plan(data=data, filename="plan.csv").problems]


# --- encodings ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode("utf-8"),
        lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
        lambda text: text.encode("utf-16"),  # with its byte-order mark
        lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
        lambda text: text.encode("cp1252"),  # what Excel writes as "CSV" on Windows
    ],
    ids=["utf-8", "utf-8 with BOM", "utf-16 LE with BOM", "utf-16 BE with BOM", "windows-1252"],
)
def test_csv_encodings_and_byte_order_marks_are_read(encode: object) -> None:
    read = read_plan(data=encode(csv_text(RECOMMENDATION_ROW)), filename="plan.csv")
    assert [row.cells["Text"].value for row in read.rows] == ["Café culture for £5"]
    assert read.rows[0].cells["Text"].name == "F2"


def test_a_tab_separated_utf16_file_as_excel_saves_unicode_text_is_read() -> None:
    text = "\t".join(spreadsheet.CSV_HEADERS) + "\r\nrecommendation\t\t\tR1\t\tCafé\r\n"
    read = read_plan(data=text.encode("utf-16"), filename="plan.csv")
    assert read.rows[0].cells["Reference"].value == "R1"
    assert read.rows[0].cells["Text"].value == "Café"


def test_a_bad_type_is_a_problem_of_its_row() -> None:
    read = read_plan(data=csv_text([("Type", "thing"), ("Reference", "R1")]).encode(), filename="plan.csv")
    assert read.rows == []
    assert [(problem.where, problem.message) for problem in read.problems] == [
        ("Cell A2", "Type is ‘thing’: it must be ‘recommendation’ or ‘action’")
    ]


# --- dates and numbers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (dt.datetime(2021, 3, 31), dt.date(2021, 3, 31)),  # noqa: DTZ001 (openpyxl reads date cells as naive)
        (44286, dt.date(2021, 3, 31)),  # an Excel serial number
        ("44286", dt.date(2021, 3, 31)),
        ("31/03/2021", dt.date(2021, 3, 31)),
        ("1/4/2021", dt.date(2021, 4, 1)),
        ("31/03/21", dt.date(2021, 3, 31)),
        ("2021-03-31", dt.date(2021, 3, 31)),
        ("15 Jan 2019", dt.date(2019, 1, 15)),
        ("15 January 2019", dt.date(2019, 1, 15)),
        ("March 2020", dt.date(2020, 3, 31)),
        ("Feb 2020", dt.date(2020, 2, 29)),
        (None, None),
        ("  ", None),
    ],
)
def test_dates_as_uk_spreadsheets_hold_them(cell: object, expected: dt.date | None) -> None:
    assert values.date(cell) == expected


@pytest.mark.parametrize("cell", ["Ongoing", "TBC", "tbc "])
def test_ongoing_and_tbc_are_no_date_yet(cell: str) -> None:
    with pytest.raises(values.NotYetDated):
        values.date(cell)


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("31/02/2020", "‘31/02/2020’ is not a real date"),
        ("next year", "‘next year’ is not a date. Write it as a date, like 31/03/2021"),
        (12, "‘12’ is not a date. Write it as a date, like 31/03/2021"),
    ],
)
def test_what_is_not_a_date_says_so(cell: object, message: str) -> None:
    with pytest.raises(values.CellError, match=message):
        values.date(cell)


def test_an_unformatted_serial_number_in_a_workbook_date_column_is_a_date() -> None:
    read = read_plan(data=workbook_bytes([["CPC", "R1", "", "Text", "", "", "", "", None, 44286]]), filename="p.xlsx")
    assert values.date(read.rows[0].cells["Due date"].value) == dt.date(2021, 3, 31)


def test_percentages_and_text() -> None:
    assert values.percent("40%") == 40
    assert values.percent(40.0) == 40
    with pytest.raises(values.CellError, match="is not a whole number from 0 to 100"):
        values.percent(140)
    assert values.text(3.0) == "3"
    assert values.text("''quoted") == "'quoted"
    with pytest.raises(values.CellError, match="holds a date"):
        values.text(dt.datetime(2026, 1, 1))  # noqa: DTZ001 (as openpyxl reads a date cell)
