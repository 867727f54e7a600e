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
from collections.abc import Callable
from typing import Any, NamedTuple

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import F, QuerySet, TextField, Value
from django.db.models.functions import Coalesce, NullIf

from recommendations import selectors
from recommendations.models import Action, Recommendation
from recommendations.vocabulary import DUE_SOON_DAYS


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


COLUMNS = Item._fields[1:]  # what each read selects, in the order of `Item` (the kind is the read's)

_FIRST_MARKER = -2_000_000_101  # ids no row has (as selectors/statements.py's, below its range)
# The days a read is built for: today's kind (the stored position) and a past day's (the history joined).
_MARKER_DAYS = {True: dt.date(2999, 6, 15), False: dt.date(1999, 6, 15)}


def _values(day: dt.date, interval_months: int) -> dict[str, Any]:
    """What a read's SQL holds of the as-at day, by the rules that work it out (selectors/position.py)."""
    return {
        "day": day,
        "due_until": day + dt.timedelta(days=DUE_SOON_DAYS),
        "cutoff": selectors.end_of_day(day),
        "since": selectors.quiet_since(day, interval_months),
    }


class DayStatement:
    """A read built by `build(council=, day=, interval_months=, engagement=, theme=)`, compiled once a process
    for each kind of day (today or past), filter and interval with markers for its values, then run with the
    values of the moment. Compiling checks that every marker is in the SQL's parameters and nothing else is."""

    def __init__(self, build: Callable[..., QuerySet]) -> None:
        self._build = build
        self._compiled: dict[tuple[Any, ...], tuple[str, list[Any], dict[tuple[type, Any], str], Any]] = {}

    @staticmethod
    def _adapted(using: str, value: Any) -> Any:
        """A value as the backend passes it (PostgreSQL: as it is; SQLite: dates and moments as text)."""
        ops = connections[using].ops
        if isinstance(value, dt.datetime):
            return ops.adapt_datetimefield_value(value)
        if isinstance(value, dt.date):
            return ops.adapt_datefield_value(value)
        return value

    def _compile(self, key: tuple[Any, ...]) -> tuple[str, list[Any], dict[tuple[type, Any], str], Any]:
        using, today, interval_months, filtered = key
        ids = {name: _FIRST_MARKER - number for number, name in enumerate(("council", "engagement", "theme"))}
        markers: dict[str, Any] = {name: ids[name] for name in ("council", *filtered)}
        markers.update(_values(_MARKER_DAYS[today], interval_months))
        queryset = self._build(
            council=ids["council"],
            day=markers["day"],
            interval_months=interval_months,
            engagement=markers.get("engagement"),
            theme=markers.get("theme"),
        )
        compiler = queryset.query.get_compiler(using)
        sql, params = compiler.as_sql()
        by_marker = {}
        for name, marker in markers.items():
            for form in {marker, self._adapted(using, marker)}:
                by_marker[(type(form), form)] = name
        found = {by_marker[(type(param), param)] for param in params if (type(param), param) in by_marker}
        if found != set(markers):  # a value the rules work out differently: never run a read that ignores one
            raise RuntimeError(f"The dashboard's read does not hold {sorted(set(markers) - found)} as parameters")
        return sql, list(params), by_marker, compiler

    def rows(
        self,
        *,
        council: int,
        day: dt.date,
        interval_months: int,
        engagement: int | None = None,
        theme: int | None = None,
        using: str = DEFAULT_DB_ALIAS,
    ) -> list[tuple[Any, ...]]:
        """The rows for these values, as the queryset's `values_list` gives them (its converters applied)."""
        filters = {"engagement": engagement, "theme": theme}
        filtered = tuple(name for name, value in filters.items() if value is not None)
        key = (using, day >= selectors.local_today(), interval_months, filtered)
        if key not in self._compiled:
            self._compiled[key] = self._compile(key)
        sql, params, by_marker, compiler = self._compiled[key]
        values = {"council": council, **filters, **_values(day, interval_months)}
        given = [self._given(using, param, by_marker, values) for param in params]
        with connections[using].cursor() as cursor:
            cursor.execute(sql, given)
            results = cursor.fetchall()
        return list(compiler.results_iter(results=[results], tuple_expected=True))

    def _given(self, using: str, param: Any, by_marker: dict[tuple[type, Any], str], values: dict[str, Any]) -> Any:
        """The parameter, or the value of the moment in place of its marker (as the backend adapts it, where
        the marker was)."""
        name = by_marker.get((type(param), param))
        if name is None:
            return param
        value = values[name]
        return value if type(param) is type(value) else self._adapted(using, value)


# --- the reads -------------------------------------------------------------------------------------------


def _positioned(queryset: QuerySet, day: dt.date, interval_months: int) -> QuerySet:
    """The items with their position as at the end of `day` and every flag the dashboard counts: what the
    scoped selectors give (`recommendations_for`, `actions_for`) and the tables' filters' rules."""
    queryset = selectors.with_position(queryset, as_at=day)
    queryset = selectors.with_attention_flags(queryset, as_at=day, interval_months=interval_months)
    return queryset


def _flagged(queryset: QuerySet, day: dt.date) -> QuerySet:
    """The lead's RAG against the owner's, and whether they are due soon or have moved."""
    return selectors.with_due_flags(selectors.with_rag_sign_off(queryset, as_at=day), as_at=day)


def _recommendations(
    *, council: int, day: dt.date, interval_months: int, engagement: int | None, theme: int | None
) -> QuerySet:
    queryset = _positioned(Recommendation.objects.filter(engagement__council_id=council), day, interval_months)
    if engagement is not None:
        queryset = queryset.filter(engagement_id=engagement)
    if theme is not None:  # the theme the recommendation had on the day
        queryset = queryset.filter(position_theme_id=theme)
    return (
        _flagged(queryset, day)
        .annotate(summary=Coalesce(NullIf(F("heading"), Value("")), F("text"), output_field=TextField()))
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
        _flagged(queryset, day)
        .annotate(engagement_id=F("recommendation__engagement_id"), summary=F("description"))
        .order_by("recommendation__engagement__first_onsite_day", "recommendation__position", "position", "pk")
        .values_list(*COLUMNS)
    )


RECOMMENDATIONS = DayStatement(_recommendations)
ACTIONS = DayStatement(_actions)


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
    recommendations = [Item("Recommendation", *row) for row in RECOMMENDATIONS.rows(**values)]
    actions = [Item("Action", *row) for row in ACTIONS.rows(**values)]
    return recommendations, actions
