"""Write an import: all of it in one transaction, or nothing.

The plan is worked out again inside the transaction from the file's bytes (never from what a page sent back),
so it is checked against the database as it is at that moment. New items are made by the trusted builders
(recommendation_create, action_create); changes go through recommendation_update / action_update (a moved
due date with the reason "Imported from <file name>", so it is recorded as a DueDateChange); a change of
status or RAG is an approved update marked as imported (update_record with source IMPORT)."""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from recommendations.models import Action, Engagement, ProgressUpdate, Recommendation, User
from recommendations.services import plan as plan_services
from recommendations.services.progress import update_record

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


def plan_upload(*, engagement: Engagement, data: bytes, filename: str) -> ImportPlan:
    """The dry run: what importing the file into the engagement would do (FileRefused if it cannot be read)."""
    return plan_import(engagement=engagement, read=read_plan(data=data, filename=filename))


def _record(item: Recommendation | Action, planned: ItemPlan, *, by: User, at: dt.datetime, reason: str) -> int:
    if planned.position is None:
        return 0
    update_record(
        item=item,
        author=by,
        status=planned.position.status,
        rag=planned.position.rag,
        rag_reason=planned.position.rag_reason,
        narrative=reason,
        percent_complete=planned.position.percent_complete,
        source=ProgressUpdate.Source.IMPORT,
        at=at,
    )
    return 1


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [message for messages in error.message_dict.values() for message in messages]
    return list(error.messages)


@transaction.atomic
def _apply(plan: ImportPlan, *, by: User, at: dt.datetime) -> ImportResult:
    engagement = plan.engagement
    reason = import_reason(plan.filename)
    created = updated = progress = 0
    recommendations: dict[str, Recommendation] = {
        reference_key(recommendation.reference): recommendation
        for recommendation in Recommendation.objects.filter(engagement=engagement)
    }
    next_position = (engagement.recommendations.aggregate(last=Max("position"))["last"] or 0) + 1
    for planned in plan.items:
        if planned.kind != RECOMMENDATION or planned.operation not in (CREATE, UPDATE):
            continue
        fields = dict(planned.fields)
        if planned.operation == CREATE:
            item = plan_services.recommendation_create(
                engagement=engagement,
                reference=fields.pop("reference"),
                text=fields.pop("text"),
                by=by,
                at=at,
                position=next_position,
                **fields,
            )
            next_position += 1
            created += 1
        else:
            item = plan_services.recommendation_update(
                recommendation=planned.item,
                by=by,
                expected_version=planned.item.version,
                at=at,
                due_date_reason=reason,
                **fields,
            )
            updated += 1
        recommendations[reference_key(item.reference)] = item
        progress += _record(item, planned, by=by, at=at, reason=reason)
    positions: dict[int, int] = {}
    for planned in plan.items:
        if planned.kind != ACTION or planned.operation not in (CREATE, UPDATE):
            continue
        fields = dict(planned.fields)
        if planned.operation == CREATE:
            parent = recommendations[reference_key(planned.recommendation_reference)]
            if parent.pk not in positions:
                positions[parent.pk] = parent.actions.aggregate(last=Max("position"))["last"] or 0
            positions[parent.pk] += 1
            item = plan_services.action_create(
                recommendation=parent,
                reference=fields.pop("reference"),
                description=fields.pop("description"),
                by=by,
                at=at,
                position=positions[parent.pk],
                **fields,
            )
            created += 1
        else:
            item = plan_services.action_update(
                action=planned.item,
                by=by,
                expected_version=planned.item.version,
                at=at,
                due_date_reason=reason,
                **fields,
            )
            updated += 1
        progress += _record(item, planned, by=by, at=at, reason=reason)
    return ImportResult(plan=plan, created=created, updated=updated, progress_updates=progress)


def import_apply(
    *,
    engagement: Engagement,
    data: bytes,
    filename: str,
    by: User,
    expected_digest: str | None = None,
    at: dt.datetime | None = None,
) -> ImportResult:
    """Import the file into the engagement: read it again, plan it again against the database as it is now,
    and write all of it in one transaction. ImportFailed (nothing written) if the file cannot be read, has
    problems, or a write is refused; PlanChanged if `expected_digest` (the dry run's) is given and the plan
    is no longer the one it describes."""
    plan_services.require_plan_manager(by, engagement.council_id, to="import an action plan")
    at = at or timezone.now()
    try:
        with transaction.atomic():
            plan = plan_upload(engagement=engagement, data=data, filename=filename)
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
            return _apply(plan, by=by, at=at)
    except FileRefused as exc:
        raise ImportFailed(exc.messages) from exc
    except plan_services.StaleEdit as exc:
        raise ImportFailed(
            ["Someone changed the plan while it was being imported. Nothing was imported: check the file again"]
        ) from exc
    except ValidationError as exc:
        raise ImportFailed(["Nothing was imported:", *_messages(exc)]) from exc
