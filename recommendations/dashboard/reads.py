"""The dashboard's two reads of the plan (its recommendations and its actions, each with its position as at a
date), compiled once a process.

The dashboard's items are the scoped selectors' (`with_position`, `with_attention_flags`, `with_rag_sign_off`,
`with_due_flags`): the same annotations as the tables'. Building and compiling those annotations through the
ORM cost ten to thirty times what PostgreSQL takes to run them (10 ms of CPU a request as at today, 28 ms as at a
past date, for 1 ms of database), so, as `selectors.statements.Statement` does for the membership, each read is
built once a process with a marker in place of each value and run with the values of the moment. Besides the
council, the engagement and the theme (ids), its values are the as-at day and what the rules work out from it:
the end of that day, the end of the due-soon window and the start of the council's update interval. Those are
dates and moments, and the SQL differs between today (the stored position, read with the row) and a past day
(the history joined), so a read is compiled for each kind of day, each filter used and each update interval.

Each row is read as values into an `Item` (no model instance): what the dashboard counts and lists.
"""

import datetime as dt
import functools
import json
from collections.abc import Callable
from typing import Any, NamedTuple

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import BooleanField, Expression, F, Q, QuerySet, TextField, Value, Window
from django.db.models.functions import Coalesce, NullIf, RowNumber

from recommendations import selectors
from recommendations.models import FINISHED_STATUSES, Action, ProgressUpdate, Rag, Recommendation
from recommendations.selectors.statements import run_prepared, statement_name
from recommendations.vocabulary import DUE_SOON_DAYS, NOT_ASSESSED


class Item(NamedTuple):
    """A recommendation or an action as the dashboard counts and lists it, with its position as at the day."""

    kind: str  # "Recommendation" or "Action"
    pk: int
    engagement_id: int  # an action's: its recommendation's
    created_at: dt.datetime
    reference: str
    summary: str  # what lists show: a recommendation's heading (else its text), an action's description
    baseline_due_date: dt.date | None
    position_status: str
    position_rag: str
    position_owner_rag: str
    position_owner_name: str | None
    position_due_date: dt.date | None
    position_theme_id: int | None
    position_lead_directorate_id: int | None
    position_lead_directorate_name: str | None
    is_overdue: bool
    is_due_soon: bool
    is_moved: bool
    rag_disagreement: bool
    is_overdue_green: bool
    is_stale: bool


# What each read selects: the item's values and its position, then when an update on it was last signed off.
COLUMNS = (*Item._fields[1:15], "last_approved_at")

_FIRST_MARKER = -2_000_000_101  # ids no row has (as selectors/statements.py's, below its range)
# The days a read is built for: today's kind (the stored position) and a past day's (the history joined).
_MARKER_DAYS = {True: dt.date(2999, 6, 15), False: dt.date(1999, 6, 15)}
DAY_VALUES = ("day", "due_until", "cutoff", "since")


def _values(day: dt.date, interval_months: int) -> dict[str, Any]:
    """What a read's SQL holds of the as-at day, by the rules that work it out (selectors/position.py)."""
    return {
        "day": day,
        "due_until": day + dt.timedelta(days=DUE_SOON_DAYS),
        "cutoff": selectors.end_of_day(day),
        "since": selectors.quiet_since(day, interval_months),
    }


class InIds(Expression):
    """`column` is one of a list of ids passed as a single parameter (so the SQL is the same whatever their
    number): `= ANY(%s)` with an array on PostgreSQL, else a JSON array read by `json_each` (SQLite)."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, column: str, ids: Any) -> None:
        super().__init__()
        self.column: Any = F(column)
        self.ids = ids

    def get_source_expressions(self) -> list[Any]:
        return [self.column]

    def set_source_expressions(self, exprs: list[Any]) -> None:
        (self.column,) = exprs

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.column)
        return f"{sql} IN (SELECT value FROM json_each(%s))", [*params, self.ids]  # noqa: S608 - a compiled column

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.column)
        return f"{sql} = ANY(%s)", [*params, self.ids]


class DayStatement:
    """A read built by `build(day=, interval_months=, **ids)`, compiled once a process for each kind of day
    (today or past), each filter used and each update interval, with markers for its values, then run with the
    values of the moment. `ids` names its ids (an id left None leaves its filter out), `lists` its lists of ids
    (`InIds`), `days` which of the day's values its SQL holds. Compiling checks that every marker is among the
    SQL's parameters: a value the rules work out in another way is never left out of a read."""

    def __init__(
        self,
        build: Callable[..., QuerySet],
        *,
        ids: tuple[str, ...] = (),
        lists: tuple[str, ...] = (),
        days: tuple[str, ...] = DAY_VALUES,
    ) -> None:
        self._build, self._ids, self._lists, self._days = build, ids, lists, days
        self._compiled: dict[tuple[Any, ...], tuple[str, list[Any], dict[tuple[type, Any], str], Any]] = {}
        self._names: dict[tuple[Any, ...], str] = {}  # each compiled read's name on the server, where prepared

    @staticmethod
    def _adapted(using: str, value: Any) -> Any:
        """A value as the backend takes it (PostgreSQL: as it is; SQLite: dates and moments as text, lists of
        ids as JSON)."""
        connection = connections[using]
        if isinstance(value, list):
            return value if connection.vendor == "postgresql" else json.dumps(value)
        if isinstance(value, dt.datetime):
            return connection.ops.adapt_datetimefield_value(value)
        if isinstance(value, dt.date):
            return connection.ops.adapt_datefield_value(value)
        return value

    def _compile(self, key: tuple[Any, ...]) -> tuple[str, list[Any], dict[tuple[type, Any], str], Any]:
        using, today, interval_months, given = key
        names = (*self._ids, *self._lists)
        numbered = {name: _FIRST_MARKER - number for number, name in enumerate(names)}
        markers: dict[str, Any] = {name: numbered[name] for name in (*given, *self._lists)}
        day_values = _values(_MARKER_DAYS[today], interval_months)
        markers.update({name: day_values[name] for name in self._days})
        queryset = self._build(
            day=day_values["day"],
            interval_months=interval_months,
            **{name: markers.get(name) for name in names},
        )
        compiler = queryset.query.get_compiler(using)
        sql, params = compiler.as_sql()
        by_marker = {}
        for name, marker in markers.items():
            for form in {marker, self._adapted(using, marker)}:
                by_marker[(type(form), form)] = name
        found = {by_marker[(type(param), param)] for param in params if (type(param), param) in by_marker}
        if found != set(markers):
            raise RuntimeError(f"The dashboard's read does not hold {sorted(set(markers) - found)} as parameters")
        return sql, list(params), by_marker, compiler

    def rows(
        self, *, day: dt.date, interval_months: int = 0, using: str = DEFAULT_DB_ALIAS, **values: Any
    ) -> list[tuple[Any, ...]]:
        """The rows for these values, as the queryset's `values_list` gives them (its converters applied)."""
        given = tuple(name for name in self._ids if values.get(name) is not None)
        key = (using, day >= selectors.local_today(), interval_months, given)
        if key not in self._compiled:
            self._compiled[key] = self._compile(key)
        sql, params, by_marker, compiler = self._compiled[key]
        values.update(_values(day, interval_months))
        connection = connections[using]
        if connection.vendor == "postgresql":
            results = self._executed(using, key, values)
        else:
            with connection.cursor() as cursor:
                cursor.execute(sql, [self._given(using, param, by_marker, values) for param in params])
                results = cursor.fetchall()
        return list(compiler.results_iter(results=[results], tuple_expected=True))

    def _executed(self, using: str, key: tuple[Any, ...], values: dict[str, Any]) -> list[tuple[Any, ...]]:
        """PostgreSQL: the read run prepared on the connection (`selectors.statements.run_prepared`)."""
        sql, params, by_marker, _compiler = self._compiled[key]
        if key not in self._names:
            self._names[key] = statement_name("ci_dashboard")
        return run_prepared(
            using,
            self._names[key],
            sql,
            params,
            marker=lambda param: by_marker.get((type(param), param)),
            order=tuple(sorted(set(by_marker.values()))),
            values=values,
        )

    def _given(self, using: str, param: Any, by_marker: dict[tuple[type, Any], str], values: dict[str, Any]) -> Any:
        """The parameter, or the value of the moment in place of its marker (as the backend takes it)."""
        name = by_marker.get((type(param), param))
        if name is None:
            return param
        value = values[name]
        return value if type(param) is type(value) else self._adapted(using, value)


# --- the reads -------------------------------------------------------------------------------------------


def _positioned(queryset: QuerySet, day: dt.date, interval_months: int) -> QuerySet:
    """The items with their position as at the end of `day`, as the scoped selectors give it
    (`recommendations_for`, `actions_for`): the flags are worked out from it by `_flagged`, rather than in SQL
    where each repeats the due date in force (a subquery on a past day) and the last approval."""
    queryset = selectors.with_position(queryset, as_at=day)
    queryset = selectors.with_attention_flags(queryset, as_at=day, interval_months=interval_months)
    return selectors.with_rag_sign_off(queryset, as_at=day)


def _flagged(kind: str, rows: list[tuple[Any, ...]], day: dt.date, interval_months: int) -> list[Item]:
    """The items with the flags the dashboard counts, by the rules of the tables' filters and of the selectors'
    annotations (selectors/position.py: `_with_overdue`, `due_soon`, `moved`, `with_rag_sign_off`,
    `overdue_green`, `stale`), as at the end of `day`."""
    values = _values(day, interval_months)
    until, since = values["due_until"], values["since"]
    items = []
    for *row, last_approved_at in rows:
        created_at, baseline, status, rag, owner_rag, due = row[2], row[5], row[6], row[7], row[8], row[10]
        is_open = status not in FINISHED_STATUSES
        overdue = is_open and due is not None and due < day
        items.append(
            Item(
                kind,
                *row,
                is_overdue=overdue,
                is_due_soon=is_open and due is not None and day <= due <= until,
                is_moved=due is not None and baseline is not None and due != baseline,
                rag_disagreement=owner_rag != "" and rag != owner_rag,
                is_overdue_green=overdue and rag == Rag.GREEN,
                is_stale=is_open and created_at < since and (last_approved_at is None or last_approved_at < since),
            )
        )
    return items


def _recommendations(
    *, council: int, day: dt.date, interval_months: int, engagement: int | None, theme: int | None
) -> QuerySet:
    queryset = _positioned(Recommendation.objects.filter(engagement__council_id=council), day, interval_months)
    if engagement is not None:
        queryset = queryset.filter(engagement_id=engagement)
    if theme is not None:  # the theme the recommendation had on the day
        queryset = queryset.filter(position_theme_id=theme)
    return (
        queryset.annotate(summary=Coalesce(NullIf(F("heading"), Value("")), F("text"), output_field=TextField()))
        .order_by("engagement__first_onsite_day", "engagement_id", "position", "reference", "pk")
        .values_list(*COLUMNS)
    )


def _actions(
    *, council: int, day: dt.date, interval_months: int, engagement: int | None, theme: int | None
) -> QuerySet:
    queryset = _positioned(Action.objects.filter(recommendation__engagement__council_id=council), day, interval_months)
    if engagement is not None:
        queryset = queryset.filter(recommendation__engagement_id=engagement)
    if theme is not None:  # its recommendation's theme on the day
        queryset = queryset.filter(position_theme_id=theme)
    return (
        queryset.annotate(engagement_id=F("recommendation__engagement_id"), summary=F("description"))
        .order_by("recommendation__engagement__first_onsite_day", "recommendation__position", "position", "pk")
        .values_list(*COLUMNS)
    )


RECOMMENDATIONS = DayStatement(_recommendations, ids=("council", "engagement", "theme"), days=("cutoff",))
ACTIONS = DayStatement(_actions, ids=("council", "engagement", "theme"), days=("cutoff",))


def items_read(
    *, council: int, day: dt.date, interval_months: int, engagement: int | None = None, theme: int | None = None
) -> tuple[list[Item], list[Item]]:
    """The council's recommendations and actions (of one engagement, of one theme on the day, where given) with
    their position as at the end of `day`, each in the order the plan lists them. Two queries."""
    values = {
        "council": council,
        "day": day,
        "interval_months": interval_months,
        "engagement": engagement,
        "theme": theme,
    }
    recommendations = _flagged("Recommendation", RECOMMENDATIONS.rows(**values), day, interval_months)
    actions = _flagged("Action", ACTIONS.rows(**values), day, interval_months)
    return recommendations, actions


# --- the approved updates: the history of the recommendations, the latest of both kinds --------------------


class Approval(NamedTuple):
    """An approved update, as the list of the latest shows it (the item's reference and summary are the
    dashboard's `Item`'s)."""

    approved_at: dt.datetime
    recommendation_id: int | None
    action_id: int | None
    status: str
    rag: str  # the assurance RAG where recorded, else the owner's
    source: str
    reviewer: str  # who signed it off (else its author), as `User.__str__` names them


def _approved(day: dt.date) -> QuerySet:
    return ProgressUpdate.objects.filter(
        review_state=ProgressUpdate.ReviewState.APPROVED, approved_at__lt=selectors.end_of_day(day)
    )


def _effective_rag() -> Expression:
    return Coalesce(NullIf(F("assurance_rag"), Value("")), F("rag"), output_field=TextField())


def _history(*, day: dt.date, interval_months: int, recommendation_ids: Any) -> QuerySet:
    # Each update's rank among its item's submissions (by when it was submitted, a direct change or an import
    # by when it was made; ties by id): the ordering rule's, so the one ranked highest by a moment counts.
    rank = Window(
        RowNumber(),
        partition_by=[F("recommendation_id")],
        order_by=[Coalesce(F("submitted_at"), F("approved_at")).asc(), F("pk").asc()],
    )
    return (
        _approved(day)
        .filter(InIds("recommendation_id", recommendation_ids))
        .annotate(
            rank=rank,
            rag_key=Coalesce(NullIf(_effective_rag(), Value("")), Value(NOT_ASSESSED), output_field=TextField()),
        )
        .order_by("approved_at", "pk")
        .values_list("recommendation_id", "approved_at", "rank", "status", "rag_key")
    )


def _recent(*, day: dt.date, interval_months: int, recommendation_ids: Any, action_ids: Any, limit: int) -> QuerySet:
    # The latest ids first, read from the items' indexes with only the columns that order them, then those few
    # updates with what their lines show.
    latest = (
        _approved(day)
        .filter(Q(InIds("recommendation_id", recommendation_ids)) | Q(InIds("action_id", action_ids)))
        .order_by("-approved_at", "-pk")
        .values("pk")[:limit]
    )
    return (
        ProgressUpdate.objects.filter(pk__in=latest)
        .annotate(effective_rag=_effective_rag())
        .order_by("-approved_at", "-pk")
        .values_list(
            "approved_at",
            "recommendation_id",
            "action_id",
            "status",
            "effective_rag",
            "source",
            "reviewer__first_name",
            "reviewer__last_name",
            "reviewer__email",
            "author__first_name",
            "author__last_name",
            "author__email",
        )
    )


HISTORY = DayStatement(_history, lists=("recommendation_ids",), days=("cutoff",))
_RECENT: dict[int, DayStatement] = {}


def history_read(*, day: dt.date, recommendations: list[Item]) -> list[tuple[int, dt.datetime, int, str, str]]:
    """The recommendations' updates approved by the end of `day`, in the order they were approved: (item,
    approved at, its rank among the item's submissions, status, RAG key). One query."""
    return HISTORY.rows(day=day, recommendation_ids=[item.pk for item in recommendations])


def _name(first: str | None, last: str | None, email: str | None) -> str:
    """A user's name as `User.__str__` gives it: the full name, else the e-mail address."""
    return f"{first} {last}".strip() or email or ""


def recent_read(*, day: dt.date, recommendations: list[Item], actions: list[Item], limit: int) -> list[Approval]:
    """The latest `limit` updates of these items approved by the end of `day`, latest first. One query."""
    if limit not in _RECENT:
        _RECENT[limit] = DayStatement(
            functools.partial(_recent, limit=limit), lists=("recommendation_ids", "action_ids"), days=("cutoff",)
        )
    rows = _RECENT[limit].rows(
        day=day,
        recommendation_ids=[item.pk for item in recommendations],
        action_ids=[item.pk for item in actions],
    )
    sources = dict(ProgressUpdate.Source.choices)
    return [
        Approval(
            approved_at=at,
            recommendation_id=recommendation_id,
            action_id=action_id,
            status=status,
            rag=rag,
            source=str(sources.get(source, source)),
            reviewer=_name(*reviewer) if reviewer[2] is not None else _name(*author),
        )
        for at, recommendation_id, action_id, status, rag, source, *names in rows
        for reviewer, author in [(names[:3], names[3:])]
    ]
