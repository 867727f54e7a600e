"""A CSV file's plan: rows of named cells, by its `Type` column.

Decoded strictly: UTF-16 with its byte-order mark; UTF-8 (with or without one); else Windows-1252, but only
a file that is valid Windows-1252 and has no UTF-8 byte-order mark. Anything else is refused plainly, never
guessed. The header row's width is checked before the body is read, and each row's as it streams; rows
past the limit are counted, not kept."""

import codecs
import csv
import io
from collections.abc import Iterator

from recommendations import spreadsheet

from .limits import MAX_COLUMNS, MAX_LISTED, MAX_ROWS
from .rows import (
    ACTION,
    CSV_BY_KEY,
    RECOMMENDATION,
    Cell,
    FileRefused,
    Problem,
    ReadFile,
    Row,
    Unheaded,
    column_letter,
    columns_of,
    formula_messages,
    ignored_notes,
    is_empty,
    too_many,
)
from .shapes import Table


def not_utf8(name: str) -> FileRefused:
    return FileRefused([f"{name} is not UTF-8. Save it as CSV UTF-8 and upload it again"])


def decode_text(data: bytes, name: str) -> str:
    """The file's text: UTF-16 with a byte-order mark, UTF-8 with or without one, else Windows-1252 when it is
    valid Windows-1252 (bytes 0x81, 0x8D, 0x8F, 0x90 and 0x9D are not) and does not claim to be UTF-8."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise FileRefused([f"{name} cannot be read: it says it is UTF-16 text, but it is damaged"]) from exc
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise not_utf8(name) from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise not_utf8(name) from exc


def _delimiter(first_line: str) -> str:
    """Comma, unless the header row is plainly separated by tabs (Excel's "Unicode text") or semicolons."""
    counts = {delimiter: first_line.count(delimiter) for delimiter in (",", "\t", ";")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] > counts[","] else ","


def too_wide(where: str, width: int) -> FileRefused:
    return FileRefused(
        [
            f"{where} has {width:,} columns; the limit is {MAX_COLUMNS}. Delete the columns the plan does not use "
            "and upload the file again"
        ]
    )


def _records(text: str, name: str) -> Iterator[list[str]]:
    """The file's records, blank ones left out, as the CSV reader reads them (a line at a time)."""
    end = text.find("\n")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text[: end if end >= 0 else None]))
    try:
        for record in reader:
            if any(not is_empty(value) for value in record):
                yield record
    except csv.Error as exc:
        raise FileRefused([f"{name} cannot be read as a CSV file: {exc}"]) from exc


def read_csv(data: bytes, *, filename: str) -> ReadFile | Table:
    """The export's layout (a Type column) as rows; any other CSV file as a table of headings and rows."""
    name = filename or "The file"
    records = _records(decode_text(data, name), name)
    header_row = next(records, None)
    if header_row is None:
        raise FileRefused([f"{name} has no rows in it"])
    if len(header_row) > MAX_COLUMNS:
        raise too_wide("The file", len(header_row))
    columns = columns_of(header_row, CSV_BY_KEY, sheet="the file", refused=(errors := []))
    if spreadsheet.TYPE_HEADER not in columns.values():
        return _read_table(records, header_row, filename)
    if errors:
        raise FileRefused(errors)
    result = ReadFile(filename=filename, format="csv", rows=[])
    _read_body(records, columns, header_row, result)
    result.notes += ignored_notes(header_row, columns, sheet="")
    return result


def _read_table(records: Iterator[list[str]], header_row: list[str], filename: str) -> Table:
    """A council's own plan saved as CSV: the first row its headings, every other row a row of the plan.
    Text that starts with = is text here: a CSV file holds no formulas, and nothing is written back."""
    table = Table(filename=filename, format="csv", sheet="", sheets=[], header_row=1, headings=header_row, rows=[])
    count = 0
    for offset, record in enumerate(records, start=2):
        if len(record) > MAX_COLUMNS:
            raise too_wide(f"Row {offset}", len(record))
        count += 1
        if count <= MAX_ROWS:
            table.rows.append(
                (
                    offset,
                    {
                        index: Cell(name=f"{column_letter(index + 1)}{offset}", value=value)
                        for index, value in enumerate(record)
                        if not is_empty(value)
                    },
                )
            )
    if count > MAX_ROWS:
        raise FileRefused([too_many(count)])
    return table


def _read_body(records: Iterator[list[str]], columns: dict[int, str], header_row: list[str], result: ReadFile) -> None:
    type_index = next(index for index, header in columns.items() if header == spreadsheet.TYPE_HEADER)
    formulas: list[str] = []
    formula_count = 0
    unheaded = Unheaded()
    count = 0
    for offset, record in enumerate(records, start=2):
        if len(record) > MAX_COLUMNS:
            raise too_wide(f"Row {offset}", len(record))
        count += 1
        if count > MAX_ROWS:
            continue  # counted, for the refusal, and not kept
        cells: dict[str, Cell] = {}
        for index, value in enumerate(record):
            name = f"{column_letter(index + 1)}{offset}"
            if value.startswith("="):
                formula_count += 1
                if len(formulas) < MAX_LISTED:
                    formulas.append(name)
            if index in columns:
                cells[columns[index]] = Cell(name=name, value=value)
            elif not is_empty(value) and (index >= len(header_row) or is_empty(header_row[index])):
                unheaded.add(index, name)  # a column with a heading the import does not read is left out
        kind_text = spreadsheet.unescape_text(record[type_index] if type_index < len(record) else "").strip().casefold()
        kind = {RECOMMENDATION: RECOMMENDATION, ACTION: ACTION}.get(kind_text)
        if kind is None:
            shown = f"‘{kind_text}’" if kind_text else "empty"
            result.problems.append(
                Problem(
                    f"Cell {column_letter(type_index + 1)}{offset}",
                    f"Type is {shown}: it must be ‘recommendation’ or ‘action’",
                )
            )
            continue
        cells.pop(spreadsheet.TYPE_HEADER, None)
        result.rows.append(Row(kind=kind, where=f"Row {offset}", cells=cells))
    if count > MAX_ROWS:
        raise FileRefused([too_many(count)])
    if formula_count:
        raise FileRefused(formula_messages(formulas, formula_count, csv_file=True))
    result.problems += unheaded.problems()
