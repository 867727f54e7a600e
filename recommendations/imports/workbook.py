"""Reading a workbook (XLSX): its sheets' XML streamed through defusedxml (imports.package), never loaded whole.

Why not openpyxl: its normal mode builds every cell position from A1 to the last cell (a 1.5 KB file with
cells at A1 and Z200000 took 21 s and 1 GB), and its read-only mode still builds each row whole, loads the
shared strings whole, pads rows to the declared dimension, does not report merged cells, and has no place
to stop at a limit. Reading the sheet XML ourselves, as events, lets every limit be checked where it can
first be known: the archive's sizes, then each sheet's declared dimension, before any cell is read; then,
while the rows stream, the row, column and cell limits, stopping at the limit rather than after reading
everything (a dimension can lie, or be missing). openpyxl still says which number formats are dates and
turns serial numbers into dates, exactly as it did when it read the whole workbook.

A cell is read as openpyxl reads it: shared and inline strings (rich text runs joined, phonetic runs left
out), numbers (int, or float with a point or an exponent), booleans, ISO dates, numbers in a date format
as datetime, error values; any cell with a formula is a formula.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.cell import range_boundaries
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel, from_ISO8601

from .limits import (
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_LISTED,
    MAX_MERGED,
    MAX_SHARED_STRINGS,
    MAX_SHEET_ROWS,
    MAX_SHEETS,
    MAX_STYLES,
)
from .package import RELATIONSHIP, Handler, Package, Stop
from .rows import FileRefused, column_letter

_REFERENCE = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]{1,7})$")


@dataclass(frozen=True)
class Sheet:
    title: str
    part: str


@dataclass
class RawCell:
    column: int
    type: str = "n"  # the `t` attribute
    style: int = 0
    value: str | None = None  # the <v> text
    text: list[str] | None = None  # an inline string's runs
    formula: bool = False


@dataclass
class Findings:
    """What streaming a sheet finds besides its rows."""

    merged: list[str] = field(default_factory=list)  # the first MAX_LISTED merged ranges, as written
    merged_count: int = 0
    ranges: list[str] = field(default_factory=list)  # every merged range (at most MAX_MERGED), to fill


@dataclass
class Book:
    sheets: list[Sheet]
    epoch: Any
    strings_part: str | None
    styles_part: str | None
    parts: set[str]  # the parts the reading parses itself


def column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def split_reference(reference: str) -> tuple[int, int]:
    """ "Z200000" → (26, 200000); ValueError if it is not a cell reference."""
    match = _REFERENCE.match(reference)
    if match is None:
        raise ValueError(reference)
    return column_number(match[1]), int(match[2])


# --- the workbook's structure ---------------------------------------------------------------------------


class _Workbook(Handler):
    def __init__(self) -> None:
        super().__init__()
        self.sheets: list[tuple[str, str]] = []  # (name, relationship id)
        self.date1904 = False

    def start(self, local: str, attributes: dict[str, str]) -> None:
        if local == "sheet":
            if len(self.sheets) >= MAX_SHEETS:
                raise FileRefused([f"The workbook has more than {MAX_SHEETS} sheets; the limit is {MAX_SHEETS}"])
            self.sheets.append((attributes.get("name", ""), attributes.get("id", "")))
        elif local == "workbookPr":
            self.date1904 = attributes.get("date1904", "").lower() in {"1", "true"}


def book_of(package: Package) -> Book:
    """The sheets in workbook order (worksheets only, as openpyxl's `worksheets`), the date epoch, and where
    the shared strings and styles are."""
    main = next(
        (target for kind, target in package.relationships("").values() if kind.endswith("/officeDocument")),
        "xl/workbook.xml",
    )
    if not package.has(main):
        raise package.damaged()
    handler = _Workbook()
    package.parse(main, handler)
    relationships = package.relationships(main)
    sheets = [
        Sheet(title=title, part=relationships[key][1])
        for title, key in handler.sheets
        if key in relationships
        and relationships[key][0] == RELATIONSHIP + "worksheet"
        and package.has(relationships[key][1])
    ]
    linked = {kind.rsplit("/", 1)[-1]: target for kind, target in relationships.values() if package.has(target)}
    parts = {main, "_rels/.rels", *{sheet.part for sheet in sheets}}
    parts |= {f"{main.rsplit('/', 1)[0]}/_rels/{main.rsplit('/', 1)[-1]}.rels"}
    parts |= {linked[kind] for kind in ("sharedStrings", "styles") if kind in linked}
    return Book(
        sheets=sheets,
        epoch=CALENDAR_MAC_1904 if handler.date1904 else CALENDAR_WINDOWS_1900,
        strings_part=linked.get("sharedStrings"),
        styles_part=linked.get("styles"),
        parts=parts,
    )


class _Dimension(Handler):
    def __init__(self) -> None:
        super().__init__()
        self.reference: str | None = None

    def start(self, local: str, attributes: dict[str, str]) -> None:
        if local == "dimension":
            self.reference = attributes.get("ref")
        elif local == "sheetData":
            raise Stop


def declared_size(package: Package, sheet: Sheet) -> tuple[int, int] | None:
    """(rows, columns) as the sheet's <dimension> declares them, read before its data; None if it declares none
    we can read (the limits then hold while it streams)."""
    handler = _Dimension()
    package.parse(sheet.part, handler)
    if not handler.reference:
        return None
    try:
        _, _, columns, rows = range_boundaries(handler.reference.upper().replace("$", ""))
    except (ValueError, TypeError):
        return None
    return (rows or 0, columns or 0)


class _Strings(Handler):
    """The shared strings, as openpyxl reads them: each <si>'s text runs joined, phonetic runs left out."""

    def __init__(self) -> None:
        super().__init__()
        self.strings: list[str] = []
        self.runs: list[str] = []

    def start(self, local: str, attributes: dict[str, str]) -> None:
        if local == "si":
            if len(self.strings) >= MAX_SHARED_STRINGS:
                raise FileRefused([f"The workbook holds more than {MAX_SHARED_STRINGS:,} pieces of text"])
            self.runs = []
        elif local == "t" and "rPh" not in self.path:
            self.collect()

    def end(self, local: str) -> None:
        if local == "t" and "rPh" not in self.path:
            self.runs.append(self.text())
        elif local == "si":
            self.strings.append("".join(self.runs).replace("x005F_", ""))


def shared_strings(package: Package, book: Book) -> list[str]:
    if book.strings_part is None:
        return []
    handler = _Strings()
    package.parse(book.strings_part, handler)
    return handler.strings


class _Styles(Handler):
    def __init__(self) -> None:
        super().__init__()
        self.custom: dict[int, str] = {}
        self.formats: list[int] = []  # cellXfs, in order: each one's numFmtId

    def start(self, local: str, attributes: dict[str, str]) -> None:
        if local == "numFmt":
            self.custom[int(attributes.get("numFmtId", "0"))] = attributes.get("formatCode", "")
        elif local == "xf" and self.path[-2:-1] == ["cellXfs"]:
            if len(self.formats) >= MAX_STYLES:
                raise FileRefused([f"The workbook has more than {MAX_STYLES:,} cell formats"])
            self.formats.append(int(attributes.get("numFmtId", "0")))


def date_styles(package: Package, book: Book) -> tuple[dict[int, str], frozenset[int]]:
    """The cell styles whose number format is a date, with their format codes (`mmm-yy` shows no day: the
    timescale reads such a cell as its month), and those that are a duration (as openpyxl says)."""
    if book.styles_part is None:
        return {}, frozenset()
    handler = _Styles()
    package.parse(book.styles_part, handler)
    dates, durations = {}, set()
    for index, number in enumerate(handler.formats):
        code = handler.custom.get(number, BUILTIN_FORMATS.get(number))
        if is_date_format(code):
            dates[index] = code or ""
        if is_timedelta_format(code):
            durations.add(index)
    return dates, frozenset(durations)


# --- a sheet's rows, streamed --------------------------------------------------------------------------


class Budget:
    """Cells read in the whole workbook, against MAX_CELLS."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.cells = 0

    def spend(self) -> None:
        self.cells += 1
        if self.cells > MAX_CELLS:
            raise FileRefused(
                [
                    f"{self.name} has more than {MAX_CELLS:,} cells, blank ones with formatting included; the limit "
                    f"is {MAX_CELLS:,}. Copy the plan alone into a new workbook and upload that"
                ]
            )


def rows_beyond(title: str) -> FileRefused:
    return FileRefused(
        [
            f"The sheet ‘{title}’ has rows beyond row {MAX_SHEET_ROWS:,}; the limit is {MAX_SHEET_ROWS:,} rows, "
            "blank ones included. Delete the rows below the plan, or split it into smaller files"
        ]
    )


def columns_beyond(title: str) -> FileRefused:
    return FileRefused(
        [
            f"The sheet ‘{title}’ has cells beyond column {column_letter(MAX_COLUMNS)}; the limit is {MAX_COLUMNS} "
            "columns. Delete the columns to the right of the plan and upload the file again"
        ]
    )


class _Sheet(Handler):
    def __init__(self, sheet: Sheet, budget: Budget, findings: Findings) -> None:
        super().__init__()
        self.title = sheet.title
        self.budget = budget
        self.findings = findings
        self.number = 0  # the row being read
        self.row_elements = 0
        self.cells: list[RawCell] = []
        self.cell: RawCell | None = None
        self.done: list[tuple[int, list[RawCell]]] = []

    def start(self, local: str, attributes: dict[str, str]) -> None:
        if local == "row":
            self.row_elements += 1
            number = int(attributes["r"]) if attributes.get("r") else self.number + 1
            if number > MAX_SHEET_ROWS or self.row_elements > MAX_SHEET_ROWS:
                raise rows_beyond(self.title)
            self.number, self.cells = number, []
        elif local == "c":
            self.budget.spend()
            previous = self.cells[-1].column if self.cells else 0
            column, row = split_reference(attributes["r"]) if attributes.get("r") else (previous + 1, self.number)
            if row > MAX_SHEET_ROWS:
                raise rows_beyond(self.title)
            if column > MAX_COLUMNS or len(self.cells) >= MAX_COLUMNS:
                raise columns_beyond(self.title)
            self.cell = RawCell(column=column, type=attributes.get("t", "n"), style=int(attributes.get("s") or 0))
        elif self.cell is not None and local == "v":
            self.collect()
        elif self.cell is not None and local == "f":
            self.cell.formula = True
        elif self.cell is not None and local == "is":
            self.cell.text = []
        elif self.cell is not None and local == "t" and "is" in self.path and "rPh" not in self.path:
            self.collect()
        elif local == "mergeCell":
            self.findings.merged_count += 1
            if len(self.findings.merged) < MAX_LISTED:
                self.findings.merged.append(attributes.get("ref", "").upper())
            if len(self.findings.ranges) >= MAX_MERGED:
                raise FileRefused([f"The sheet ‘{self.title}’ has more than {MAX_MERGED:,} merged ranges"])
            self.findings.ranges.append(attributes.get("ref", "").upper())

    def end(self, local: str) -> None:
        if self.cell is not None and local == "v":
            self.cell.value = self.text()
        elif self.cell is not None and local == "t" and self.cell.text is not None and "rPh" not in self.path:
            self.cell.text.append(self.text())
        elif local == "c" and self.cell is not None:
            self.cells.append(self.cell)
            self.cell = None
        elif local == "row":
            self.done.append((self.number, self.cells))
            self.cells = []


def sheet_rows(package: Package, sheet: Sheet, *, budget: Budget, findings: Findings) -> Iterator[tuple[int, list]]:
    """The sheet's rows as they stream: (row number, its cells as written). The limits hold as it goes."""
    handler = _Sheet(sheet, budget, findings)
    for _ in package.chunks(sheet.part, handler):
        done, handler.done = handler.done, []
        yield from done


@dataclass(frozen=True)
class Reader:
    """Turns a written cell into its value and type, as openpyxl does: (value, "n" | "s" | "b" | "d" | "e" | "f")."""

    strings: list[str]
    dates: dict[int, str]  # style → its date format code
    durations: frozenset[int]
    epoch: Any

    def value(self, cell: RawCell) -> tuple[Any, str]:
        """A formula cell is its cached value (what Excel last worked out), or ("=", "f") where it has none."""
        if cell.formula and (cell.value is None or (cell.value == "" and cell.type != "str")):
            return "=", "f"
        if cell.type == "inlineStr":
            return ("".join(cell.text), "s") if cell.text is not None else (None, "n")
        text = cell.value or None
        if text is None:
            return None, cell.type
        if cell.type == "n":
            number = float(text) if ("." in text or "e" in text.lower()) else int(text)
            if cell.style in self.dates:
                try:
                    return from_excel(number, self.epoch, timedelta=cell.style in self.durations), "d"
                except (OverflowError, ValueError):
                    return "#VALUE!", "e"
            return number, "n"
        if cell.type == "s":
            return self.strings[int(text)], "s"
        if cell.type == "b":
            return bool(int(text)), "b"
        if cell.type == "d":
            return from_ISO8601(text), "d"
        if cell.type == "e":
            return text, "e"
        return text, "s"  # "str": a formula's text result
