"""Writes to the plan: recommendations and actions, built by trusted code or added and edited by a lead."""

import datetime as dt
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Model
from django.utils import timezone

from recommendations.models import (
    Action,
    Council,
    Directorate,
    Engagement,
    Item,
    Membership,
    ProgressUpdate,
    Rag,
    Recommendation,
    Status,
    User,
)
from recommendations.vocabulary import ACTION_FIELDS, DUE_BEFORE_START, RECOMMENDATION_FIELDS, due_before_start

from .access import require_plan_manager
from .due_dates import due_date_set
from .history import save_with_history
from .people import OWNER_ROLES
from .progress import update_record

ItemT = TypeVar("ItemT", Recommendation, Action)


def recommendation_build(
    *, engagement: Engagement, reference: str, text: str, by: User | None, at: dt.datetime | None = None, **fields: Any
) -> Recommendation:
    """Build and save a recommendation, trusting the caller: no lead's right, reference or council is checked,
    and its owner need not be a member (the demo, tests, benchmarks). A lead's form uses recommendation_add."""
    at = at or timezone.now()
    fields.setdefault("baseline_due_date", fields.get("due_date"))
    recommendation = Recommendation(engagement=engagement, reference=reference, text=text, created_at=at, **fields)
    save_with_history(recommendation, by=by, at=at)
    return recommendation


def action_build(
    *,
    recommendation: Recommendation,
    reference: str,
    description: str,
    by: User | None,
    at: dt.datetime | None = None,
    **fields: Any,
) -> Action:
    """Build and save an action, trusting the caller as recommendation_build does. A lead's form uses action_add."""
    at = at or timezone.now()
    fields.setdefault("baseline_due_date", fields.get("due_date"))
    action = Action(
        recommendation=recommendation, reference=reference, description=description, created_at=at, **fields
    )
    save_with_history(action, by=by, at=at)
    return action


# --- what a lead does in the browser -------------------------------------------------------------
#
# recommendation_build and action_build above are the trusted builders (the demo, tests and benchmarks,
# whose owners may not be members yet). A lead's form goes through recommendation_add / action_add and
# recommendation_update / action_update below: they check the lead's right, that everything referred to
# belongs to the same council, and (for edits) that nobody else saved the item since the form was loaded.


class StaleEdit(ValidationError):
    """Someone else saved the item (a plan item, a panel session) after this form was loaded. `current` is
    the latest saved copy."""

    def __init__(self, message: str, *, current: Model) -> None:
        super().__init__(message, code="stale")
        self.current = current


def _require_editable(fields: dict[str, Any], editable: tuple[str, ...]) -> None:
    """Refuse a field the vocabulary does not list as one a lead sets (a programming error, not a user's)."""
    unknown = set(fields).difference(editable)
    if unknown:
        raise ValueError(f"Not a field a lead sets: {sorted(unknown)}")


def _check_references(*, council: Council, engagement: Engagement, fields: dict[str, Any], before: Item | None) -> None:
    """Everything a plan item points at belongs to its council (a crafted form cannot reach another's)."""
    errors: dict[str, str] = {}
    theme = fields.get("theme")
    if theme is not None and theme.engagement_id != engagement.pk:
        errors["theme"] = "Choose a theme of this engagement"
    directorate = fields.get("lead_directorate")
    if directorate is not None and directorate.council_id != council.pk:
        errors["lead_directorate"] = "Choose a directorate of this council"
    owner = fields.get("owner")
    owner_changed = before is None or before.owner_id != getattr(owner, "pk", None)
    if owner is not None and owner_changed:
        is_owner = Membership.objects.filter(
            user=owner, council=council, is_active=True, role__in=OWNER_ROLES, user__is_active=True
        ).exists()
        if not is_owner:
            errors["owner"] = "Choose an officer or improvement lead of this council"
    if errors:
        raise ValidationError(errors)


def lock_parent(parent: Engagement | Recommendation) -> None:
    """Lock the row a new item goes under until the transaction ends, so that two writers adding the same
    reference at once (two leads, or a lead and an import) take turns and the second is told it is taken."""
    list(type(parent).objects.select_for_update().filter(pk=parent.pk).values_list("pk"))


def _check_reference_free(item: Item | None, *, reference: str, parent: Engagement | Recommendation) -> None:
    if isinstance(parent, Engagement):
        taken = Recommendation.objects.filter(engagement=parent, reference__iexact=reference)
        where = "in this engagement"
    else:
        taken = Action.objects.filter(recommendation=parent, reference__iexact=reference)
        where = "under this recommendation"
    if item is not None:
        taken = taken.exclude(pk=item.pk)
    if not reference.strip():
        raise ValidationError({"reference": "Enter a reference"})
    if taken.exists():
        raise ValidationError({"reference": f"Reference {reference} is already used {where}"})


def _check_dates(fields: dict[str, Any], *, before: Item | None = None) -> None:
    """The date rule, for an action (a recommendation has no start date, so it always holds)."""
    start = fields.get("start_date", getattr(before, "start_date", None))
    due = fields.get("due_date", getattr(before, "due_date", None))
    if due_before_start(start, due):
        raise ValidationError({"due_date": DUE_BEFORE_START})


def _directorate(council: Council, name: str) -> Directorate | None:
    """A directorate of the council by name (case as typed the first time), created if it is new."""
    name = " ".join(name.split())
    if not name:
        return None
    directorate = Directorate.objects.filter(council=council, name__iexact=name).first()
    if directorate is None:
        directorate = Directorate(council=council, name=name)
        directorate.full_clean()
        directorate.save()
    return directorate


@transaction.atomic
def recommendation_add(
    *,
    engagement: Engagement,
    by: User,
    reference: str,
    text: str,
    new_directorate: str = "",
    at: dt.datetime | None = None,
    **fields: Any,
) -> Recommendation:
    """A lead adds a recommendation to an engagement of their council (at the end of its list).
    `new_directorate` names a directorate to create (or find) and make the lead directorate."""
    council = engagement.council
    require_plan_manager(by, council.pk)
    _require_editable(fields, RECOMMENDATION_FIELDS)
    reference = reference.strip()
    lock_parent(engagement)
    _check_reference_free(None, reference=reference, parent=engagement)
    if new_directorate.strip():
        fields["lead_directorate"] = _directorate(council, new_directorate)
    _check_references(council=council, engagement=engagement, fields=fields, before=None)
    last = engagement.recommendations.aggregate(last=Max("position"))["last"] or 0
    return recommendation_build(
        engagement=engagement, reference=reference, text=text.strip(), by=by, at=at, position=last + 1, **fields
    )


@transaction.atomic
def action_add(
    *,
    recommendation: Recommendation,
    by: User,
    reference: str,
    description: str,
    at: dt.datetime | None = None,
    **fields: Any,
) -> Action:
    """A lead adds an action under a recommendation of their council (at the end of its list)."""
    council = recommendation.engagement.council
    require_plan_manager(by, council.pk)
    _require_editable(fields, (*ACTION_FIELDS, "percent_complete"))  # a new action may start part done
    reference = reference.strip()
    lock_parent(recommendation)
    _check_reference_free(None, reference=reference, parent=recommendation)
    _check_references(council=council, engagement=recommendation.engagement, fields=fields, before=None)
    _check_dates(fields)
    last = recommendation.actions.aggregate(last=Max("position"))["last"] or 0
    return action_build(
        recommendation=recommendation,
        reference=reference,
        description=description.strip(),
        by=by,
        at=at,
        position=last + 1,
        **fields,
    )


def _locked(item: ItemT, expected_version: int) -> ItemT:
    """The item's row, locked until the transaction ends; StaleEdit if it moved past expected_version."""
    current = type(item).objects.select_for_update().get(pk=item.pk)
    if current.version != expected_version:
        name = item._meta.model_name
        raise StaleEdit(
            f"Someone else changed this {name} while you were editing it. Your changes have not been saved.",
            current=current,
        )
    return current


def _latest_position(item: Item) -> tuple[str, str]:
    """The item's status and RAG now (its latest approved update), ('', '') if it has none."""
    latest = ProgressUpdate.objects.approved().filter(**{item._meta.model_name: item}).first()
    return (latest.status, latest.effective_rag) if latest else ("", "")


def _model_update(item: ItemT, *, data: dict[str, Any], by: User, at: dt.datetime, due_date_reason: str) -> ItemT:
    """Set the fields whose value changes on the locked row and save it with its history (which raises its
    version); nothing is written if none changes. A moved due date keeps its baseline and is recorded with its
    reason (due_date_set)."""
    changes = {name: value for name, value in data.items() if getattr(item, name) != value}
    if not changes:
        return item
    move = due_date_set(item, changes.pop("due_date", item.due_date), reason=due_date_reason, by=by, at=at)
    for name, value in changes.items():
        setattr(item, name, value)
    save_with_history(item, by=by, at=at)
    if move is not None:
        move.save()
    return item


@dataclass(frozen=True)
class _PositionChange:
    """What the "Status and RAG" part of a lead's edit form sends (an action's % complete moves with them)."""

    status: str
    rag: str
    rag_reason: str
    note: str
    percent_complete: int | None = None


def _record_position(item: Item, *, by: User, at: dt.datetime, change: _PositionChange) -> ProgressUpdate | None:
    """A lead's direct change of status or RAG: an approved update marked as the lead's."""
    status, rag, percent_complete = change.status, change.rag, change.percent_complete
    if not status and not rag and percent_complete is None:
        return None
    current_status, current_rag = _latest_position(item)
    unchanged_percent = percent_complete is None or percent_complete == getattr(item, "percent_complete", None)
    if (status, rag) == (current_status, current_rag) and unchanged_percent:
        return None
    errors = {}
    if status not in Status.values:
        errors["status"] = "Choose a status"
    if rag not in Rag.values:
        errors["rag"] = "Choose a RAG rating"
    if rag in (Rag.AMBER, Rag.RED) and not change.rag_reason.strip():
        errors["rag_reason"] = "Enter the reason for an amber or red RAG rating"
    if errors:
        raise ValidationError(errors)
    return update_record(
        item=item,
        author=by,
        status=status,
        rag=rag,
        rag_reason=change.rag_reason,
        narrative=change.note,
        percent_complete=percent_complete,
        source=ProgressUpdate.Source.LEAD,
        at=at,
    )


def _item_update(
    item: ItemT,
    *,
    parent: Engagement | Recommendation,
    editable: tuple[str, ...],
    by: User,
    expected_version: int,
    at: dt.datetime | None,
    due_date_reason: str,
    changes: dict[str, Any],
    position: _PositionChange,
    new_directorate: str = "",
) -> ItemT:
    """A lead's edit of a plan item under `parent`, what recommendations and actions share: the lead's right;
    only the fields in `editable`; the row locked, refused with StaleEdit if it moved past `expected_version`;
    a changed reference free under its parent; a new directorate named by the lead (a recommendation's) found
    or created; everything referred to of the council, and the date rule; the changed fields saved with their
    history (a moved due date with `due_date_reason`); a changed position as the lead's approved update."""
    at = at or timezone.now()
    engagement = parent if isinstance(parent, Engagement) else parent.engagement
    council = engagement.council
    require_plan_manager(by, council.pk)
    _require_editable(changes, editable)
    current = _locked(item, expected_version)
    if "reference" in changes:
        changes["reference"] = changes["reference"].strip()
        _check_reference_free(current, reference=changes["reference"], parent=parent)
    if new_directorate.strip():
        changes["lead_directorate"] = _directorate(council, new_directorate)
    _check_references(council=council, engagement=engagement, fields=changes, before=current)
    _check_dates(changes, before=current)
    current = _model_update(current, data=changes, by=by, at=at, due_date_reason=due_date_reason)
    _record_position(current, by=by, at=at, change=position)
    return current


@transaction.atomic
def recommendation_update(
    *,
    recommendation: Recommendation,
    by: User,
    expected_version: int,
    at: dt.datetime | None = None,
    due_date_reason: str = "",
    new_directorate: str = "",
    status: str = "",
    rag: str = "",
    rag_reason: str = "",
    note: str = "",
    **changes: Any,
) -> Recommendation:
    """A lead's edit of a recommendation, refused with StaleEdit if someone else saved it since the form
    was loaded (`expected_version`). A moved target date needs `due_date_reason`. A `status` and `rag`
    different from the current ones are recorded as an approved update marked as the lead's.
    `new_directorate` names a directorate to create (or find) and make the lead directorate."""
    return _item_update(
        recommendation,
        parent=recommendation.engagement,
        editable=RECOMMENDATION_FIELDS,
        by=by,
        expected_version=expected_version,
        at=at,
        due_date_reason=due_date_reason,
        changes=changes,
        position=_PositionChange(status, rag, rag_reason, note),
        new_directorate=new_directorate,
    )


@transaction.atomic
def action_update(
    *,
    action: Action,
    by: User,
    expected_version: int,
    at: dt.datetime | None = None,
    due_date_reason: str = "",
    status: str = "",
    rag: str = "",
    rag_reason: str = "",
    note: str = "",
    percent_complete: int | None = None,
    **changes: Any,
) -> Action:
    """A lead's edit of an action, as recommendation_update, with its start date under the date rule. The
    percentage complete moves with status and RAG: a change of any of them is an approved update marked as
    the lead's."""
    return _item_update(
        action,
        parent=action.recommendation,
        editable=ACTION_FIELDS,
        by=by,
        expected_version=expected_version,
        at=at,
        due_date_reason=due_date_reason,
        changes=changes,
        position=_PositionChange(status, rag, rag_reason, note, percent_complete),
    )
