"""Turn records into what templates show, so templates hold no logic."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model
from django.utils import timezone
from django.utils.formats import date_format

from .models import Action, Directorate, Item, ProgressUpdate, Recommendation, Status, Theme, User
from .templatetags.plan import rag_tag, status_tag
from .vocabulary import ACTION_FIELDS, RECOMMENDATION_FIELDS

# The fields whose changes people ask about, in the order the history lists them: those a lead sets (the
# vocabulary's lists) and, for an action, % complete. That one is not an item field a lead edits (it moves with
# status and RAG, through a progress update) but the action's row records it, so its history shows it too.
HISTORY_FIELDS = {
    Recommendation: list(RECOMMENDATION_FIELDS),
    Action: [*ACTION_FIELDS, "percent_complete"],
}
RELATED = {"owner": User, "theme": Theme, "lead_directorate": Directorate}


@dataclass
class Change:
    field: str
    before: str
    after: str


@dataclass
class HistoryEntry:
    when: dt.datetime
    who: str
    what: str  # "Created" or "Changed"
    changes: list[Change]


def _show(value: object, names: dict[tuple[str, object], str], field: str, choices: dict[str, str]) -> str:
    if value in (None, ""):
        return "none"
    if field in RELATED:
        return names.get((field, value), "someone or something since removed")
    if isinstance(value, dt.date):
        return date_format(value, "j F Y")
    return choices.get(value, str(value))


def change_history(item: Item, *, before: dt.datetime | None = None) -> list[HistoryEntry]:
    """Every recorded change to an item (made before `before`, where given), newest first: who, when, and
    each field's before → after.

    A fixed number of queries: the history rows, and one look-up per related model."""
    fields = HISTORY_FIELDS[Recommendation] if isinstance(item, Recommendation) else HISTORY_FIELDS[Action]
    history = item.history.select_related("history_user").order_by("history_date", "history_id")
    records = list(history.filter(history_date__lt=before) if before is not None else history)
    ids: dict[str, set[object]] = {field: set() for field in RELATED if field in fields}
    for record in records:
        for field in ids:
            ids[field].add(getattr(record, f"{field}_id"))
    names: dict[tuple[str, object], str] = {}
    for field, pks in ids.items():
        model: type[Model] = RELATED[field]
        names.update({(field, obj.pk): str(obj) for obj in model.objects.filter(pk__in=pks - {None})})
    model_fields = {name: item._meta.get_field(name) for name in fields}
    entries = []
    previous = None
    for record in records:
        changes = []
        for name in fields:
            attribute = f"{name}_id" if name in RELATED else name
            after = getattr(record, attribute)
            before = getattr(previous, attribute) if previous is not None else None
            if previous is None or before != after:
                choices = dict(model_fields[name].choices or [])
                if previous is None and after in (None, ""):
                    continue
                label = str(model_fields[name].verbose_name)
                changes.append(
                    Change(
                        label[0].upper() + label[1:],
                        _show(before, names, name, choices),
                        _show(after, names, name, choices),
                    )
                )
        if changes or previous is None:
            entries.append(
                HistoryEntry(
                    when=record.history_date,
                    who=str(record.history_user) if record.history_user else "The system",
                    what="Created" if previous is None else "Changed",
                    changes=changes,
                )
            )
        previous = record
    return entries[::-1]


def update_origin(update: ProgressUpdate) -> str:
    """Where an approved update came from, in words: "Sam Carter's update, submitted 12 January 2022",
    "Jo Lead's direct change on 3 February 2022", "the import by Jo Lead on 3 February 2022"."""
    when = date_format(timezone.localtime(update.submitted_at or update.approved_at), "j F Y")
    if update.source == ProgressUpdate.Source.LEAD:
        return f"{update.author}'s direct change on {when}"
    if update.source == ProgressUpdate.Source.IMPORT:
        return f"the import by {update.author} on {when}"
    return f"{update.author}'s update, submitted {when}"


def mark_late_approvals(updates: list[ProgressUpdate]) -> list[ProgressUpdate]:
    """Mark each approved update signed off after a later one was (`approved_after_later_change`): by the
    ordering rule it is history and did not move the position. The list is an item's updates."""
    approved = sorted(
        (update for update in updates if update.review_state == ProgressUpdate.ReviewState.APPROVED),
        key=lambda update: update.position_key,
    )
    # In the ordering rule's order, newest last: an update is late where one after it was approved before it,
    # i.e. where the earliest approval among those after it is earlier than its own (one pass, not a pair loop).
    late: set[int] = set()
    earliest_after = None
    for update in reversed(approved):
        if earliest_after is not None and earliest_after < update.approved_at:
            late.add(id(update))
        if earliest_after is None or update.approved_at < earliest_after:
            earliest_after = update.approved_at
    for update in updates:
        update.approved_after_later_change = id(update) in late
    return updates


@dataclass
class ReviewChange:
    """One value a waiting update changes: as the item stands now (`before`) and as approving it would set it,
    shown as they are everywhere (status and RAG as tags with words, % complete as a percentage)."""

    label: str
    before: str
    after: str
    changed: bool


def _review_change(label: str, before: object, after: object, show: Callable[[Any], str]) -> ReviewChange:
    return ReviewChange(label, show(before), show(after), changed=before != after)


@dataclass
class WaitingReview:
    """A line of the review queue: the update, its item, and what approving it changes."""

    update: ProgressUpdate
    item: Item
    kind: str  # "Recommendation" or "Action"
    changes: list[ReviewChange]
    moves_nothing: bool  # a later update already sets the position: approving only adds it to the history

    @property
    def submitted(self) -> str:
        """When it was submitted, GOV.UK style: "3 Nov 2026, 9:05am"."""
        local = timezone.localtime(self.update.submitted_at)
        hour = f"{local.hour % 12 or 12}:{local:%M}{'am' if local.hour < 12 else 'pm'}"
        return f"{local.day} {date_format(local, 'M Y')}, {hour}"


def waiting_review(update: ProgressUpdate) -> WaitingReview:
    """What the queue shows of an update from `selectors.reviews_waiting`: status, RAG and (an action's) %
    complete before → after. "Before" is the item's position now, from the update that sets it by the ordering
    rule (`services.position_update_before` is the same comparison, one update at a time)."""
    item = update.item
    changes = [
        _review_change("Status", update.before_status or Status.NOT_STARTED, update.status, status_tag),
        _review_change("RAG", update.before_rag or "", update.rag, rag_tag),
    ]
    if update.action_id is not None and update.percent_complete is not None:
        changes.append(_review_change("Complete", item.percent_complete, update.percent_complete, "{}%".format))
    later = update.before_pk is not None and (
        (update.before_submitted_at, update.before_pk) > (update.submitted_at, update.pk)
    )
    return WaitingReview(
        update=update,
        item=item,
        kind="Recommendation" if update.recommendation_id else "Action",
        changes=changes,
        moves_nothing=later,
    )
