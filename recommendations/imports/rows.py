"""What reading a plan produces, for either kind of file: rows of cells named as a spreadsheet names them, the
problems of single cells, and FileRefused for a file that cannot be read at all; the headers both readers know."""

from dataclasses import dataclass, field
from typing import Any

from recommendations import spreadsheet

from .limits import MAX_LISTED, MAX_ROWS

RECOMMENDATION, ACTION = spreadsheet.RECOMMENDATION_TYPE, spreadsheet.ACTION_TYPE
RECOMMENDATION_HEADERS = tuple(column.header for column in spreadsheet.RECOMMENDATION_COLUMNS)
ACTION_HEADERS = tuple(column.header for column in spreadsheet.ACTION_COLUMNS)
DATE_HEADERS = frozenset(
    column.header
    for column in (*spreadsheet.RECOMMENDATION_COLUMNS, *spreadsheet.ACTION_COLUMNS)
    if column.kind == spreadsheet.DATE
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
    number_format: str = ""  # a date cell's number format in a workbook ("mmm-yy"), else ""


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
    notes: list[Problem] = field(default_factory=list)  # things ignored or done for the lead, worth saying
    # A council's own plan (not the export's layout): the table read, the mapping used (column index → field),
    # whether it was guessed (not chosen or kept from last time), and whether bulleted lists were split.
    table: Any = None
    mapping: dict[int, str] = field(default_factory=dict)
    guessed: bool = False
    split_bullets: bool = False

    @property
    def own_layout(self) -> bool:
        """Whether the file is a council's own plan, read through a mapping of its columns."""
        return self.table is not None


def reference_key(text: object) -> str:
    """Text as people mean it, to match headings, references and names: spaces collapsed, case ignored."""
    return " ".join(str(text or "").split()).casefold()


RECOMMENDATION_BY_KEY = {reference_key(header): header for header in RECOMMENDATION_HEADERS}
ACTION_BY_KEY = {reference_key(header): header for header in ACTION_HEADERS}
CSV_BY_KEY = {reference_key(header): header for header in spreadsheet.CSV_HEADERS}


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def column_letter(number: int) -> str:
    """1 → A, 27 → AA, for any width (openpyxl's get_column_letter stops at ZZZ)."""
    letters = ""
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def columns_of(header_row: list[Any], known: dict[str, str], *, sheet: str, refused: list[str]) -> dict[int, str]:
    """Column index → header, for the headers we know; a header used twice is a refusal."""
    columns: dict[int, str] = {}
    seen: dict[str, int] = {}
    for index, value in enumerate(header_row):
        header = known.get(reference_key(value))
        if header is None:
            continue
        if header in seen:
            first, second = column_letter(seen[header] + 1), column_letter(index + 1)
            refused.append(f"Two columns of {sheet} are headed ‘{header}’ ({first}1 and {second}1): keep one of them")
            continue
        seen[header] = index
        columns[index] = header
    return columns


def ignored_notes(header_row: list[Any], columns: dict[int, str], *, sheet: str) -> list[Problem]:
    where = f"{sheet}!" if sheet else ""
    return [
        Problem(
            f"Cell {where}{column_letter(index + 1)}1",
            f"Column ‘{value}’ is not one the import reads: it is left out",
        )
        for index, value in enumerate(header_row)
        if index not in columns and not is_empty(value)
    ]


class Unheaded:
    """Values in columns with no heading: one problem a column, naming its first cell and counting the rest
    (a file with a wide block of them gives a few problems, not one for every cell)."""

    def __init__(self) -> None:
        self.first: dict[int, str] = {}  # column index → the first cell's name
        self.count: dict[int, int] = {}

    def add(self, index: int, name: str) -> None:
        self.first.setdefault(index, name)
        self.count[index] = self.count.get(index, 0) + 1

    def problems(self) -> list[Problem]:
        found = []
        for index, name in self.first.items():
            more = self.count[index] - 1
            also = f" (and {more:,} more cell{'s' if more != 1 else ''} of column {name_column(name)})" if more else ""
            found.append(Problem(f"Cell {name}", f"holds a value in a column with no heading{also}"))
        return found


def name_column(name: str) -> str:
    """ "Recommendations!GQ4" → "GQ"."""
    return "".join(character for character in name.rsplit("!", 1)[-1] if character.isalpha())


def too_many(count: int) -> str:
    return f"The file has {count:,} rows: the most one file can hold is {MAX_ROWS:,}. Split it into smaller files"


def formula_messages(cells: list[str], total: int, *, csv_file: bool = False) -> list[str]:
    """`cells`: the first formula cells found (at least MAX_LISTED of them, when there are that many); `total`:
    how many there are."""
    how = (
        "If it is text, put an apostrophe (') in front of it"
        if csv_file
        else "Replace each formula with its value (copy, then paste as values) and upload the file again"
    )
    listed = [f"Cell {name} holds a formula" for name in cells[:MAX_LISTED]]
    if total > MAX_LISTED:
        listed.append(f"and {total - MAX_LISTED:,} more cells hold formulas")
    return [*listed, f"The import does not accept formulas. {how}"]
