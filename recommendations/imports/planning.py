"""Rows → a plan of changes against the database, and every problem, before anything is written.

Rows match by reference within the chosen engagement: a recommendation by its Reference, an action by its
Recommendation reference and Reference (case and outer spaces do not matter), so a second import of the
same file changes nothing. What the file leaves out is left as it is: a column the file does not have, an
empty Status or RAG cell, an item that is not in the file. Nothing is ever deleted.
"""

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from recommendations.models import Action, Engagement, Rag, Recommendation, Status
from recommendations.spreadsheet import NO_REASON_GIVEN

from .checks import Invitee, Missing, RowCells, display, rag_display, status_display
from .current import Current, current_state
from .rows import ACTION, RECOMMENDATION, Problem, ReadFile, Row, reference_key

CREATE, UPDATE, UNCHANGED, SKIP = "create", "update", "unchanged", "skip"
SHORT_TEXT = {name: Recommendation._meta.get_field(name).max_length for name in ("heading", "lead_member")}


def import_reason(filename: str) -> str:
    """The reason recorded with a date the import moves, and the narrative of the updates it writes."""
    return f"Imported from {filename or 'a spreadsheet'}"


@dataclass(frozen=True)
class Change:
    label: str  # "Due date"
    before: str  # as people read it: "31 March 2021", "Not set"
    after: str
    note: str = ""  # how a due date changes: a move, or a first date corrected


@dataclass
class Position:
    """The approved update the import writes (status, RAG and its reason, an action's % complete, and the
    plan's progress commentary as its narrative)."""

    status: str
    rag: str
    rag_reason: str
    percent_complete: int | None = None
    narrative: str = ""


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
    invite: str = ""  # an owner's address that no member has: invited as an officer if the lead ticks it
    derivation: str = ""  # how the due date was worked out from the timescale ("December 2023 → 31 December 2023")
    date_correction: bool = False  # its due date changes where no progress is recorded: the baseline is replaced

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
    new_themes: list[str] = field(default_factory=list)  # created on confirmation
    new_directorates: list[str] = field(default_factory=list)
    invitations: dict[str, list[str]] = field(default_factory=dict)  # address → the items it would own

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
        self.new_themes: dict[str, str] = {}  # key → the name as the file first writes it
        self.new_directorates: dict[str, str] = {}
        self.invitations: dict[str, list[str]] = {}  # an address no member has → the items it owns

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
        created = [
            Problem("", f"{what} ‘{name}’ is not yet one of {where}: it will be created")
            for what, names, where in (
                ("Theme", self.new_themes, f"the themes of {self.engagement.title}"),
                ("Directorate", self.new_directorates, f"the directorates of {self.engagement.council.name}"),
            )
            for name in names.values()
        ]
        invited = [
            Problem(
                "",
                f"Nobody of {self.engagement.council.name} has the e-mail address ‘{email}’ ({len(labels)} item"
                f"{'s' if len(labels) != 1 else ''}): it is kept as the owner as written, or the person is invited "
                "as an officer and made the owner if you choose to invite them",
            )
            for email, labels in self.invitations.items()
        ]
        return ImportPlan(
            engagement=self.engagement,
            filename=self.read.filename,
            items=items,
            problems=self.problems,
            warnings=[*self.read.notes, *self.warnings, *created, *invited],
            not_in_file=not_in_file,
            new_themes=list(self.new_themes.values()),
            new_directorates=list(self.new_directorates.values()),
            invitations=self.invitations,
        )

    # --- what both kinds share

    def _compare(self, plan: ItemPlan, name: str, label: str, value: Any) -> None:
        """Record a field the row sets: for a new item, its value; for an existing one, a change if it differs."""
        item = plan.item
        if item is None:
            plan.fields[name] = value
            if value not in (None, ""):
                plan.changes.append(Change(label, "", display(value)))
            return
        before = getattr(item, name)
        if before != value:
            plan.fields[name] = value
            plan.changes.append(Change(label, display(before), display(value)))

    def _position(self, plan: ItemPlan, cells: RowCells, *, reason_column: bool, percent: int | None) -> None:
        """The status and RAG the row gives, written as an approved update when they (or the RAG reason, or an
        action's % complete) differ from the item's position today. Empty Status or RAG cells leave them."""
        item = plan.item
        current_status = getattr(item, "position_status", "") or Status.NOT_STARTED
        current_rag = getattr(item, "position_rag", "") if item is not None else ""
        current_reason = getattr(item, "position_rag_reason", "") if item is not None else ""
        current_percent = getattr(item, "percent_complete", 0) if item is not None else 0

        status = cells.status(current_status)
        rag = cells.rag(current_rag)  # both read, so that the row's problems are all told at once
        if status is None or rag is None:
            return
        reason = current_reason
        reason_given = reason_column and cells.has("RAG reason")
        if reason_given:
            reason = cells.text("RAG reason") or ""
        elif rag != current_rag:
            reason = ""  # the old rating's reason is not the new one's
        final_reason = reason.strip()
        if rag in (Rag.AMBER, Rag.RED) and not final_reason:
            final_reason = NO_REASON_GIVEN
            cells.warn("RAG reason", f"{rag_display(rag)} with no reason: recorded as ‘{NO_REASON_GIVEN}’")
        if percent is None and status == Status.COMPLETE and status != current_status:
            percent = 100  # Complete means done, unless the file says how far
        new_percent = current_percent if percent is None else percent

        changes = []
        if status != current_status:
            changes.append(Change("Status", status_display(current_status), status_display(status)))
        if rag != current_rag:
            changes.append(Change("RAG", rag_display(current_rag), rag_display(rag)))
        if reason_given and _normal(reason) != _normal(current_reason):
            changes.append(Change("RAG reason", display(current_reason), display(final_reason)))
        if plan.kind == ACTION and new_percent != current_percent:
            changes.append(Change("% complete", f"{current_percent}%", f"{new_percent}%"))
        commentary = cells.text("Commentary") or ""
        if commentary and (changes or item is None):  # with a change of position, or on a new item
            changes.append(Change("Progress commentary", "", commentary))
        if not changes:
            return
        plan.changes += changes
        plan.position = Position(
            status=status,
            rag=rag,
            rag_reason=final_reason,
            percent_complete=new_percent if plan.kind == ACTION else None,
            narrative=commentary,
        )

    def _due(self, plan: ItemPlan, cells: RowCells) -> None:
        """The due date and the timescale's words (checks.RowCells.due). An existing item's date that changes
        before anyone has recorded progress on the engagement replaces its baseline (DESIGN.md §2: the first
        date was a mistake, not a slip); after that it is a move recorded with the import's reason."""
        read, due, words, derivation = cells.due()
        if words is not None:
            self._compare(plan, "timescale", "Timescale", words)
        if not read:
            return
        plan.derivation = derivation
        item = plan.item
        if item is None:
            plan.fields["due_date"] = due
            if due is not None:
                plan.changes.append(Change("Due date", "", display(due), derivation))
            return
        if item.due_date == due:
            return
        plan.fields["due_date"] = due
        if item.baseline_due_date is None:
            how = ""
        elif self.current.progress_recorded:
            how = f"A move, recorded with the reason ‘{import_reason(self.read.filename)}’"
        else:
            plan.date_correction = True
            how = "Replaces the first date set: no progress is recorded on the engagement yet"
        plan.changes.append(
            Change("Due date", display(item.due_date), display(due), ". ".join(filter(None, [derivation, how])))
        )

    def _owner(self, plan: ItemPlan, cells: RowCells) -> None:
        """A member by e-mail address, or the owner as the plan names them ("Head of Corporate Services"), kept
        and shown until someone is assigned."""
        read, owner = cells.owner(plan.item, owners=self.current.owners, council=self.engagement.council)
        if isinstance(owner, Invitee):
            plan.invite = str(owner)
            if plan.reference:  # not a row checked only for its problems
                self.invitations.setdefault(str(owner), []).append(plan.label)
            self._compare(plan, "owner_name", "Owner as the plan names them", str(owner))
            return
        if read:
            self._compare(plan, "owner", "Owner", owner)
        name = cells.owner_name()
        if name is not None:
            self._compare(plan, "owner_name", "Owner as the plan names them", name)

    # --- recommendations

    def _recommendation(self, row: Row) -> ItemPlan | None:
        cells = RowCells(row, self.problems, self.warnings)
        other = cells.other_engagement(self.engagement, self.current.engagements)
        reference = cells.reference("Reference", "reference of the recommendation")
        if reference is None or other is False:
            if other is not False:  # the row's other cells are checked too: its problems are told at once
                self._recommendation_fields(ItemPlan(RECOMMENDATION, CREATE, "", row), cells)
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
        self._recommendation_fields(plan, cells)
        return self._settle(plan)

    def _recommendation_fields(self, plan: ItemPlan, cells: RowCells) -> None:
        for header, name in (("Heading", "heading"), ("Lead member", "lead_member")):
            value = cells.text(header, limit=SHORT_TEXT[name])
            if value is not None:
                self._compare(plan, name, header, value)
        text = cells.text("Text")
        if text is not None and not text:
            cells.problem("Text", "Enter the text of the recommendation")
        elif text is not None:
            self._compare(plan, "text", "Text", text)
        elif plan.item is None and not cells.has("Text"):
            cells.problem("Text", "Enter the text of the recommendation: the file has no Text column")
        read, theme = cells.named("Theme", self.current.themes, f"a theme of {self.engagement.title}")
        if read:
            if isinstance(theme, Missing):
                self.new_themes.setdefault(reference_key(theme), str(theme))
            self._compare(plan, "theme", "Theme", theme)
        read, directorate = cells.named(
            "Lead directorate", self.current.directorates, f"a directorate of {self.engagement.council.name}"
        )
        if read:
            if isinstance(directorate, Missing):
                self.new_directorates.setdefault(reference_key(directorate), str(directorate))
            self._compare(plan, "lead_directorate", "Lead directorate", directorate)
        self._owner(plan, cells)
        self._due(plan, cells)
        self._position(plan, cells, reason_column=True, percent=None)

    def _settle(self, plan: ItemPlan) -> ItemPlan:
        if plan.operation == UPDATE and not plan.changes:
            plan.operation = UNCHANGED
        return plan

    # --- actions

    def _action(self, row: Row) -> ItemPlan | None:
        cells = RowCells(row, self.problems, self.warnings)
        other = cells.other_engagement(self.engagement, self.current.engagements)
        parent = cells.reference("Recommendation reference", "reference of the recommendation it belongs to")
        reference = cells.reference("Reference", "reference of the action")
        if parent is None or reference is None or other is False:
            if other is not False:  # the row's other cells are checked too: its problems are told at once
                self._action_fields(ItemPlan(ACTION, CREATE, "", row), cells)
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
        self._action_fields(plan, cells)
        return self._settle(plan)

    def _action_fields(self, plan: ItemPlan, cells: RowCells) -> None:
        item = plan.item
        description = cells.text("Description")
        if description is not None and not description:
            cells.problem("Description", "Enter the description of the action")
        elif description is not None:
            self._compare(plan, "description", "Description", description)
        elif item is None:
            cells.problem("Description", "Enter the description of the action: the file has no Description column")
        self._owner(plan, cells)
        start_read, start = cells.date("Start date")
        if start_read:
            self._compare(plan, "start_date", "Start date", start)
        self._due(plan, cells)
        cells.dates_in_order(
            start=plan.fields.get("start_date", getattr(item, "start_date", None)),
            due=plan.fields.get("due_date", getattr(item, "due_date", None)),
            baseline=getattr(item, "baseline_due_date", None),
            start_changed="start_date" in plan.fields,
        )
        # An action takes a RAG reason where its row gives one (a council's own plan); the export's actions have none.
        reason = cells.cell("RAG reason")
        given = reason is not None and isinstance(reason.value, str) and bool(reason.value.strip())
        self._position(plan, cells, reason_column=given, percent=cells.percent())


def _normal(text: str) -> str:
    return " ".join(text.split())


def plan_import(*, engagement: Engagement, read: ReadFile) -> ImportPlan:
    """What importing the rows into the engagement would create, change and leave, and every problem."""
    return Planner(engagement=engagement, read=read, current=current_state(engagement=engagement)).plan()
