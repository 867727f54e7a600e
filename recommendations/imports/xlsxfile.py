"""A workbook's plan: its `Recommendations` and `Actions` sheets as rows of named cells (the export's layout),
or any one sheet as a table of headings and rows (a council's own plan, `read_xlsx_table`).

In this order, each step before the next reads anything: the archive's sizes (package.check_sizes); the
workbook's structure and every XML part it does not read, through defusedxml; each sheet's declared
dimension against the row and column limits; then the sheets stream (workbook.sheet_rows), every sheet for
formulas, those the import reads for their rows, with the limits holding as they go. A formula is read as
the value Excel last worked out for it, with a warning naming the cell; a merged range below the headings
reads as its top-left value repeated. Refused as a whole: formulas with no value worked out (naming the
first cells), merged headings, a header used twice or none known, too many rows."""

import datetime as dt
from typing import Any

from openpyxl.utils.datetime import from_excel

from recommendations import spreadsheet

from . import mapping, workbook
from .limits import MAX_COLUMNS, MAX_LISTED, MAX_ROWS, MAX_SHEET_ROWS
from .package import Package
from .rows import (
    ACTION,
    ACTION_BY_KEY,
    DATE_HEADERS,
    RECOMMENDATION,
    RECOMMENDATION_BY_KEY,
    SERIAL_RANGE,
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


def _declared_messages(package: Package, sheets: list[workbook.Sheet]) -> list[str]:
    messages = []
    for sheet in sheets:
        declared = workbook.declared_size(package, sheet)
        if declared is None:
            continue
        rows, columns = declared
        if rows > MAX_SHEET_ROWS:
            messages.append(
                f"The sheet ‘{sheet.title}’ declares {rows:,} rows; the limit is {MAX_SHEET_ROWS:,}, blank ones "
                "included. Delete the rows below the plan, or split it into smaller files"
            )
        if columns > MAX_COLUMNS:
            messages.append(
                f"The sheet ‘{sheet.title}’ declares {columns:,} columns; the limit is {MAX_COLUMNS}. Delete the "
                "columns to the right of the plan and upload the file again"
            )
    return messages


def _header_merges(title: str, findings: workbook.Findings) -> list[str]:
    """Merged cells in the header row are refused: each column needs its own heading. Merged cells below it
    are read as their top-left value repeated (`_fill`)."""
    messages = []
    for reference in findings.merged:
        try:
            _, min_row, _, _ = workbook.range_boundaries(reference)
        except (ValueError, TypeError):
            continue
        if min_row == 1:
            messages.append(
                f"Cells {reference} of the {title} sheet are merged. Each column needs its own heading "
                "in row 1: unmerge them and upload the file again"
            )
    return messages


def _header_row(rows: dict[int, dict[int, tuple]]) -> int:
    """The row of a council's plan that holds its headings: among the first rows, the first with two or more
    cells of text one of which reads as a heading the guesser knows (a title above the table is passed
    over); else the first with two or more cells; else the first."""
    numbers = sorted(rows)[:30]

    def texts(number: int) -> list[str]:
        return [str(value) for value, kind, _ in rows[number].values() if kind == "s" and not is_empty(value)]

    for number in numbers:
        if len(texts(number)) >= 2 and any(mapping.heading_known(text) for text in texts(number)):
            return number
    for number in numbers:
        if sum(1 for value, *_ in rows[number].values() if not is_empty(value)) >= 2:
            return number
    return numbers[0] if numbers else 1


def _fill(rows: dict[int, dict[int, tuple]], ranges: list[str], budget: workbook.Budget, *, below: int) -> set[int]:
    """Each merged range below row `below`, read as its top-left value repeated in every cell of it (a pasted
    Word table, a recommendation merged down over its actions). Each filled cell counts against the budget.
    The rows that one merged range spans across, three columns or more on its own: a section's title."""
    sections = set()
    for reference in ranges:
        try:
            min_column, min_row, max_column, max_row = workbook.range_boundaries(reference)
        except (ValueError, TypeError):
            continue
        if min_row is None or min_column is None or min_row <= below:
            continue
        top_left = rows.get(min_row, {}).get(min_column)
        if top_left is None:
            continue
        if (max_row or min_row) == min_row and (max_column or min_column) - min_column >= 2:
            others = [value for column, (value, *_) in rows[min_row].items() if column != min_column]
            if all(is_empty(value) for value in others):
                sections.add(min_row)
        for row in range(min_row, (max_row or min_row) + 1):
            for column in range(min_column, (max_column or min_column) + 1):
                if (row, column) != (min_row, min_column):
                    budget.spend()
                    rows.setdefault(row, {})[column] = top_left
    return sections


def _cell_value(value: Any, header: str | None, epoch: dt.datetime) -> Any:
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if header in DATE_HEADERS and number and SERIAL_RANGE[0] <= value <= SERIAL_RANGE[1]:
        return from_excel(value, epoch=epoch)  # a serial number without a date format
    return value


class _Reading:
    def __init__(self, package: Package, book: workbook.Book, filename: str) -> None:
        self.package = package
        self.book = book
        self.budget = workbook.Budget(package.name)
        dates, durations = workbook.date_styles(package, book)
        self.reader = workbook.Reader(workbook.shared_strings(package, book), dates, durations, book.epoch)
        self.result = ReadFile(filename=filename, format="xlsx", rows=[])
        self.formulas: list[str] = []  # formula cells with no cached value
        self.formula_count = 0
        self.cached = 0  # formula cells read as their cached values
        self.refused: list[str] = []
        self.merged: list[str] = []
        self.count = 0  # data rows, both sheets

    def values(self, sheet: workbook.Sheet, cells: list[workbook.RawCell], number: int) -> dict[int, tuple]:
        """Column → (value, type, date format code) for the row's cells. A formula with no cached value is
        noted for the refusal; one with a cached value is read as that value, with a warning naming it."""
        values = {}
        for cell in cells:
            try:
                value, kind = self.reader.value(cell)
            except (IndexError, ValueError, TypeError, OverflowError) as exc:
                raise self.package.damaged() from exc
            name = f"{sheet.title}!{column_letter(cell.column)}{number}"
            if kind == "f":
                self.formula_count += 1
                if len(self.formulas) < MAX_LISTED:
                    self.formulas.append(name)
            elif cell.formula and not is_empty(value):
                self.cached += 1
                if self.cached <= MAX_LISTED:
                    self.result.notes.append(
                        Problem(
                            f"Cell {name}", f"holds a formula: its value as Excel last worked it out is used ({value})"
                        )
                    )
            values[cell.column] = (value, kind, self.reader.dates.get(cell.style, "") if kind == "d" else "")
        return values

    def grid(
        self, sheet: workbook.Sheet, *, below: int | None = 1
    ) -> tuple[dict[int, dict[int, tuple]], workbook.Findings]:
        """The sheet's rows, every cell read (formulas noted), merged ranges below row `below` filled (None:
        none filled yet)."""
        findings = workbook.Findings()
        rows = {
            number: self.values(sheet, cells, number)
            for number, cells in workbook.sheet_rows(self.package, sheet, budget=self.budget, findings=findings)
        }
        if below is not None:
            _fill(rows, findings.ranges, self.budget, below=below)
        return rows, findings

    def holds_anything(self, sheet: workbook.Sheet) -> bool:
        """Whether any cell of the sheet holds a value (streamed for the limits, nothing kept)."""
        found = False
        for _, cells in workbook.sheet_rows(self.package, sheet, budget=self.budget, findings=workbook.Findings()):
            found = found or any(cell.value not in (None, "") or cell.text for cell in cells)
        return found

    def table(self, sheet: workbook.Sheet, sheets: list[str]) -> Table:
        """A council's own plan on one sheet: its heading row found (the first that reads as headings), merged
        ranges below it filled, rows that span the table as one merged cell (a pasted Word table's section
        titles) left out with a note, error values noted as problems."""
        rows, findings = self.grid(sheet, below=None)
        header_row = _header_row(rows)
        sections = _fill(rows, findings.ranges, self.budget, below=header_row)
        width = max((max(values, default=0) for values in rows.values()), default=0)
        headings = [rows.get(header_row, {}).get(column, (None,))[0] for column in range(1, width + 1)]
        table = Table(
            filename=self.result.filename,
            format="xlsx",
            sheet=sheet.title,
            sheets=sheets,
            header_row=header_row,
            headings=headings,
            rows=[],
        )
        for number, values in sorted(rows.items()):
            if number <= header_row or all(is_empty(value) for value, *_ in values.values()):
                continue
            if number in sections:
                title = next(value for value, *_ in values.values() if not is_empty(value))
                table.notes.append(Problem(f"{sheet.title} row {number}", f"‘{title}’ spans the table: left out"))
                continue
            self.count += 1
            cells = {}
            for column, (value, kind, number_format) in values.items():
                name = f"{sheet.title}!{column_letter(column)}{number}"
                if kind == "e":
                    table.problems.append(Problem(f"Cell {name}", f"holds an error value ({value})"))
                    continue
                cells[column - 1] = Cell(name=name, value=value, number_format=number_format)
            if self.count <= MAX_ROWS:
                table.rows.append((number, cells))
        return table

    def sheet(self, sheet: workbook.Sheet, kind: str | None, known: dict[str, str]) -> None:
        """Read one sheet: its rows, headers and merged cells if the import reads it (`kind`); another sheet is
        streamed for the limits only (a summary sheet's formulas are nothing to the plan)."""
        if kind is None:
            for _ in workbook.sheet_rows(self.package, sheet, budget=self.budget, findings=workbook.Findings()):
                pass
            return
        rows, findings = self.grid(sheet)
        header_values: list[Any] = []
        columns: dict[int, str] = {}
        unheaded = Unheaded()
        for number, values in sorted(rows.items()):
            if number == 1:
                width = max(values, default=0)
                header_values = [values.get(column, (None,))[0] for column in range(1, width + 1)]
                columns = columns_of(header_values, known, sheet=f"the {sheet.title} sheet", refused=self.refused)
                self.result.notes += ignored_notes(header_values, columns, sheet=sheet.title)
                if not columns and any(not is_empty(value) for value in header_values):
                    self.refused.append(
                        f"Row 1 of the {sheet.title} sheet holds no heading the import knows. "
                        "Use the headings of the template"
                    )
                continue
            if all(is_empty(value) for value, *_ in values.values()):
                continue
            self.count += 1
            if self.count <= MAX_ROWS:
                self.row(sheet, kind, number, values, columns, header_values, unheaded)
        self.result.problems += unheaded.problems()
        self.merged += _header_merges(sheet.title, findings)

    def row(
        self,
        sheet: workbook.Sheet,
        kind: str,
        number: int,
        values: dict[int, tuple],
        columns: dict[int, str],
        header_values: list[Any],
        unheaded: Unheaded,
    ) -> None:
        cells = {
            header: Cell(name=f"{sheet.title}!{column_letter(index + 1)}{number}", value=None)
            for index, header in columns.items()
        }
        for column, (value, data_type, number_format) in sorted(values.items()):
            index = column - 1
            header = columns.get(index)
            label = f"{sheet.title}!{column_letter(column)}{number}"
            if data_type == "e":
                self.result.problems.append(Problem(f"Cell {label}", f"holds an error value ({value})"))
                if header:
                    cells.pop(header, None)
                continue
            if header is None:
                if (index >= len(header_values) or is_empty(header_values[index])) and not is_empty(value):
                    unheaded.add(index, label)
                continue
            cells[header] = Cell(
                name=label, value=_cell_value(value, header, self.reader.epoch), number_format=number_format
            )
        self.result.rows.append(Row(kind=kind, where=f"{sheet.title} row {number}", cells=cells))


def read_xlsx(data: bytes, *, filename: str, sheet: str | None = None) -> ReadFile | Table:
    """The export's layout (its Recommendations and Actions sheets) as rows; any other workbook as the table
    on one sheet: `sheet` by name, else the first that holds anything."""
    name = filename or "The workbook"
    package = Package(data, name)
    package.check_sizes()
    book = workbook.book_of(package)
    package.check_other_parts(book.parts)
    titles = {sheet.title.strip().casefold(): sheet for sheet in book.sheets}
    wanted = (
        (RECOMMENDATION, spreadsheet.RECOMMENDATIONS_SHEET, RECOMMENDATION_BY_KEY),
        (ACTION, spreadsheet.ACTIONS_SHEET, ACTION_BY_KEY),
    )
    found = {
        titles[title.casefold()].part: (kind, known) for kind, title, known in wanted if title.casefold() in titles
    }
    declared = _declared_messages(package, book.sheets)
    if declared:
        raise FileRefused(declared)
    reading = _Reading(package, book, filename)
    if not found:
        return _read_table(reading, book, name, sheet)
    for kind, _, _ in wanted:  # the Recommendations sheet's rows before the Actions sheet's, as the export writes
        for sheet in book.sheets:
            if found.get(sheet.part, (None,))[0] == kind:
                reading.sheet(sheet, kind, found[sheet.part][1])
    for sheet in book.sheets:
        if sheet.part not in found:
            reading.sheet(sheet, None, {})
    refused = []
    if reading.formula_count:
        refused += formula_messages(reading.formulas, reading.formula_count)
    refused += reading.merged + reading.refused
    if reading.count > MAX_ROWS:
        refused.append(too_many(reading.count))
    if refused:
        raise FileRefused(refused)
    return reading.result


def _read_table(reading: _Reading, book: workbook.Book, name: str, wanted: str | None) -> Table:
    with_data = [sheet for sheet in book.sheets if reading.holds_anything(sheet)]
    if not with_data:
        raise FileRefused([f"{name} has nothing in it: its sheets are empty"])
    if wanted:
        chosen = next((s for s in book.sheets if s.title.strip().casefold() == wanted.strip().casefold()), None)
        if chosen is None:
            names = ", ".join(f"‘{s.title}’" for s in with_data)
            raise FileRefused([f"{name} has no sheet called ‘{wanted}’ (its sheets with anything in them: {names})"])
    else:
        chosen = with_data[0]
    reading.budget = workbook.Budget(reading.package.name)  # the chosen sheet is read again, in full
    table = reading.table(chosen, [sheet.title for sheet in with_data])
    table.notes = reading.result.notes + table.notes
    refused = formula_messages(reading.formulas, reading.formula_count) if reading.formula_count else []
    if reading.count > MAX_ROWS:
        refused.append(too_many(reading.count))
    if refused:
        raise FileRefused(refused)
    return table
