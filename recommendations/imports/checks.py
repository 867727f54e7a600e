"""One row of an import, field by field: each cell read (text, a date, % complete) and checked (a reference, the
engagement, an owner, a theme or directorate, a status, a RAG rating, the action date rule), each problem noted
by row and column. What the values then mean for the plan (a change, a new item, an approved update) is the
planner's (planning.py)."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.formats import date_format

from recommendations import spreadsheet
from recommendations.models import Action, Council, Directorate, Engagement, Recommendation, Theme, User
from recommendations.vocabulary import DUE_BEFORE_START, due_before_start

from . import timescales, values
from .rows import Cell, Problem, Row, reference_key

REFERENCE_MAX = Recommendation._meta.get_field("reference").max_length
TIMESCALE_MAX = Recommendation._meta.get_field("timescale").max_length


NAME_MAX = Theme._meta.get_field("name").max_length


class Missing(str):
    """A theme or directorate the file names that is not yet one: created when the import is confirmed."""

    __slots__ = ()


class Invitee(str):
    """An owner's e-mail address that is no member's: kept as written, or invited as an officer."""

    __slots__ = ()


# --- how values read to people ---------------------------------------------------------------------------


def display(value: Any) -> str:
    """A value as the plan's changes and problems show it: "31 March 2021", an email address, a name, "Not set"."""
    if value is None or value == "":
        return "Not set"
    if isinstance(value, dt.date):
        return date_format(value, "j F Y")
    if isinstance(value, User):
        return value.email
    if isinstance(value, Theme | Directorate):
        return value.name
    return str(value)


def status_display(status: str) -> str:
    return spreadsheet.STATUS_LABELS.get(status, status)


def rag_display(rag: str) -> str:
    return spreadsheet.RAG_LABELS.get(rag, "Not assessed") if rag else "Not assessed"


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not spreadsheet.unescape_text(value).strip())


def _shown(value: Any) -> str:
    text = str(value).strip()
    return text if len(text) <= 60 else text[:60] + "…"


# --- one row ---------------------------------------------------------------------------------------------


class RowCells:
    """Reads one row's cells, noting each problem by row and column. A reader returns None (or (False, None))
    where the column is not in the file or the cell cannot be read; the problem, if any, is noted."""

    def __init__(self, row: Row, problems: list[Problem], warnings: list[Problem]) -> None:
        self.row = row
        self.problems = problems
        self.warnings = warnings

    def has(self, header: str) -> bool:
        return header in self.row.cells

    def cell(self, header: str) -> Cell | None:
        return self.row.cells.get(header)

    def problem(self, header: str | None, message: str) -> None:
        where = f"{self.row.where}, {header}" if header else self.row.where
        self.problems.append(Problem(where, message))

    def warn(self, header: str, message: str) -> None:
        self.warnings.append(Problem(f"{self.row.where}, {header}", message))

    # --- values

    def text(self, header: str, *, limit: int | None = None) -> str | None:
        """The cell's text; None if the column is not in the file or the cell cannot be read."""
        cell = self.cell(header)
        if cell is None:
            return None
        try:
            value = values.text(cell.value)
        except values.CellError as exc:
            self.problem(header, f"Cell {cell.name} {exc}")
            return None
        if limit is not None and len(value) > limit:
            self.problem(header, f"must be {limit} characters or fewer: it has {len(value)}")
            return None
        return value

    def date(self, header: str) -> tuple[bool, dt.date | None]:
        """(read, value): read is False when the column is not in the file or the cell is not a date."""
        cell = self.cell(header)
        if cell is None:
            return False, None
        try:
            return True, values.date(cell.value)
        except values.NotYetDated as exc:
            self.warn(header, f"‘{exc.text}’ is not a date: the date is left empty")
            return True, None
        except values.CellError as exc:
            self.problem(header, str(exc))
            return False, None

    def due(self) -> tuple[bool, dt.date | None, str | None, str]:
        """(read, the due date, the timescale's words, how the date was worked out) from the Due date and
        Timescale columns (timescales.derive). A Due date cell with a date wins; words in it are the timescale.
        The words are None where neither column says any (left as they are); read is False where neither column
        is in the file, or a cell written as a date names no real day (a problem)."""
        words: str | None = None
        derived: timescales.Derived | None = None
        cell = self.cell("Timescale")
        if cell is not None:
            derived = timescales.derive(cell.value, number_format=cell.number_format)
            words = derived.words
            if len(words) > TIMESCALE_MAX:
                self.problem("Timescale", f"must be {TIMESCALE_MAX} characters or fewer: it has {len(words)}")
                return False, None, None, ""
        due_cell = self.cell("Due date")
        if due_cell is not None and not _blank(due_cell.value):
            value = due_cell.value
            if isinstance(value, dt.date):
                from_cell = timescales.derive(value, number_format=due_cell.number_format)
                if from_cell.due is not None:
                    return (
                        True,
                        from_cell.due,
                        words if words is not None else (from_cell.words or None),
                        from_cell.note,
                    )
            if isinstance(value, dt.date | int | float) or timescales.looks_like_a_date(values.text(value)):
                read, due = self.date("Due date")
                return read, due, words, ""
            from_words = timescales.derive(value)
            if len(from_words.words) > TIMESCALE_MAX:
                self.problem("Due date", f"must be {TIMESCALE_MAX} characters or fewer: it has {len(from_words.words)}")
                return False, None, None, ""
            if from_words.due is None:
                self.warn("Due date", from_words.note)
            return True, from_words.due, words if words else from_words.words, from_words.note
        if derived is not None and (derived.due is not None or due_cell is None or words):
            if words and derived.due is None:
                self.warn("Timescale", derived.note)
            return True, derived.due, words, derived.note
        return due_cell is not None, None, words, ""

    def percent(self) -> int | None:
        cell = self.cell("% complete")
        if cell is None:
            return None
        try:
            return values.percent(cell.value)
        except values.CellError as exc:
            self.problem("% complete", str(exc))
            return None

    # --- what a cell names

    def reference(self, header: str, what: str) -> str | None:
        """A reference the row must give (`what` names it in the problem: "reference of the action")."""
        if not self.has(header):
            self.problem(header, f"Enter the {what}")
            return None
        reference = self.text(header, limit=REFERENCE_MAX)
        if reference is None:
            return None
        if not reference:
            self.problem(header, f"Enter the {what}")
            return None
        return reference

    def other_engagement(self, engagement: Engagement, engagements: dict[str, Engagement]) -> Engagement | None | bool:
        """The other engagement of the council the row names (it is left alone); False if it names one that
        is not the council's (a problem); None for this engagement or an empty cell. `engagements`: the
        council's, by reference_key of their titles."""
        title = self.text("Engagement")
        if not title or reference_key(title) == reference_key(engagement.title):
            return None
        other = engagements.get(reference_key(title))
        if other is None:
            self.problem(
                "Engagement",
                f"‘{title}’ is not one of the council's engagements. Leave it empty or write ‘{engagement.title}’",
            )
            return False
        return other

    def owner(
        self, item: Recommendation | Action | None, *, owners: dict[str, User], council: Council
    ) -> tuple[bool, User | None]:
        """(read, owner) by email address: an officer or improvement lead of the council (`owners`, by the
        casefolded address), or the item's owner now, who stays even after leaving; None for an empty cell."""
        email = self.text("Owner email")
        if email is None:
            return False, None
        if not email:
            return True, None
        if "@" not in email:
            return False, None  # a name or a role: kept as written (owner_name), whoever is assigned stays
        if item is not None and item.owner is not None and item.owner.email.casefold() == email.casefold():
            return True, item.owner  # a leaver who still owns it stays until someone changes it
        owner = owners.get(email.casefold())
        if owner is None:
            try:
                validate_email(email)
            except ValidationError:
                self.problem("Owner email", f"‘{email}’ is not an e-mail address in the correct format")
                return False, None
            return True, Invitee(email.lower())  # kept as written; invited as an officer if the lead ticks it
        return True, owner

    def owner_name(self) -> str | None:
        """The owner as the plan names them, where the Owner cell holds a name or a role rather than an e-mail
        address ("" for an address: someone is assigned); None where the file has no owner column or the cell is
        empty (left as it is)."""
        text = self.text("Owner email")
        if not text:
            return None
        if "@" in text:
            return ""
        limit = Recommendation._meta.get_field("owner_name").max_length
        return text if len(text) <= limit else text[: limit - 1] + "…"

    def named(self, header: str, choices: dict[str, Any], what: str) -> tuple[bool, Any]:
        """(read, the choice the cell names by reference_key), None for an empty cell: a theme, a directorate.
        A name that is not yet one of them is a Missing one, created on confirmation."""
        name = self.text(header)
        if name is None:
            return False, None
        if not name:
            return True, None
        found = choices.get(reference_key(name))
        if found is None:
            if len(name) > NAME_MAX:
                self.problem(header, f"must be {NAME_MAX} characters or fewer: it has {len(name)}")
                return False, None
            return True, Missing(name)
        return True, found

    def status(self, current: str) -> str | None:
        """The status the row gives; `current` for a missing column or an empty cell; None if the cell names
        no status (a problem)."""
        cell = self.cell("Status")
        if (cell is None or _blank(cell.value)) and self.blue():
            return spreadsheet.Status.COMPLETE
        if cell is None or _blank(cell.value):
            return current
        found = spreadsheet.status_from_text(cell.value)
        if found is None:
            labels = ", ".join(f"‘{label}’" for label in spreadsheet.STATUS_LABELS.values())
            self.problem("Status", f"‘{_shown(cell.value)}’ is not a status. Write one of {labels}")
        return found

    def blue(self) -> bool:
        """Whether the RAG cell says Blue (complete, no RAG rating)."""
        cell = self.cell("RAG")
        return cell is not None and spreadsheet.is_blue(cell.value)

    def rag(self, current: str) -> str | None:
        """The RAG rating the row gives; `current` for a missing column, an empty cell or "Not assessed" where
        the item has none; None if the cell names no rating, or would remove one (a problem)."""
        cell = self.cell("RAG")
        if cell is None or _blank(cell.value):
            return current
        found = spreadsheet.rag_from_text(cell.value)
        if found is None:
            self.problem("RAG", f"‘{_shown(cell.value)}’ is not a RAG rating. Write Green, Amber or Red")
            return None
        if found == "" and current and not self.blue():
            self.problem(
                "RAG", f"A RAG rating cannot be removed: write Green, Amber or Red (now {rag_display(current)})"
            )
            return None
        return "" if self.blue() else found or current

    def dates_in_order(
        self, *, start: dt.date | None, due: dt.date | None, baseline: dt.date | None, start_changed: bool
    ) -> None:
        """The action date rule (vocabulary.due_before_start) on the dates the action will have; and a start date
        the row changes cannot fall after the first due date set (the baseline, which a move keeps)."""
        if due_before_start(start, due):
            self.problem("Due date", DUE_BEFORE_START)
        elif start_changed and start and baseline and start > baseline:
            self.problem("Start date", f"The start date cannot be after the first due date set ({display(baseline)})")
