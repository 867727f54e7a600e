"""Reading an uploaded plan: bytes → rows of cells, each cell named as a spreadsheet names it.

The file is judged by its contents first (recommendations/uploads: old binary Office, password-protected
and macro-enabled files are refused there, with their reasons); only an Excel workbook (XLSX) or a CSV file
goes on. A workbook is read from its `Recommendations` and `Actions` sheets, a CSV file from its `Type`
column, both with the headers of recommendations/exports.py (docs/SPREADSHEET.md). A file that cannot be
read as a whole (formulas, merged cells, too many rows, no header we know) raises FileRefused with every
reason; what is wrong with single cells is left to the planning, which reports it by row and column.
"""

import codecs
import csv
import datetime as dt
import io
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from recommendations import exports
from recommendations.uploads import check_document, clean_filename
from recommendations.uploads.kinds import CSV, XLSX, article

MAX_ROWS = 5_000  # data rows in one file, both kinds together
MAX_BYTES = 4 * 1024 * 1024  # the upload (it waits in the database between the dry run and the import)
MAX_UNPACKED_BYTES = 40 * 1024 * 1024  # a workbook's parts, unpacked: far beyond 5,000 rows of a plan
MAX_LISTED = 20  # formula cells named in a refusal before "and N more"

RECOMMENDATION, ACTION = exports.RECOMMENDATION_TYPE, exports.ACTION_TYPE
RECOMMENDATION_HEADERS = tuple(column.header for column in exports.RECOMMENDATION_COLUMNS)
ACTION_HEADERS = tuple(column.header for column in exports.ACTION_COLUMNS)
DATE_HEADERS = frozenset(
    column.header
    for column in (*exports.RECOMMENDATION_COLUMNS, *exports.ACTION_COLUMNS)
    if column.kind == exports.DATE
)
# Serial numbers Excel uses for days from 1955 to 2118: a plain number in a date column outside them is
# not taken for a date (it is reported as one that is not).
SERIAL_RANGE = (20_000, 80_000)


class FileRefused(Exception):
    """The file cannot be imported at all. `messages` says why, in plain words, all of it."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class Cell:
    name: str  # "Recommendations!J4" in a workbook, "J4" in a CSV file
    value: Any  # str, int, float, datetime or None, as the file holds it (text not yet unescaped)


@dataclass
class Row:
    kind: str  # RECOMMENDATION or ACTION
    where: str  # "Recommendations row 4", "row 4"
    cells: dict[str, Cell]  # by header; a column the file does not have is absent


@dataclass
class Problem:
    where: str  # "Cell Recommendations!J4", "Recommendations row 4", or "" for the whole file
    message: str


@dataclass
class ReadFile:
    filename: str
    format: str  # "xlsx" or "csv"
    rows: list[Row]
    problems: list[Problem] = field(default_factory=list)  # single cells that cannot be read
    notes: list[Problem] = field(default_factory=list)  # things ignored, worth saying


def reference_key(text: object) -> str:
    """Text as people mean it, to match headings, references and names: spaces collapsed, case ignored."""
    return " ".join(str(text or "").split()).casefold()


RECOMMENDATION_BY_KEY = {reference_key(header): header for header in RECOMMENDATION_HEADERS}
ACTION_BY_KEY = {reference_key(header): header for header in ACTION_HEADERS}
CSV_BY_KEY = {reference_key(header): header for header in exports.CSV_HEADERS}


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --- what the file is ---------------------------------------------------------------------------------


def _decoded_utf16(data: bytes, name: str) -> bytes | None:
    """A file starting with a UTF-16 byte-order mark (Excel's "Unicode text"), as UTF-8; None otherwise."""
    if not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    try:
        text = data.decode("utf-16")
    except UnicodeDecodeError as exc:
        raise FileRefused([f"{name} cannot be read: it says it is UTF-16 text, but it is damaged"]) from exc
    return text.encode("utf-8")


def _kind_of(data: bytes, name: str) -> str:
    """ "xlsx" or "csv", judged by the contents (uploads.check_document); FileRefused for anything else."""
    display = name or "The selected file"
    if not data:
        raise FileRefused([f"The selected file is empty: {name} has nothing in it" if name else "The file is empty"])
    if len(data) > MAX_BYTES:
        raise FileRefused(
            [f"The selected file must be smaller than {MAX_BYTES // (1024 * 1024)} MB. Split it into smaller files"]
        )
    utf16 = _decoded_utf16(data, display)
    try:
        detected = check_document(SimpleUploadedFile(name or "plan", utf16 if utf16 is not None else data))
    except ValidationError as exc:
        raise FileRefused(list(exc.messages)) from exc
    if detected == XLSX:
        return "xlsx"
    if detected == CSV:
        return "csv"
    raise FileRefused(
        [
            f"{display} is {article(detected.label)}. "
            "The selected file must be an Excel spreadsheet (.xlsx) or a CSV file"
        ]
    )


# --- CSV ----------------------------------------------------------------------------------------------


def _decode_text(data: bytes) -> str:
    """UTF-16 with its byte-order mark, UTF-8 with or without one, else Windows-1252 (what Excel writes)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _delimiter(first_line: str) -> str:
    """Comma, unless the header row is plainly separated by tabs (Excel's "Unicode text") or semicolons."""
    counts = {delimiter: first_line.count(delimiter) for delimiter in (",", "\t", ";")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] > counts[","] else ","


def read_csv(data: bytes, *, filename: str) -> ReadFile:
    text = _decode_text(data)
    lines = io.StringIO(text, newline="")
    try:
        records = list(csv.reader(lines, delimiter=_delimiter(text.split("\n", 1)[0])))
    except csv.Error as exc:
        raise FileRefused([f"{filename or 'The file'} cannot be read as a CSV file: {exc}"]) from exc
    records = [record for record in records if any(not _is_empty(value) for value in record)]
    if not records:
        raise FileRefused([f"{filename or 'The file'} has no rows in it"])
    header_row, body = records[0], records[1:]
    columns = _columns(header_row, CSV_BY_KEY, sheet="the file", refused=(errors := []))
    if exports.TYPE_HEADER not in columns.values():
        errors.append(
            "The file has no ‘Type’ column. Row 1 must hold the headings of the export, starting with ‘Type’ "
            "(see the template)"
        )
    if len(body) > MAX_ROWS:
        errors.append(_too_many(len(body)))
    if errors:
        raise FileRefused(errors)
    result = ReadFile(filename=filename, format="csv", rows=[])
    type_index = next(index for index, header in columns.items() if header == exports.TYPE_HEADER)
    formulas: list[str] = []
    for offset, record in enumerate(body, start=2):
        cells: dict[str, Cell] = {}
        for index, value in enumerate(record):
            name = f"{get_column_letter(index + 1)}{offset}"
            if value.startswith("="):
                formulas.append(name)
            if index in columns:
                header = columns[index]
                cells[header] = Cell(name=name, value=value)
            elif not _is_empty(value):
                result.problems.append(Problem(f"Cell {name}", "holds a value in a column with no heading"))
        kind_text = exports.unescape_text(record[type_index] if type_index < len(record) else "").strip().casefold()
        kind = {RECOMMENDATION: RECOMMENDATION, ACTION: ACTION}.get(kind_text)
        if kind is None:
            shown = f"‘{kind_text}’" if kind_text else "empty"
            result.problems.append(
                Problem(
                    f"Cell {get_column_letter(type_index + 1)}{offset}",
                    f"Type is {shown}: it must be ‘recommendation’ or ‘action’",
                )
            )
            continue
        cells.pop(exports.TYPE_HEADER, None)
        result.rows.append(Row(kind=kind, where=f"Row {offset}", cells=cells))
    if formulas:
        raise FileRefused(_formula_messages(formulas, csv_file=True))
    result.notes += _ignored_notes(header_row, columns, sheet="")
    return result


def _columns(header_row: list[Any], known: dict[str, str], *, sheet: str, refused: list[str]) -> dict[int, str]:
    """Column index → header, for the headers we know; a header used twice is a refusal."""
    columns: dict[int, str] = {}
    seen: dict[str, int] = {}
    for index, value in enumerate(header_row):
        header = known.get(reference_key(value))
        if header is None:
            continue
        if header in seen:
            first, second = get_column_letter(seen[header] + 1), get_column_letter(index + 1)
            refused.append(f"Two columns of {sheet} are headed ‘{header}’ ({first}1 and {second}1): keep one of them")
            continue
        seen[header] = index
        columns[index] = header
    return columns


def _ignored_notes(header_row: list[Any], columns: dict[int, str], *, sheet: str) -> list[Problem]:
    where = f"{sheet}!" if sheet else ""
    return [
        Problem(
            f"Cell {where}{get_column_letter(index + 1)}1",
            f"Column ‘{value}’ is not one the import reads: it is left out",
        )
        for index, value in enumerate(header_row)
        if index not in columns and not _is_empty(value)
    ]


def _too_many(count: int) -> str:
    return f"The file has {count:,} rows: the most one file can hold is {MAX_ROWS:,}. Split it into smaller files"


def _formula_messages(cells: list[str], *, csv_file: bool = False) -> list[str]:
    how = (
        "If it is text, put an apostrophe (') in front of it"
        if csv_file
        else "Replace each formula with its value (copy, then paste as values) and upload the file again"
    )
    listed = [f"Cell {name} holds a formula" for name in cells[:MAX_LISTED]]
    if len(cells) > MAX_LISTED:
        listed.append(f"and {len(cells) - MAX_LISTED:,} more cells hold formulas")
    return [*listed, f"The import does not accept formulas. {how}"]


# --- XLSX ---------------------------------------------------------------------------------------------


def _check_package(data: bytes, name: str) -> None:
    """The workbook's parts unpack to a safe size and declare no XML entities (openpyxl parses them with
    the standard library's expat)."""
    try:
        _check_parts(data, name)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise FileRefused([f"{name} cannot be read as an Excel workbook: it is damaged"]) from exc


def _check_parts(data: bytes, name: str) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        infos = package.infolist()
        if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
            raise FileRefused(
                [f"{name} is too large to read: it unpacks to more than {MAX_UNPACKED_BYTES // 2**20} MB"]
            )
        for info in infos:
            if not info.filename.lower().endswith((".xml", ".rels")):
                continue
            part = package.read(info)
            if part.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                part = part.decode("utf-16", errors="replace").encode("utf-8")
            lowered = part[:4096].lower()
            if b"<!doctype" in lowered or b"<!entity" in lowered:
                raise FileRefused([f"{name} cannot be accepted: its parts declare XML entities"])


def _merged_messages(sheet: Any) -> list[str]:
    messages = []
    for merged in sorted(sheet.merged_cells.ranges, key=lambda cells: (cells.min_row, cells.min_col)):
        if merged.min_row == 1:
            messages.append(
                f"Cells {merged.coord} of the {sheet.title} sheet are merged. Each column needs its own heading "
                "in row 1: unmerge them and upload the file again"
            )
        else:
            messages.append(
                f"Cells {merged.coord} of the {sheet.title} sheet are merged. Unmerge them, so that each row has "
                "its own value, and upload the file again"
            )
    return messages


def _cell_value(cell: Any, header: str | None, epoch: dt.datetime) -> Any:
    value = cell.value
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if header in DATE_HEADERS and number and SERIAL_RANGE[0] <= value <= SERIAL_RANGE[1]:
        return from_excel(value, epoch=epoch)  # a serial number without a date format
    return value


def read_xlsx(data: bytes, *, filename: str) -> ReadFile:
    name = filename or "The workbook"
    _check_package(data, name)
    try:
        workbook = load_workbook(io.BytesIO(data), data_only=False, read_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook: all mean the same here
        raise FileRefused([f"{name} cannot be read as an Excel workbook: it is damaged"]) from exc
    sheets = {sheet.title.strip().casefold(): sheet for sheet in workbook.worksheets}
    wanted = (
        (RECOMMENDATION, exports.RECOMMENDATIONS_SHEET, RECOMMENDATION_BY_KEY),
        (ACTION, exports.ACTIONS_SHEET, ACTION_BY_KEY),
    )
    found = [(kind, sheets[title.casefold()], known) for kind, title, known in wanted if title.casefold() in sheets]
    if not found:
        names = ", ".join(sheet.title for sheet in workbook.worksheets)
        raise FileRefused(
            [f"{name} has no sheet called ‘Recommendations’ or ‘Actions’ (its sheets are: {names}). Use the template"]
        )
    refused: list[str] = []
    formulas = [
        f"{sheet.title}!{cell.coordinate}"
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]
    if formulas:
        refused += _formula_messages(formulas)
    for _, sheet, _ in found:
        refused += _merged_messages(sheet)
    result = ReadFile(filename=filename, format="xlsx", rows=[])
    count = 0
    for kind, sheet, known in found:
        rows = sheet.iter_rows()
        header_cells = list(next(rows, ()))
        header_values = [cell.value for cell in header_cells]
        columns = _columns(header_values, known, sheet=f"the {sheet.title} sheet", refused=refused)
        result.notes += _ignored_notes(header_values, columns, sheet=sheet.title)
        if not columns and any(not _is_empty(value) for value in header_values):
            refused.append(
                f"Row 1 of the {sheet.title} sheet holds no heading the import knows. Use the headings of the template"
            )
        for row in rows:
            if all(_is_empty(cell.value) for cell in row):
                continue
            count += 1
            if count > MAX_ROWS:
                break
            number = row[0].row
            cells: dict[str, Cell] = {}
            for index, cell in enumerate(row):
                header = columns.get(index)
                label = f"{sheet.title}!{cell.coordinate}"
                if cell.data_type == "e":
                    result.problems.append(Problem(f"Cell {label}", f"holds an error value ({cell.value})"))
                    continue
                if header is None:
                    unheaded = index >= len(header_values) or _is_empty(header_values[index])
                    if unheaded and not _is_empty(cell.value):
                        result.problems.append(Problem(f"Cell {label}", "holds a value in a column with no heading"))
                    continue
                cells[header] = Cell(name=label, value=_cell_value(cell, header, workbook.epoch))
            result.rows.append(Row(kind=kind, where=f"{sheet.title} row {number}", cells=cells))
        if count > MAX_ROWS:
            break
    if count > MAX_ROWS:
        total = sum(
            1
            for _, sheet, _ in found
            for row in sheet.iter_rows(min_row=2)
            if any(not _is_empty(cell.value) for cell in row)
        )
        refused.append(_too_many(total))
    if refused:
        raise FileRefused(refused)
    return result


# --- either -------------------------------------------------------------------------------------------


def read_plan(*, data: bytes, filename: str) -> ReadFile:
    """The rows of an uploaded plan (XLSX or CSV, judged by its contents); FileRefused if it cannot be read."""
    filename = clean_filename(filename)
    kind = _kind_of(data, filename)
    if kind == "xlsx":
        return read_xlsx(data, filename=filename)
    return read_csv(data, filename=filename)
