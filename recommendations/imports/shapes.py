"""A council's own plan, as a table of headings and rows, turned into the rows the planner reads: one row per
recommendation and one per action, each with the export's headings (docs/SPREADSHEET.md, "Plans as councils
keep them").

The shapes of real plans: one row per action with the recommendation repeated on each of its rows (the same
reference, or the same text where there is none; merged down reads the same, `xlsxfile`), or one row per
recommendation, its actions a bulleted list in one cell (split into actions when the lead asks); numbered
1, 2, 3 or R1, R2 or the LGA's 1.1, 1.2 (a reference N.M on an action's row is the action's, of
recommendation N), or not at all (numbered here, R1…, and 1.1, 1.2 for actions, said as generated). A
reference that Excel turned into a number is warned about (1.10 became 1.1).
"""

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import date_format

from . import values
from .mapping import IGNORE
from .rows import ACTION, RECOMMENDATION, Cell, Problem, ReadFile, Row, is_empty, reference_key
from .timescales import shows_day

# The export's headings each field is read as, on a recommendation's row and on an action's.
RECOMMENDATION_HEADERS = {
    "heading": "Heading",
    "text": "Text",
    "theme": "Theme",
    "directorate": "Lead directorate",
}
ITEM_HEADERS = {  # the item that carries the row's position: the action where there is one
    "timescale": "Timescale",
    "owner": "Owner email",
    "status": "Status",
    "rag": "RAG",
    "rag_reason": "RAG reason",
    "commentary": "Commentary",
}
BULLET = re.compile(r"^\s*(?:[•·▪◦‣●○■□\-–—*]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s+", re.IGNORECASE)
LGA_NUMBER = re.compile(r"^(\d{1,3})\.(\d{1,3})$")
GENERATED = re.compile(r"^r?(\d+)$", re.IGNORECASE)


@dataclass
class Table:
    """One sheet (or a CSV file) as headings and body rows: what the mapping step shows and maps."""

    filename: str
    format: str  # "xlsx" or "csv"
    sheet: str  # the sheet read ("" for a CSV file)
    sheets: list[str]  # the workbook's sheets that hold anything (more than one: the page asks which)
    header_row: int
    headings: list[Any]
    rows: list[tuple[int, dict[int, Cell]]]  # (row number, column index → cell), blank rows left out
    notes: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def samples(self, count: int = 5) -> list[list[Any]]:
        """The first `count` body rows' values, by column index (for the guess and the mapping step)."""
        width = self.width
        return [[cells[i].value if i in cells else None for i in range(width)] for _, cells in self.rows[:count]]

    def shown(self, count: int = 12) -> list[list[str]]:
        """The first `count` body rows' values as the spreadsheet shows them (a date cell as its date, or as its
        month where its number format shows no day), by column index, for the mapping step."""
        width = self.width
        return [[_shown(cells.get(i)) for i in range(width)] for _, cells in self.rows[:count]]

    @property
    def width(self) -> int:
        return max([len(self.headings), *(max(cells, default=-1) + 1 for _, cells in self.rows)], default=0)

    def where(self, number: int) -> str:
        return f"{self.sheet} row {number}" if self.sheet else f"Row {number}"


def bullets(text: str) -> list[str]:
    """The items of a bulleted or numbered list in one cell (two or more lines, each with a bullet); [] if
    the text is not such a list. Lines without a bullet continue the item before them."""
    lines = [line for line in text.split("\n") if line.strip()]
    if len(lines) < 2 or not BULLET.match(lines[0]):
        return []
    items: list[str] = []
    for line in lines:
        if BULLET.match(line):
            items.append(BULLET.sub("", line, count=1).strip())
        else:
            items[-1] = f"{items[-1]} {line.strip()}"
    return items if len(items) >= 2 else []


@dataclass
class _Recommendation:
    key: str
    reference: str
    generated: bool
    where: str
    number: int  # the row it starts on
    cells: dict[str, Cell]
    actions: list["_Action"] = field(default_factory=list)


@dataclass
class _Action:
    reference: str
    where: str
    cells: dict[str, Cell]


class _Shaper:
    def __init__(self, table: Table, mapping: dict[int, str], *, split_bullets: bool) -> None:
        self.table = table
        self.columns = {name: index for index, name in mapping.items() if name != IGNORE}
        self.split = split_bullets
        self.read = ReadFile(filename=table.filename, format=table.format, rows=[])
        self.read.notes += table.notes
        self.read.problems += table.problems
        self.recommendations: dict[str, _Recommendation] = {}
        self.bulleted: list[str] = []

    def cell(self, cells: dict[int, Cell], name: str) -> Cell | None:
        index = self.columns.get(name)
        return cells.get(index) if index is not None else None

    def text(self, cells: dict[int, Cell], name: str) -> str:
        cell = self.cell(cells, name)
        return "" if cell is None else _plain(cell.value)

    def reference(self, cells: dict[int, Cell], name: str) -> str:
        """A reference cell's text; a number Excel made of it is warned about (1.10 is 1.1 to Excel)."""
        cell = self.cell(cells, name)
        text = self.text(cells, name)
        if cell is not None and isinstance(cell.value, float) and not cell.value.is_integer():
            self.read.notes.append(
                Problem(
                    f"Cell {cell.name}",
                    f"the reference {text} is a number in the file: if it was typed as {text}0, Excel has made it "
                    f"{text}. Check it, or format the column as text and type it again",
                )
            )
        return text

    def shape(self) -> ReadFile:
        last: _Recommendation | None = None
        has_actions = "action" in self.columns
        lga = has_actions and "action_reference" not in self.columns and self._lga_numbered()
        for number, cells in self.table.rows:
            where = self.table.where(number)
            reference = self.reference(cells, "reference")
            action_reference = self.reference(cells, "action_reference")
            text, heading = self.text(cells, "text"), self.text(cells, "heading")
            if lga and (match := LGA_NUMBER.match(reference)):
                action_reference, reference = reference, match[1]  # the LGA's 1.1: action 1 of recommendation 1
            if reference:
                key = f"ref:{reference_key(reference)}"
            elif text or heading:
                key = f"text:{reference_key(text or heading)}"
            elif last is not None:
                key = last.key  # an action's row under the recommendation above
            else:
                self.read.problems.append(
                    Problem(where, "Enter the recommendation this row belongs to: it has no reference or text")
                )
                continue
            recommendation = self.recommendations.get(key)
            if recommendation is None:
                recommendation = _Recommendation(
                    key=key, reference=reference, generated=not reference, where=where, number=number, cells={}
                )
                for name, header in RECOMMENDATION_HEADERS.items():
                    if (cell := self.cell(cells, name)) is not None:
                        recommendation.cells[header] = cell
                self.recommendations[key] = recommendation
            else:
                self._same(recommendation, cells, where)
            last = recommendation
            action_cell = self.cell(cells, "action")
            if has_actions and action_cell is not None and not is_empty(action_cell.value):
                self._actions(recommendation, cells, action_cell, action_reference, where)
            else:
                for name, header in ITEM_HEADERS.items():
                    if (cell := self.cell(cells, name)) is not None and header not in recommendation.cells:
                        recommendation.cells[header] = cell
        self._number()
        if self.bulleted:
            more = f" (and {len(self.bulleted) - 3:,} more)" if len(self.bulleted) > 3 else ""
            self.read.notes.append(
                Problem(
                    ", ".join(self.bulleted[:3]) + more,
                    "the action cell is a bulleted list: it is imported as one action. Choose ‘Split bulleted "
                    "lists into actions’ to make each item its own action",
                )
            )
        for recommendation in self.recommendations.values():
            self.read.rows.append(
                Row(
                    kind=RECOMMENDATION,
                    where=recommendation.where,
                    cells={**recommendation.cells, "Reference": Cell(recommendation.where, recommendation.reference)},
                )
            )
        for recommendation in self.recommendations.values():
            for action in recommendation.actions:
                self.read.rows.append(
                    Row(
                        kind=ACTION,
                        where=action.where,
                        cells={
                            **action.cells,
                            "Recommendation reference": Cell(recommendation.where, recommendation.reference),
                            "Reference": Cell(action.where, action.reference),
                        },
                    )
                )
        return self.read

    def _lga_numbered(self) -> bool:
        """Whether the reference column numbers actions the LGA's way (1.1, 1.2 under recommendation 1): every
        reference is N.M, and the rows of each N give one recommendation text."""
        texts: dict[str, set[str]] = {}
        for _, cells in self.table.rows:
            reference = self.text(cells, "reference")
            match = LGA_NUMBER.match(reference)
            if reference and match is None:
                return False
            if match:
                texts.setdefault(match[1], set()).add(reference_key(self.text(cells, "text")))
        return bool(texts) and all(len(found - {""}) <= 1 for found in texts.values())

    def _same(self, recommendation: _Recommendation, cells: dict[int, Cell], where: str) -> None:
        """A repeated recommendation's row: its text must be the same as the first row's (or empty)."""
        for name, header in RECOMMENDATION_HEADERS.items():
            cell = self.cell(cells, name)
            first = recommendation.cells.get(header)
            if cell is None or is_empty(cell.value):
                continue
            if first is None or is_empty(first.value):
                recommendation.cells[header] = cell
            elif reference_key(_plain(cell.value)) != reference_key(_plain(first.value)):
                shown = recommendation.reference or "(no reference)"
                self.read.problems.append(
                    Problem(
                        f"{where}, {header}",
                        f"Recommendation {shown} has a different {header.lower()} here than in "
                        f"{recommendation.where}: make them the same, or give the rows different references",
                    )
                )

    def _actions(
        self, recommendation: _Recommendation, cells: dict[int, Cell], action_cell: Cell, reference: str, where: str
    ) -> None:
        item_cells = {header: cell for name, header in ITEM_HEADERS.items() if (cell := self.cell(cells, name))}
        text = values.text(action_cell.value) if isinstance(action_cell.value, str) else ""
        items = bullets(text) if text else []
        if items and self.split:
            for item in items:
                recommendation.actions.append(
                    _Action("", where, {**item_cells, "Description": Cell(action_cell.name, item)})
                )
            return
        if items:
            self.bulleted.append(where)
        recommendation.actions.append(_Action(reference, where, {**item_cells, "Description": action_cell}))

    def _number(self) -> None:
        """References where the file has none: R1, R2… for recommendations (by their place, past any the file
        uses), N.1, N.2… for the actions of recommendation N or RN; each said as generated."""
        used = {reference_key(r.reference) for r in self.recommendations.values() if r.reference}
        generated = []
        for place, recommendation in enumerate(self.recommendations.values(), start=1):
            if recommendation.reference:
                continue
            number = place
            while reference_key(f"R{number}") in used:
                number += 1
            recommendation.reference = f"R{number}"
            used.add(reference_key(recommendation.reference))
            generated.append(f"{recommendation.reference} ({recommendation.where})")
        if generated:
            self.read.notes.append(Problem("", f"No reference in the file: numbered {_listed(generated)} (generated)"))
        numbered = []
        for recommendation in self.recommendations.values():
            match = GENERATED.match(recommendation.reference)
            stem = match[1] if match else recommendation.reference
            taken = {reference_key(action.reference) for action in recommendation.actions if action.reference}
            count = 0
            for action in recommendation.actions:
                if action.reference:
                    continue
                count += 1
                while reference_key(f"{stem}.{count}") in taken:
                    count += 1
                action.reference = f"{stem}.{count}"
                taken.add(reference_key(action.reference))
                numbered.append(action.reference)
        if numbered:
            self.read.notes.append(
                Problem("", f"No action reference in the file: numbered {_listed(numbered)} (generated)")
            )


def _shown(cell: Cell | None) -> str:
    if cell is None or cell.value is None:
        return ""
    if isinstance(cell.value, dt.date):
        return date_format(cell.value, "j F Y" if shows_day(cell.number_format) else "F Y")
    return _plain(cell.value)


def _plain(value: Any) -> str:
    """A cell's text for matching rows (a date cell as its ISO date: the planner reports it where it matters)."""
    try:
        return values.text(value)
    except values.CellError:
        return str(value)


def _listed(items: Sequence[str]) -> str:
    if len(items) > 6:
        return f"{', '.join(items[:3])} … {items[-1]}"
    return ", ".join(items)


def plan_rows(table: Table, mapping: dict[int, str], *, split_bullets: bool = False) -> ReadFile:
    """The table's rows, shaped as the planner reads them, with the warnings of the shaping."""
    return _Shaper(table, mapping, split_bullets=split_bullets).shape()
