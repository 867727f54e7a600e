"""Write an import: all of it in one transaction, or nothing.

The plan is worked out again inside the transaction from the file's bytes (never from what a page sent back),
with the engagement and its items locked, so it is checked against the database as it is at that moment
and no lead's edit of them can slip in between. It is then written in a few statements per table, whatever the file's
size (a file at the row limit must go in within one web request): new items, and changed items with the
import's reason in their history; a moved due date keeps its baseline and is recorded with the reason
"Imported from <file name>" (services.due_dates.due_date_set); a change of status or RAG is an approved update
marked as imported (services.progress.approved_update), the same rules the lead's pages follow."""

import datetime as dt
import logging
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, Max, Model, Value, When
from django.db.models.functions import Cast
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, get_history_manager_for_model

from recommendations.models import (
    Action,
    Directorate,
    DueDateChange,
    Engagement,
    Item,
    Membership,
    ProgressUpdate,
    Recommendation,
    Theme,
    User,
)
from recommendations.services import plan as plan_services
from recommendations.services.access import require_plan_manager
from recommendations.services.due_dates import due_date_set
from recommendations.services.history import council_changed
from recommendations.services.people import member_invite
from recommendations.services.positions import positions_refresh
from recommendations.services.progress import approved_update

from .checks import Missing
from .planning import (
    ACTION,
    CREATE,
    RECOMMENDATION,
    UPDATE,
    ImportPlan,
    ItemPlan,
    import_reason,
    plan_import,
    reference_key,
)
from .reading import FileRefused, read_plan

logger = logging.getLogger(__name__)
BATCH = 500  # rows per statement: bulk_update's CASE grows with the batch, so it is kept small


class ImportFailed(Exception):
    """Nothing was imported. `messages` says why; `plan` is the plan as worked out (with its problems)."""

    def __init__(self, messages: list[str], *, plan: ImportPlan | None = None) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages
        self.plan = plan


class PlanChanged(ImportFailed):
    """The plan is not the one the dry run showed (someone changed the engagement since): nothing was
    imported; `plan` is the plan as it is now, to be checked again."""


@dataclass
class ImportResult:
    plan: ImportPlan
    created: int
    updated: int
    progress_updates: int


def plan_upload(
    *,
    engagement: Engagement,
    data: bytes,
    filename: str,
    sheet: str | None = None,
    columns: dict[int, str] | None = None,
    split_bullets: bool = False,
) -> ImportPlan:
    """The dry run: what importing the file into the engagement would do (FileRefused if it cannot be read). A
    council's own plan is read on `sheet` through `columns` (None: the guess)."""
    read = read_plan(data=data, filename=filename, sheet=sheet, columns=columns, split_bullets=split_bullets)
    return plan_import(engagement=engagement, read=read)


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [message for messages in error.message_dict.values() for message in messages]
    return list(error.messages)


def _checked(instance: Model) -> Model:
    """Validate the instance's own fields (lengths, choices, dates) without a query. What it points at is the
    council's own (the planner found it in the engagement's current state), and what the constraints say
    the planner has checked; the database enforces them again when the rows are written."""
    relations = [field.name for field in instance._meta.concrete_fields if field.is_relation]
    instance.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)
    return instance


class _Writes:
    """What the import writes, gathered row by row and then written in a few statements per table: new
    and changed items with their history, moved dates, approved updates; the council's data version once."""

    def __init__(self, plan: ImportPlan, *, by: User, at: dt.datetime) -> None:
        self.plan = plan
        self.by = by
        self.at = at
        self.reason = import_reason(plan.filename)
        self.moves: list[DueDateChange] = []
        self.corrected: list[Item] = []  # items whose first due date the import corrects
        self.updates: list[ProgressUpdate] = []

    def planned(self, kind: str, operation: str) -> list[ItemPlan]:
        return [item for item in self.plan.items if item.kind == kind and item.operation == operation]

    def position(self, item: Recommendation | Action, planned: ItemPlan) -> None:
        if planned.position is None:
            return
        self.updates.append(
            _checked(
                approved_update(
                    item=item,
                    author=self.by,
                    status=planned.position.status,
                    rag=planned.position.rag,
                    rag_reason=planned.position.rag_reason,
                    narrative=planned.position.narrative or self.reason,
                    percent_complete=planned.position.percent_complete,
                    source=ProgressUpdate.Source.IMPORT,
                    at=self.at,
                )
            )
        )

    def create(self, model: type[Item], items: list[Item]) -> None:
        if items and not connection.features.can_return_rows_from_bulk_insert:
            raise ImproperlyConfigured("Importing needs PostgreSQL, or SQLite 3.35 or newer, to number new rows")
        bulk_create_with_history(
            [_checked(item) for item in items],
            model,
            batch_size=BATCH,
            default_user=self.by,
            default_date=self.at,
            default_change_reason=self.reason,
        )  # the items now have their primary keys: the updates and actions below point at them

    def change(self, model: type[Item], planned: list[ItemPlan], *, percent: bool = False) -> None:
        """Set each planned item's changed fields (a moved due date keeps its baseline and is recorded with the
        import's reason) and write them all, each with a history row."""
        changed, names = [], {"version"}
        for plan in planned:
            item, fields = plan.item, dict(plan.fields)
            if percent and plan.position is not None and plan.position.percent_complete != item.percent_complete:
                fields["percent_complete"] = plan.position.percent_complete
            if not fields:
                continue  # only its status or RAG moves: an approved update, the item itself is as it was
            if "due_date" in fields and plan.date_correction:
                item.baseline_due_date = fields["due_date"]  # a first date corrected: no move (DESIGN.md §2)
                names |= {"due_date", "baseline_due_date"}
                self.corrected.append(item)
            elif "due_date" in fields:
                move = due_date_set(item, fields.pop("due_date"), reason=self.reason, by=self.by, at=self.at)
                self.moves += [move] if move is not None else []
                names |= {"due_date", "baseline_due_date"}
            for name, value in fields.items():
                setattr(item, name, value)
            names |= set(fields)
            item.version += 1  # an edit form opened before the import is refused
            changed.append(_checked(item))
        # By identity, in a set: `item in self.corrected` compared each item with every corrected one (model
        # equality), 25 million comparisons for a file of 5,000 corrected dates.
        corrected_ids = {id(item) for item in self.corrected}
        corrected = [item for item in changed if id(item) in corrected_ids]
        for items, reason in (
            ([item for item in changed if id(item) not in corrected_ids], self.reason),
            (corrected, f"{self.reason}: first due date corrected by import"),
        ):
            if items:
                _update_grouped(model, items, sorted(names))
                get_history_manager_for_model(model).bulk_history_create(
                    items,
                    batch_size=BATCH,
                    update=True,
                    default_user=self.by,
                    default_date=self.at,
                    default_change_reason=reason,
                )

    def finish(self) -> None:
        DueDateChange.objects.bulk_create([_checked(move) for move in self.moves], batch_size=BATCH)
        ProgressUpdate.objects.bulk_create(self.updates, batch_size=BATCH)
        for model, link in ((Recommendation, "recommendation_id"), (Action, "action_id")):
            ids = {getattr(update, link) for update in self.updates} - {None}
            if ids:
                positions_refresh(model=model, ids=ids)  # one statement per table, the rule deciding
        council_changed(council_id=self.plan.engagement.council_id)


def _update_grouped(model: type[Item], items: list[Item], names: list[str]) -> None:
    """Write the fields `names` of each item, as Django's `bulk_update` does (one UPDATE a batch, a CASE for each
    field), but with a branch for each distinct value (`WHEN id IN (…) THEN value`), not one for each row: a
    file sets the same due date, timescale or % complete on many rows, and resolving 5,000 branches a field was
    most of a large import's confirmation."""
    fields = [model._meta.get_field(name) for name in names]
    for start in range(0, len(items), BATCH):
        batch = items[start : start + BATCH]
        values: dict[str, Any] = {}
        for field in fields:
            groups: dict[Any, list[int]] = {}
            try:
                for item in batch:
                    groups.setdefault(getattr(item, field.attname), []).append(item.pk)
            except TypeError:  # a value that cannot be a key (none of the plan's fields): Django's own way
                model._default_manager.bulk_update(batch, names)
                break
            case = Case(
                *(When(pk__in=pks, then=Value(value, output_field=field)) for value, pks in groups.items()),
                output_field=field,
            )
            values[field.attname] = (
                Cast(case, output_field=field) if connection.features.requires_casted_case_in_updates else case
            )
        else:
            model._default_manager.filter(pk__in=[item.pk for item in batch]).update(**values)


def _new(fields: dict[str, Any]) -> dict[str, Any]:
    fields = dict(fields)
    fields.setdefault("baseline_due_date", fields.get("due_date"))
    return fields


def _invitee_names(email: str) -> tuple[str, str]:
    """A first and last name from an address ("jo.bloggs@..." → Jo, Bloggs), until they give their own."""
    pieces = [piece for piece in re.split(r"[._\-+]+", email.split("@", 1)[0]) if piece]
    first = pieces[0].title() if pieces else email
    return first, " ".join(piece.title() for piece in pieces[1:]) or "(name to be confirmed)"


def _resolve(plan: ImportPlan, *, by: User, at: dt.datetime, invite: bool) -> None:
    """The themes and directorates the file names that are not yet the engagement's, created; with `invite`,
    each owner's address that no member has invited as an officer and made the owner of its items."""
    engagement = plan.engagement
    last = Theme.objects.filter(engagement=engagement).aggregate(last=Max("position"))["last"] or 0
    themes = {
        reference_key(name): Theme.objects.create(engagement=engagement, name=name, position=last + number)
        for number, name in enumerate(plan.new_themes, start=1)
    }
    directorates = {
        reference_key(name): Directorate.objects.create(council_id=engagement.council_id, name=name)
        for name in plan.new_directorates
    }
    owners = {}
    if invite:
        for email in plan.invitations:
            first, last_name = _invitee_names(email)
            membership = member_invite(
                council=engagement.council,
                email=email,
                first_name=first,
                last_name=last_name,
                role=Membership.Role.OFFICER,
                by=by,
                at=at,
            )
            owners[email] = membership.user
    for planned in plan.items:
        for name, created in (("theme", themes), ("lead_directorate", directorates)):
            if isinstance(planned.fields.get(name), Missing):
                planned.fields[name] = created[reference_key(planned.fields[name])]
        if planned.invite and planned.invite in owners:
            planned.fields["owner"], planned.fields["owner_name"] = owners[planned.invite], ""


@transaction.atomic
def _apply(plan: ImportPlan, *, by: User, at: dt.datetime, invite: bool = False) -> ImportResult:
    engagement = plan.engagement
    _resolve(plan, by=by, at=at, invite=invite)
    writes = _Writes(plan, by=by, at=at)
    recommendations: dict[str, Recommendation] = {
        reference_key(recommendation.reference): recommendation
        for recommendation in Recommendation.objects.filter(engagement=engagement)
    }
    last = engagement.recommendations.aggregate(last=Max("position"))["last"] or 0
    new_recommendations = [
        (Recommendation(engagement=engagement, created_at=at, position=last + number, **_new(planned.fields)), planned)
        for number, planned in enumerate(writes.planned(RECOMMENDATION, CREATE), start=1)
    ]
    writes.create(Recommendation, [item for item, _ in new_recommendations])
    changed_recommendations = writes.planned(RECOMMENDATION, UPDATE)
    writes.change(Recommendation, changed_recommendations)
    for item, planned in new_recommendations + [(p.item, p) for p in changed_recommendations]:
        recommendations[reference_key(item.reference)] = item
        writes.position(item, planned)

    positions = dict(
        Action.objects.filter(recommendation__engagement=engagement)
        .values("recommendation")
        .annotate(last=Max("position"))
        .values_list("recommendation", "last")
    )
    new_actions = []
    for planned in writes.planned(ACTION, CREATE):
        parent = recommendations[reference_key(planned.recommendation_reference)]
        positions[parent.pk] = positions.get(parent.pk, 0) + 1
        fields = _new(planned.fields)
        if planned.position is not None:
            fields["percent_complete"] = planned.position.percent_complete
        new_actions.append(
            (Action(recommendation=parent, created_at=at, position=positions[parent.pk], **fields), planned)
        )
    writes.create(Action, [item for item, _ in new_actions])
    changed_actions = writes.planned(ACTION, UPDATE)
    writes.change(Action, changed_actions, percent=True)
    for item, planned in new_actions + [(p.item, p) for p in changed_actions]:
        writes.position(item, planned)
    writes.finish()
    return ImportResult(
        plan=plan,
        created=len(new_recommendations) + len(new_actions),
        updated=len(changed_recommendations) + len(changed_actions),
        progress_updates=len(writes.updates),
    )


def import_apply(
    *,
    engagement: Engagement,
    data: bytes,
    filename: str,
    by: User,
    expected_digest: str | None = None,
    at: dt.datetime | None = None,
    sheet: str | None = None,
    columns: dict[int, str] | None = None,
    split_bullets: bool = False,
    invite: bool = False,
) -> ImportResult:
    """Import the file into the engagement: read it again, plan it again against the database as it is now,
    and write all of it in one transaction. ImportFailed (nothing written) if the file cannot be read, has
    problems, or a write is refused; PlanChanged if `expected_digest` (the dry run's) is given and the plan
    is no longer the one it describes. A council's own plan is read as the dry run read it: on `sheet`, through
    `columns` (None: the guess), its bulleted action cells split or not. Themes and directorates it names that
    are not yet the engagement's are created; with `invite`, owners' addresses that no member has are invited
    as officers and made the owners of their items (else kept as the owners as written)."""
    require_plan_manager(by, engagement.council_id, to="import an action plan")
    at = at or timezone.now()
    try:
        read = read_plan(  # before the locks: reading a large file takes a while
            data=data, filename=filename, sheet=sheet, columns=columns, split_bullets=split_bullets
        )
        with transaction.atomic():
            _lock(engagement)
            plan = plan_import(engagement=engagement, read=read)
            if plan.problems:
                raise ImportFailed(
                    [f"{p.where}: {p.message}" if p.where else p.message for p in plan.problems], plan=plan
                )
            if expected_digest is not None and plan.digest() != expected_digest:
                raise PlanChanged(
                    [
                        "The plan has changed since the file was checked. Nothing has been imported yet: check the "
                        "changes again"
                    ],
                    plan=plan,
                )
            return _apply(plan, by=by, at=at, invite=invite)
    except FileRefused as exc:
        raise ImportFailed(exc.messages) from exc
    except ValidationError as exc:
        raise ImportFailed(["Nothing was imported:", *_messages(exc)]) from exc
    except IntegrityError as exc:
        # The planner checks what the constraints say, and the locks keep the plan's rows as they are, so
        # this is a rule the planner missed or a write it could not foresee: nothing is written.
        logger.exception("An import into engagement %s was refused by the database", engagement.pk)
        raise ImportFailed(
            [
                "Nothing was imported: the database refused the changes. Check the file again, and if the "
                "problem stays, send the file to your administrator"
            ]
        ) from exc


def _lock(engagement: Engagement) -> None:
    """Lock the engagement and its recommendations and actions until the transaction ends, so that the plan
    is worked out against them as they are and no edit lands between the plan and its writing. A lead adding
    a recommendation locks the engagement too, and one adding an action its recommendation, so neither
    can add a reference the import is adding."""
    plan_services.lock_parent(engagement)
    list(Recommendation.objects.select_for_update().filter(engagement=engagement).values_list("pk"))
    list(Action.objects.select_for_update().filter(recommendation__engagement=engagement).values_list("pk"))
