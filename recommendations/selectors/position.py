"""Position at a date (DESIGN.md §2 "As at a date D"): every value of a recommendation or action as it stood
at the end of a day in Europe/London, as annotations on a queryset, so that every page, table, export,
chart and report reads one mechanism.

- Status, RAG and the update's text come from the approved updates: of those approved by the cut-off, the
  one submitted last (`ProgressUpdate.objects.approved`). Today's are stored on the item
  (`services.positions_refresh`, docs/adr/010-stored-positions.md) and read with the row; a past date's
  update is joined once to each row through the ordering rule's index (`latest.py`).
- The due date is the one in force: the value the first later `DueDateChange` replaced, else today's.
- % complete, owner, theme and lead directorate come from the item's history (django-simple-history): its
  latest record dated before the cut-off, else (no record by then) today's value. An action's theme and
  lead directorate are those of its recommendation's record. Names come through the same record, joined to
  the user, theme or directorate, so a page needs no query per row.

As at today (or later) the history's latest record is the row itself, so those annotations read the
columns (the same values, without the subqueries): the names stay the same whatever the date.
"""

import datetime as dt
from functools import partial
from typing import TypeVar
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    DateField,
    DateTimeField,
    Expression,
    F,
    Field,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.expressions import Col
from django.db.models.functions import Coalesce, Concat, NullIf, Trim
from django.db.models.lookups import IsNull
from django.utils import timezone

from recommendations.models import (
    FINISHED_STATUSES,
    Action,
    ProgressUpdate,
    Rag,
    Recommendation,
    Status,
)
from recommendations.vocabulary import DUE_SOON_DAYS, months_before

from .latest import (
    join_first_later_move,
    join_latest_approved,
    join_record,
    move_column,
    record_column,
    record_join,
    related_column,
    update_column,
)

Item = TypeVar("Item", Recommendation, Action)


def end_of_day(day: dt.date) -> dt.datetime:
    """The first instant after `day` ends in the service's time zone (Europe/London)."""
    zone = ZoneInfo(settings.TIME_ZONE)
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=zone)


def local_today() -> dt.date:
    return timezone.localdate()


def _today_or_later(as_at: dt.date) -> bool:
    """Whether the position as at `as_at` is today's (or later): the one stored on each item."""
    return as_at >= local_today()


def latest_approved(model: type[Recommendation] | type[Action], *, as_at: dt.date) -> QuerySet[ProgressUpdate]:
    """The approved updates of the outer item (`OuterRef("pk")`) that count at the end of `as_at`, the one
    that sets its position first (the ordering rule, `ProgressUpdate.objects.approved`): for subqueries."""
    link = "recommendation" if model is Recommendation else "action"
    return ProgressUpdate.objects.approved(before=end_of_day(as_at)).filter(**{link: OuterRef("pk")})


def with_position_text(
    queryset: QuerySet[Item], *, as_at: dt.date | None = None, moment: dt.datetime | None = None, **fields: str
) -> QuerySet[Item]:
    """Annotate each item with text fields of the update that sets its position as at `as_at` (or `moment`:
    the one `with_position` takes status and RAG from), `name=field`: e.g. `position_rag_reason="rag_reason"`.
    Empty where there is none."""
    day, cutoff = _day_and_cutoff(as_at, moment)
    if moment is None and _today_or_later(day):  # the update the stored position names
        return queryset.annotate(
            **{
                name: Coalesce(F(f"position_update__{field}"), Value(""), output_field=TextField())
                for name, field in fields.items()
            }
        )
    return join_latest_approved(queryset, cutoff=cutoff).annotate(
        **{
            name: Coalesce(update_column(cutoff, field), Value(""), output_field=TextField())
            for name, field in fields.items()
        }
    )


# --- values from the history ------------------------------------------------------------------------


def _person(prefix: str) -> Expression:
    """A user's name as `User.__str__` gives it (full name, else e-mail), through the relation `prefix`;
    NULL where there is no user."""
    return _name_of(F(f"{prefix}first_name"), F(f"{prefix}last_name"), F(f"{prefix}email"))


def _name_of(first: Expression, last: Expression, email: Expression) -> Expression:
    full_name = Trim(Concat(first, Value(" "), last, output_field=CharField()))
    return Coalesce(NullIf(full_name, Value("")), email, output_field=CharField())


def _join_records(queryset: QuerySet[Item], cutoff: dt.datetime) -> QuerySet[Item]:
    """As at a past moment (`cutoff`, the first instant not counted): the item's history record in force then,
    and (for an action) its recommendation's, joined once each with what they name
    (recommendations/selectors/latest.py)."""
    is_action = queryset.model is Action
    queryset = join_record(queryset, model=queryset.model, parent_column="id", cutoff=cutoff)
    queryset = record_join(queryset, model=queryset.model, cutoff=cutoff, relation="owner")
    if is_action:
        queryset = join_record(queryset, model=Recommendation, parent_column="recommendation_id", cutoff=cutoff)
    for relation in ("theme", "lead_directorate"):
        queryset = record_join(queryset, model=Recommendation, cutoff=cutoff, relation=relation)
    return queryset


def _recorded_values(model: type[Item], cutoff: dt.datetime | None) -> dict[str, Expression]:
    """The annotations for owner, theme, lead directorate and (actions) % complete as at the end of `day`.

    As at a past moment (`cutoff`; None for today's stored values), from the history record in force then
    (`_join_records`), else (no record by then) today's value. A record whose owner, theme or directorate was
    empty, or names one since deleted, gives NULL: never today's."""
    is_action = model is Action
    plan = "recommendation__" if is_action else ""  # the path to the recommendation's own columns
    if cutoff is None:
        values = {
            "position_owner_id": F("owner_id"),
            "position_owner_name": _person("owner__"),
            "position_owner_email": F("owner__email"),
            "position_theme_id": F(f"{plan}theme_id"),
            "position_theme_name": F(f"{plan}theme__name"),
            "position_lead_directorate_id": F(f"{plan}lead_directorate_id"),
            "position_lead_directorate_name": F(f"{plan}lead_directorate__name"),
        }
        if is_action:
            values["position_percent_complete"] = F("percent_complete")
        return values

    def on_record(owner: type[Item], value: Expression, current: Expression, output: Field) -> Expression:
        """`value` where the item has a record by then (NULL if it names nothing), else `current`."""
        return Case(
            When(IsNull(record_column(owner, cutoff, "history_id"), False), then=value),
            default=current,
            output_field=output,
        )

    def named(owner: type[Item], relation: str, column: str) -> Col:
        return related_column(owner, cutoff, relation, column)

    own: type[Item] = model
    values = {
        "position_owner_id": on_record(own, named(own, "owner", "id"), F("owner_id"), IntegerField()),
        "position_owner_name": on_record(
            own,
            _name_of(named(own, "owner", "first_name"), named(own, "owner", "last_name"), named(own, "owner", "email")),
            _person("owner__"),
            CharField(),
        ),
        "position_owner_email": on_record(own, named(own, "owner", "email"), F("owner__email"), CharField()),
        "position_theme_id": on_record(
            Recommendation, named(Recommendation, "theme", "id"), F(f"{plan}theme_id"), IntegerField()
        ),
        "position_theme_name": on_record(
            Recommendation, named(Recommendation, "theme", "name"), F(f"{plan}theme__name"), CharField()
        ),
        "position_lead_directorate_id": on_record(
            Recommendation,
            named(Recommendation, "lead_directorate", "id"),
            F(f"{plan}lead_directorate_id"),
            IntegerField(),
        ),
        "position_lead_directorate_name": on_record(
            Recommendation,
            named(Recommendation, "lead_directorate", "name"),
            F(f"{plan}lead_directorate__name"),
            CharField(),
        ),
    }
    if is_action:
        values["position_percent_complete"] = Coalesce(
            record_column(Action, cutoff, "percent_complete"), F("percent_complete"), output_field=IntegerField()
        )
    return values


# --- the position -----------------------------------------------------------------------------------


def _day_and_cutoff(as_at: dt.date | None, moment: dt.datetime | None) -> tuple[dt.date, dt.datetime]:
    """The day a position is as at (its local date, for a moment) and the first instant that does not count."""
    if moment is not None:
        return timezone.localdate(moment), moment
    day = as_at or local_today()
    return day, end_of_day(day)


def with_position(
    queryset: QuerySet[Item], *, as_at: dt.date | None = None, moment: dt.datetime | None = None
) -> QuerySet[Item]:
    """Annotate each item with its position as at the end of `as_at` (today by default), or, given `moment`,
    as at that instant: only what was approved or changed before it counts (a round's report, as at the moment
    the round closed), overdue then meaning due before its day.

    Only items that existed by then are kept. Each gets `position_status`, `position_rag` (the
    assurance RAG where recorded, else the owner's; empty when never assessed), `position_updated_at`
    (when that update was approved), `position_due_date` (the due date in force), `is_overdue`, and from
    the history `position_owner_id`, `position_owner_name`, `position_owner_email`, `position_theme_id`,
    `position_theme_name`, `position_lead_directorate_id`, `position_lead_directorate_name` (for an action,
    its recommendation's) and, for actions, `position_percent_complete`. Names are None where there is
    none. An update approved, or a change made, after `as_at` never counts.
    """
    day, cutoff = _day_and_cutoff(as_at, moment)
    return position_at(queryset, day=day, cutoff=cutoff, stored=moment is None and _today_or_later(day))


def position_at(queryset: QuerySet[Item], *, day: dt.date, cutoff: dt.datetime, stored: bool) -> QuerySet[Item]:
    """`with_position` given its moments: the day overdue is counted at, the first instant not counted, and
    whether the position is the one stored on each item (as at today), which reads no history. The tables build
    their statements with it (each moment a value of the statement)."""
    if stored:
        # Today's position is stored on the item (services.positions_refresh), so it is read with the row;
        # no due date has moved after today.
        return _with_overdue(
            queryset.filter(created_at__lt=cutoff).annotate(
                position_status=F("status"),
                position_rag=F("rag"),
                position_updated_at=F("position_update__approved_at"),
                position_due_date=F("due_date"),
                **_recorded_values(queryset.model, None),
            ),
            day,
        )
    # The update that sets the position then, and the first later move of the due date, each joined once
    # (recommendations/selectors/latest.py): the due date in force at the cut-off is the one that move replaced,
    # else today's.
    update = partial(update_column, cutoff)
    queryset = _join_records(queryset.filter(created_at__lt=cutoff), cutoff)
    queryset = join_first_later_move(join_latest_approved(queryset, cutoff=cutoff), cutoff=cutoff)
    return _with_overdue(
        queryset.annotate(
            position_status=Coalesce(update("status"), Value(Status.NOT_STARTED), output_field=CharField()),
            position_rag=Coalesce(
                NullIf(update("assurance_rag"), Value("")), update("rag"), Value(""), output_field=CharField()
            ),
            position_updated_at=update("approved_at"),
            position_due_date=Case(
                When(IsNull(move_column(cutoff, "id"), False), then=move_column(cutoff, "previous_due_date")),
                default=F("due_date"),
                output_field=DateField(),
            ),
            **_recorded_values(queryset.model, cutoff),
        ),
        day,
    )


def _with_overdue(queryset: QuerySet[Item], day: dt.date) -> QuerySet[Item]:
    return queryset.annotate(
        is_overdue=Case(
            When(Q(position_due_date__lt=day) & ~Q(position_status__in=FINISHED_STATUSES), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


def with_rag_sign_off(queryset: QuerySet[Item], *, as_at: dt.date) -> QuerySet[Item]:
    """Annotate items (already `with_position` at `as_at`) with the RAG their owner gave in the update that
    sets their position (`position_owner_rag`) and whether the lead who signed it off recorded a different
    one (`rag_disagreement`)."""
    return rag_sign_off_at(queryset, cutoff=end_of_day(as_at), stored=_today_or_later(as_at))


def rag_sign_off_at(queryset: QuerySet[Item], *, cutoff: dt.datetime, stored: bool) -> QuerySet[Item]:
    """`with_rag_sign_off` given its moments (`position_at`'s)."""
    if stored:
        owner_rag = Coalesce(F("position_update__rag"), Value(""), output_field=CharField())
    else:
        queryset = join_latest_approved(queryset, cutoff=cutoff)
        owner_rag = Coalesce(update_column(cutoff, "rag"), Value(""), output_field=CharField())
    return queryset.annotate(position_owner_rag=owner_rag).annotate(
        rag_disagreement=Case(
            When(~Q(position_owner_rag="") & ~Q(position_rag=F("position_owner_rag")), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


# --- due soon and moved: one rule for the tables' filters and the dashboard's counts ------------------


def due_soon(as_at: dt.date, until: dt.date | None = None) -> Q:
    """Items (`with_position` at `as_at`) due within DUE_SOON_DAYS of the date (`until`, where given, is that
    last day: `due_soon_until(as_at)`), that day included, and not finished."""
    until = due_soon_until(as_at) if until is None else until
    return Q(position_due_date__gte=as_at, position_due_date__lte=until) & ~Q(position_status__in=FINISHED_STATUSES)


def due_soon_until(as_at: dt.date) -> dt.date:
    """The last day `due_soon` counts from `as_at`."""
    return as_at + dt.timedelta(days=DUE_SOON_DAYS)


def moved() -> Q:
    """Items (`with_position`) whose due date in force differs from the first one set."""
    return Q(position_due_date__isnull=False, baseline_due_date__isnull=False) & ~Q(
        position_due_date=F("baseline_due_date")
    )


def with_due_flags(queryset: QuerySet[Item], *, as_at: dt.date) -> QuerySet[Item]:
    """Annotate items (already `with_position` at `as_at`) with `is_due_soon` and `is_moved`."""
    return queryset.annotate(
        is_due_soon=Case(When(due_soon(as_at), then=Value(True)), default=Value(False), output_field=BooleanField()),
        is_moved=Case(When(moved(), then=Value(True)), default=Value(False), output_field=BooleanField()),
    )


# --- what stands out: overdue but rated Green, and no approved update for longer than the interval ----


def quiet_since(as_at: dt.date, interval_months: int) -> dt.datetime:
    """The moment from which an open item needs an approved update to be current at the end of `as_at`: the
    start of the same day `interval_months` months earlier. One with none since is flagged. (Never before the
    second day of the year 1, which the database can still hold in UTC.)"""
    day = max(months_before(as_at, interval_months), dt.date(1, 1, 2))
    return dt.datetime.combine(day, dt.time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def overdue_green() -> Q:
    """Items (`with_position`) overdue at the date yet rated Green (on track): a rating to look at again."""
    return Q(is_overdue=True, position_rag=Rag.GREEN)


def with_attention_flags(queryset: QuerySet[Item], *, as_at: dt.date, interval_months: int) -> QuerySet[Item]:
    """Annotate items (already `with_position` at `as_at`) with what should stand out, as at the end of that
    day: `last_approved_at` (the last approval of an update on it by then, whatever it set), `is_overdue_green`
    (overdue yet rated Green) and `is_stale`: open (neither Complete nor Closed), in the plan for longer than
    the council's update interval, and no update approved in that time. A correlated subquery: the number of
    queries does not grow with the items."""
    return attention_flags_at(queryset, cutoff=end_of_day(as_at), since=quiet_since(as_at, interval_months))


def attention_flags_at(queryset: QuerySet[Item], *, cutoff: dt.datetime, since: dt.datetime) -> QuerySet[Item]:
    """`with_attention_flags` given its moments: the first instant not counted and `quiet_since`'s."""
    link = "recommendation" if queryset.model is Recommendation else "action"
    # The latest first, one row: a descent of the (item, approved_at) index, where MAX over a GROUP BY read every
    # approval of the item (and the flags below repeat the subquery where they use it).
    approvals = (
        ProgressUpdate.objects.filter(
            review_state=ProgressUpdate.ReviewState.APPROVED, approved_at__lt=cutoff, **{link: OuterRef("pk")}
        )
        .order_by("-approved_at")
        .values("approved_at")
    )
    return queryset.annotate(last_approved_at=Subquery(approvals[:1], output_field=DateTimeField())).annotate(
        is_overdue_green=Case(
            When(overdue_green(), then=Value(True)), default=Value(False), output_field=BooleanField()
        ),
        is_stale=Case(
            When(stale(since), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


def stale(since: dt.datetime) -> Q:
    """Items (`with_attention_flags`) open, in the plan before `since`, and with no update approved from then."""
    return (
        Q(created_at__lt=since)
        & ~Q(position_status__in=FINISHED_STATUSES)
        & (Q(last_approved_at__isnull=True) | Q(last_approved_at__lt=since))
    )
