"""Rows → a plan of changes against the database, and every problem, before anything is written.

Rows match by reference within the chosen engagement: a recommendation by its Reference, an action by its
Recommendation reference and Reference (case and outer spaces do not matter), so a second import of the
same file changes nothing. What the file leaves out is left as it is: a column the file does not have, an
empty Status or RAG cell, an item that is not in the file. Nothing is ever deleted.
"""

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import date_format

from recommendations import selectors, spreadsheet
from recommendations.models import (
    Action,
    Directorate,
    Engagement,
    Membership,
    Rag,
    Recommendation,
    Status,
    Theme,
    User,
)
from recommendations.services.people import OWNER_ROLES
from recommendations.vocabulary import DUE_BEFORE_START, due_before_start

from . import values
from .rows import ACTION, RECOMMENDATION, Cell, Problem, ReadFile, Row, reference_key

CREATE, UPDATE, UNCHANGED, SKIP = "create", "update", "unchanged", "skip"
REFERENCE_MAX = Recommendation._meta.get_field("reference").max_length
SHORT_TEXT = {"heading": 200, "lead_member": 200}


def import_reason(filename: str) -> str:
    """The reason recorded with a date the import moves, and the narrative of the updates it writes."""
    return f"Imported from {filename or 'a spreadsheet'}"


@dataclass(frozen=True)
class Change:
    label: str  # "Due date"
    before: str  # as people read it: "31 March 2021", "Not set"
    after: str


@dataclass
class Position:
    """The approved update the import writes (status, RAG and its reason, an action's % complete)."""

    status: str
    rag: str
    rag_reason: str
    percent_complete: int | None = None


@dataclass
class ItemPlan:
    kind: str  # RECOMMENDATION or ACTION
    operation: str  # CREATE, UPDATE, UNCHANGED or SKIP
    reference: str
    row: Row
    recommendation_reference: str = ""  # an action's
    item: Recommendation | Action | None = None
    fields: dict[str, Any] = field(default_factory=dict)  # model fields to set (all of them for a new item)
    position: Position | None = None
    changes: list[Change] = field(default_factory=list)
    note: str = ""  # why it is skipped

    @property
    def label(self) -> str:
        if self.kind == ACTION:
            return f"Action {self.reference} of recommendation {self.recommendation_reference}"
        return f"Recommendation {self.reference}"


@dataclass
class ImportPlan:
    engagement: Engagement
    filename: str
    items: list[ItemPlan]
    problems: list[Problem]
    warnings: list[Problem]
    not_in_file: list[str]  # labels of the engagement's items that the file leaves out

    def of(self, operation: str) -> list[ItemPlan]:
        return [item for item in self.items if item.operation == operation]

    @property
    def creates(self) -> list[ItemPlan]:
        return self.of(CREATE)

    @property
    def updates(self) -> list[ItemPlan]:
        return self.of(UPDATE)

    @property
    def unchanged(self) -> list[ItemPlan]:
        return self.of(UNCHANGED)

    @property
    def skipped(self) -> list[ItemPlan]:
        return self.of(SKIP)

    @property
    def has_changes(self) -> bool:
        return bool(self.creates or self.updates)

    @property
    def can_apply(self) -> bool:
        """Whether there is anything to confirm: changes, and no problem."""
        return self.has_changes and not self.problems

    def digest(self) -> str:
        """What the plan would do, as a checksum: the confirmation recomputes the plan and compares."""
        described = [
            [
                item.kind,
                item.operation,
                item.recommendation_reference,
                item.reference,
                [list(vars(c).values()) for c in item.changes],
            ]
            for item in self.items
        ]
        described.append([[problem.where, problem.message] for problem in self.problems])
        return hashlib.sha256(json.dumps(described, sort_keys=True).encode()).hexdigest()


# --- how values read -----------------------------------------------------------------------------------


def _display(value: Any) -> str:
    if value is None or value == "":
        return "Not set"
    if isinstance(value, dt.date):
        return date_format(value, "j F Y")
    if isinstance(value, User):
        return value.email
    if isinstance(value, Theme | Directorate):
        return value.name
    return str(value)


def _status_display(status: str) -> str:
    return spreadsheet.STATUS_LABELS.get(status, status)


def _rag_display(rag: str) -> str:
    return spreadsheet.RAG_LABELS.get(rag, "Not assessed") if rag else "Not assessed"


# --- the engagement as it is --------------------------------------------------------------------------


@dataclass
class Current:
    recommendations: dict[str, Recommendation]
    actions: dict[tuple[str, str], Action]
    themes: dict[str, Theme]
    directorates: dict[str, Directorate]
    owners: dict[str, User]
    engagements: dict[str, Engagement]  # the council's, by title


def current_state(*, engagement: Engagement) -> Current:
    """The engagement's items today, with their positions (a handful of queries, whatever its size)."""
    recommendations = selectors.with_position_text(
        selectors.with_position(
            Recommendation.objects.filter(engagement=engagement).select_related("theme", "lead_directorate", "owner")
        ),
        as_at=selectors.local_today(),
        position_rag_reason="rag_reason",
    )
    by_reference = {reference_key(recommendation.reference): recommendation for recommendation in recommendations}
    actions = selectors.with_position(
        Action.objects.filter(recommendation__engagement=engagement).select_related("recommendation", "owner")
    )
    owners = Membership.objects.filter(
        council_id=engagement.council_id, is_active=True, user__is_active=True, role__in=OWNER_ROLES
    ).select_related("user")
    return Current(
        recommendations=by_reference,
        actions={
            (reference_key(action.recommendation.reference), reference_key(action.reference)): action
            for action in actions
        },
        themes={reference_key(theme.name): theme for theme in Theme.objects.filter(engagement=engagement)},
        directorates={
            reference_key(directorate.name): directorate
            for directorate in Directorate.objects.filter(council_id=engagement.council_id)
        },
        owners={membership.user.email.casefold(): membership.user for membership in owners},
        engagements={
            reference_key(other.title): other for other in Engagement.objects.filter(council_id=engagement.council_id)
        },
    )


# --- one row ------------------------------------------------------------------------------------------


class _Row:
    """Reads one row's cells, noting each problem by row and column."""

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

    def percent(self) -> int | None:
        cell = self.cell("% complete")
        if cell is None:
            return None
        try:
            return values.percent(cell.value)
        except values.CellError as exc:
            self.problem("% complete", str(exc))
            return None


class Planner:
    def __init__(self, *, engagement: Engagement, read: ReadFile, current: Current) -> None:
        self.engagement = engagement
        self.read = read
        self.current = current
        self.problems: list[Problem] = list(read.problems)
        self.warnings: list[Problem] = []
        self.seen_recommendations: dict[str, str] = {}  # key → where
        self.seen_actions: dict[tuple[str, str], str] = {}
        self.new_recommendations: set[str] = set()
        self.skipped_recommendations: dict[str, str] = {}  # key → the engagement it belongs to

    def plan(self) -> ImportPlan:
        if not self.read.rows:
            self.problems.append(Problem("", "The file has no recommendations or actions in it"))
        recommendation_rows = [row for row in self.read.rows if row.kind == RECOMMENDATION]
        action_rows = [row for row in self.read.rows if row.kind == ACTION]
        items = [self._recommendation(row) for row in recommendation_rows]
        items += [self._action(row) for row in action_rows]
        items = [item for item in items if item is not None]
        listed = {
            (item.kind, reference_key(item.recommendation_reference), reference_key(item.reference)) for item in items
        }
        not_in_file = [
            f"Recommendation {recommendation.reference}"
            for key, recommendation in self.current.recommendations.items()
            if (RECOMMENDATION, "", key) not in listed
        ] + [
            f"Action {action.reference} of recommendation {action.recommendation.reference}"
            for (parent, key), action in self.current.actions.items()
            if (ACTION, parent, key) not in listed
        ]
        return ImportPlan(
            engagement=self.engagement,
            filename=self.read.filename,
            items=items,
            problems=self.problems,
            warnings=[*self.read.notes, *self.warnings],
            not_in_file=not_in_file,
        )

    # --- what both kinds share

    def _other_engagement(self, cells: _Row) -> Engagement | None | bool:
        """The other engagement of the council a row names (it is left alone); False if it names one that
        is not the council's (a problem); None for this engagement or an empty cell."""
        title = cells.text("Engagement")
        if not title or reference_key(title) == reference_key(self.engagement.title):
            return None
        other = self.current.engagements.get(reference_key(title))
        if other is None:
            cells.problem(
                "Engagement",
                f"‘{title}’ is not one of the council's engagements. Leave it empty or write ‘{self.engagement.title}’",
            )
            return False
        return other

    def _reference(self, cells: _Row, header: str, what: str) -> str | None:
        if not cells.has(header):
            cells.problem(header, f"Enter the {what}")
            return None
        reference = cells.text(header, limit=REFERENCE_MAX)
        if reference is None:
            return None
        if not reference:
            cells.problem(header, f"Enter the {what}")
            return None
        return reference

    def _owner(self, cells: _Row, item: Recommendation | Action | None) -> tuple[bool, User | None]:
        email = cells.text("Owner email")
        if email is None:
            return False, None
        if not email:
            return True, None
        if item is not None and item.owner is not None and item.owner.email.casefold() == email.casefold():
            return True, item.owner  # a leaver who still owns it stays until someone changes it
        owner = self.current.owners.get(email.casefold())
        if owner is None:
            cells.problem(
                "Owner email",
                f"No officer or improvement lead of {self.engagement.council.name} has the email address ‘{email}’",
            )
            return False, None
        return True, owner

    def _named(self, cells: _Row, header: str, choices: dict[str, Any], what: str) -> tuple[bool, Any]:
        name = cells.text(header)
        if name is None:
            return False, None
        if not name:
            return True, None
        found = choices.get(reference_key(name))
        if found is None:
            cells.problem(header, f"‘{name}’ is not {what}")
            return False, None
        return True, found

    def _compare(self, plan: ItemPlan, name: str, label: str, value: Any) -> None:
        """Record a field the row sets: for a new item, its value; for an existing one, a change if it differs."""
        item = plan.item
        if item is None:
            plan.fields[name] = value
            if value not in (None, ""):
                plan.changes.append(Change(label, "", _display(value)))
            return
        before = getattr(item, name)
        if before != value:
            plan.fields[name] = value
            plan.changes.append(Change(label, _display(before), _display(value)))

    def _position(self, plan: ItemPlan, cells: _Row, *, reason_column: bool, percent: int | None) -> None:
        """The status and RAG the row gives, written as an approved update when they (or the RAG reason, or an
        action's % complete) differ from the item's position today. Empty Status or RAG cells leave them."""
        item = plan.item
        current_status = getattr(item, "position_status", "") or Status.NOT_STARTED
        current_rag = getattr(item, "position_rag", "") if item is not None else ""
        current_reason = getattr(item, "position_rag_reason", "") if item is not None else ""
        current_percent = getattr(item, "percent_complete", 0) if item is not None else 0

        status = current_status
        status_cell = cells.cell("Status")
        if status_cell is not None and not _blank(status_cell.value):
            found = spreadsheet.status_from_text(status_cell.value)
            if found is None:
                labels = ", ".join(f"‘{label}’" for label in spreadsheet.STATUS_LABELS.values())
                cells.problem("Status", f"‘{_shown(status_cell.value)}’ is not a status. Write one of {labels}")
                return
            status = found
        rag = current_rag
        rag_cell = cells.cell("RAG")
        if rag_cell is not None and not _blank(rag_cell.value):
            found = spreadsheet.rag_from_text(rag_cell.value)
            if found is None:
                cells.problem("RAG", f"‘{_shown(rag_cell.value)}’ is not a RAG rating. Write Green, Amber or Red")
                return
            if found == "" and current_rag:
                cells.problem(
                    "RAG",
                    f"A RAG rating cannot be removed: write Green, Amber or Red (now {_rag_display(current_rag)})",
                )
                return
            rag = found or current_rag
        reason = current_reason
        reason_given = reason_column and cells.has("RAG reason")
        if reason_given:
            reason = cells.text("RAG reason") or ""
        elif rag != current_rag:
            reason = ""  # the old rating's reason is not the new one's
        final_reason = reason.strip()
        if rag in (Rag.AMBER, Rag.RED) and not final_reason:
            final_reason = import_reason(self.read.filename)
        new_percent = current_percent if percent is None else percent

        changes = []
        if status != current_status:
            changes.append(Change("Status", _status_display(current_status), _status_display(status)))
        if rag != current_rag:
            changes.append(Change("RAG", _rag_display(current_rag), _rag_display(rag)))
        if reason_given and _normal(reason) != _normal(current_reason):
            changes.append(Change("RAG reason", _display(current_reason), _display(final_reason)))
        if plan.kind == ACTION and new_percent != current_percent:
            changes.append(Change("% complete", f"{current_percent}%", f"{new_percent}%"))
        if not changes:
            return
        if not rag:
            cells.problem(
                "RAG",
                "A change of status or % complete is recorded as a progress update, which needs a RAG rating: "
                "write Green, Amber or Red",
            )
            return
        plan.changes += changes
        plan.position = Position(
            status=status,
            rag=rag,
            rag_reason=final_reason,
            percent_complete=new_percent if plan.kind == ACTION else None,
        )

    # --- recommendations

    def _recommendation(self, row: Row) -> ItemPlan | None:
        cells = _Row(row, self.problems, self.warnings)
        other = self._other_engagement(cells)
        reference = self._reference(cells, "Reference", "reference of the recommendation")
        if reference is None or other is False:
            return None
        key = reference_key(reference)
        if isinstance(other, Engagement):
            self.skipped_recommendations[key] = other.title
            return ItemPlan(RECOMMENDATION, SKIP, reference, row, note=f"It belongs to {other.title}")
        if key in self.seen_recommendations:
            cells.problem(
                "Reference", f"Recommendation {reference} is in the file twice (also {self.seen_recommendations[key]})"
            )
            return None
        self.seen_recommendations[key] = row.where
        item = self.current.recommendations.get(key)
        shown = item.reference if item is not None else reference  # as the plan spells it
        plan = ItemPlan(RECOMMENDATION, CREATE if item is None else UPDATE, shown, row, item=item)
        if item is None:
            self.new_recommendations.add(key)
            plan.fields["reference"] = reference
        for header, name in (("Heading", "heading"), ("Lead member", "lead_member")):
            value = cells.text(header, limit=SHORT_TEXT[name])
            if value is not None:
                self._compare(plan, name, header, value)
        text = cells.text("Text")
        if text is not None and not text:
            cells.problem("Text", "Enter the text of the recommendation")
        elif text is not None:
            self._compare(plan, "text", "Text", text)
        elif item is None and not cells.has("Text"):
            cells.problem("Text", "Enter the text of the recommendation: the file has no Text column")
        read, theme = self._named(cells, "Theme", self.current.themes, f"a theme of {self.engagement.title}")
        if read:
            self._compare(plan, "theme", "Theme", theme)
        read, directorate = self._named(
            cells, "Lead directorate", self.current.directorates, f"a directorate of {self.engagement.council.name}"
        )
        if read:
            self._compare(plan, "lead_directorate", "Lead directorate", directorate)
        read, owner = self._owner(cells, item)
        if read:
            self._compare(plan, "owner", "Owner", owner)
        read, due = cells.date("Due date")
        if read:
            self._compare(plan, "due_date", "Due date", due)
        self._position(plan, cells, reason_column=True, percent=None)
        return self._settle(plan)

    def _settle(self, plan: ItemPlan) -> ItemPlan:
        if plan.operation == UPDATE and not plan.changes:
            plan.operation = UNCHANGED
        return plan

    # --- actions

    def _action(self, row: Row) -> ItemPlan | None:
        cells = _Row(row, self.problems, self.warnings)
        other = self._other_engagement(cells)
        parent = self._reference(cells, "Recommendation reference", "reference of the recommendation it belongs to")
        reference = self._reference(cells, "Reference", "reference of the action")
        if parent is None or reference is None or other is False:
            return None
        parent_key, key = reference_key(parent), reference_key(reference)
        if isinstance(other, Engagement) or parent_key in self.skipped_recommendations:
            title = other.title if isinstance(other, Engagement) else self.skipped_recommendations[parent_key]
            return ItemPlan(
                ACTION, SKIP, reference, row, recommendation_reference=parent, note=f"It belongs to {title}"
            )
        recommendation = self.current.recommendations.get(parent_key)
        if recommendation is None and parent_key not in self.new_recommendations:
            cells.problem(
                "Recommendation reference",
                f"There is no recommendation {parent} in {self.engagement.title} or in the file",
            )
            return None
        if (parent_key, key) in self.seen_actions:
            cells.problem(
                "Reference",
                f"Action {reference} of recommendation {parent} is in the file twice "
                f"(also {self.seen_actions[(parent_key, key)]})",
            )
            return None
        self.seen_actions[(parent_key, key)] = row.where
        item = self.current.actions.get((parent_key, key))
        if recommendation is not None:
            parent = recommendation.reference  # as the plan spells them
        if item is not None:
            reference = item.reference
        plan = ItemPlan(
            ACTION, CREATE if item is None else UPDATE, reference, row, recommendation_reference=parent, item=item
        )
        if item is None:
            plan.fields["reference"] = reference
        description = cells.text("Description")
        if description is not None and not description:
            cells.problem("Description", "Enter the description of the action")
        elif description is not None:
            self._compare(plan, "description", "Description", description)
        elif item is None:
            cells.problem("Description", "Enter the description of the action: the file has no Description column")
        read, owner = self._owner(cells, item)
        if read:
            self._compare(plan, "owner", "Owner", owner)
        start_read, start = cells.date("Start date")
        if start_read:
            self._compare(plan, "start_date", "Start date", start)
        due_read, due = cells.date("Due date")
        if due_read:
            self._compare(plan, "due_date", "Due date", due)
        self._check_dates(cells, plan, start_read=start_read, due_read=due_read)
        self._position(plan, cells, reason_column=False, percent=cells.percent())
        return self._settle(plan)

    def _check_dates(self, cells: _Row, plan: ItemPlan, *, start_read: bool, due_read: bool) -> None:
        item = plan.item
        start = plan.fields.get("start_date", getattr(item, "start_date", None))
        due = plan.fields.get("due_date", getattr(item, "due_date", None))
        if due_before_start(start, due):
            cells.problem("Due date", DUE_BEFORE_START)
            return
        baseline = getattr(item, "baseline_due_date", None)
        if item is not None and start and baseline and start > baseline and "start_date" in plan.fields:
            cells.problem(
                "Start date",
                f"The start date cannot be after the first due date set ({_display(baseline)})",
            )


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not spreadsheet.unescape_text(value).strip())


def _shown(value: Any) -> str:
    text = str(value).strip()
    return text if len(text) <= 60 else text[:60] + "…"


def _normal(text: str) -> str:
    return " ".join(text.split())


def plan_import(*, engagement: Engagement, read: ReadFile) -> ImportPlan:
    """What importing the rows into the engagement would create, change and leave, and every problem."""
    return Planner(engagement=engagement, read=read, current=current_state(engagement=engagement)).plan()
