"""Reads compiled once a process. A read that every page makes (the membership, the Reviews tab's count, the
tables' filter choices, the tables' page of rows for each shape of filters and sort) is the same SQL for every user
and council: only its values differ. Building and compiling it through the ORM costs several times what the
database takes to run it, so a `Statement` builds it once a process (for each database), with a marker where each
value goes, and runs that SQL with the values of the moment. The ORM still writes the SQL: a change to the models
or the query is in it next start.

On PostgreSQL the statement is also prepared on the server, once a connection (`PREPARE`, then `EXECUTE` with
the values): planning a statement of several joins and subqueries costs the database more than running it,
and a prepared statement is planned once and its plan kept while the connection lives (connections persist
between requests: CONN_MAX_AGE). A prepared statement belongs to its connection, so a new connection prepares
again; a pooler in transaction mode between the service and PostgreSQL would break this (connect directly).
"""

import datetime as dt
import itertools
import weakref
from collections.abc import Callable
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators

_FIRST_MARKER = -2_000_000_001  # integer markers count down from here: ids no row has
# Dates and moments no row holds (before the service existed), one a day or an hour apart.
_FIRST_DAY = dt.date(1901, 1, 1)
_FIRST_MOMENT = dt.datetime(1902, 1, 1, tzinfo=dt.UTC)
KINDS = (int, str, dt.date, dt.datetime)
# The extra value of a read as at a past date, beside the same read as at today (which needs none): its cut-off.
AS_AT_VALUES: dict[bool, dict[str, type]] = {False: {}, True: {"cutoff": dt.datetime}}
_NAMES = itertools.count(1)  # each statement's name on the server: ci_statement_<n>
# The statements prepared on each open PostgreSQL connection (the driver's connection object: a new connection
# after a disconnect is a new key, and a closed one drops out).
_PREPARED: "weakref.WeakKeyDictionary[Any, set[str]]" = weakref.WeakKeyDictionary()


def _marker(name: str, kind: type, number: int) -> Any:
    if kind is int:
        return _FIRST_MARKER - number
    if kind is str:
        return f"\x00{name}\x00"
    if kind is dt.date:
        return _FIRST_DAY + dt.timedelta(days=number)
    if kind is dt.datetime:
        return _FIRST_MOMENT + dt.timedelta(hours=number)
    raise TypeError(f"A statement's value is one of {KINDS}, not {kind}")


def _adapt(connection: Any, value: Any) -> Any:
    """A value as the backend takes it (SQLite compares dates and moments as text, moments in UTC)."""
    if type(value) is dt.datetime:
        return connection.ops.adapt_datetimefield_value(value)
    if type(value) is dt.date:
        return connection.ops.adapt_datefield_value(value)
    return value


class _Compiled:
    """A statement's SQL for one database: its parameters (markers included), which value each marker takes, the
    names of its columns and the converters of those that need one (Django's, as a queryset applies them)."""

    def __init__(self, queryset: QuerySet, markers: dict[str, Any], using: str, *, paged: bool) -> None:
        connection = connections[using]
        compiler = queryset.query.get_compiler(using)
        sql, params = compiler.as_sql()
        if paged:  # the page's rows: LIMIT and OFFSET are values too (the ORM writes a slice's numbers in the SQL)
            sql, params = f"{sql} LIMIT %s OFFSET %s", (*params, markers["limit"], markers["offset"])
        self.sql, self.params = sql, tuple(params)
        self.by_marker = {_adapt(connection, marker): name for name, marker in markers.items()}
        given = {param for param in params if type(param) in KINDS}
        self.used = tuple(name for name, marker in markers.items() if _adapt(connection, marker) in given)
        self.names = tuple(alias or column.target.attname for column, _sql, alias in compiler.select)
        self.converters = compiler.get_converters([column for column, _sql, _alias in compiler.select])
        self.compiler = compiler  # what `Statement.instances` builds models by (its select, related classes)


class Statement:
    """A read built by `build(**markers)`, compiled once a process, run with `values` for its markers. `kinds`
    names each value and its type (int, str, date or datetime), so that its marker is a value of that type no
    row holds. `paged`: the rows are read a page at a time, the values `limit` and `offset` saying which."""

    def __init__(self, build: Callable[..., QuerySet], *, paged: bool = False, **kinds: type) -> None:
        self._build = build
        self._paged = paged
        if paged:
            kinds = {**kinds, "limit": int, "offset": int}
        self._markers = {name: _marker(name, kind, number) for number, (name, kind) in enumerate(kinds.items())}
        self._compiled: dict[str, _Compiled] = {}
        self._name = statement_name()

    @property
    def name(self) -> str:
        """Its name on the server, where it is prepared (`EXECUTE <name>(…)` is what a query log shows)."""
        return self._name

    def _compiled_for(self, using: str) -> _Compiled:
        if using not in self._compiled:
            queryset = self._build(**{name: self._markers[name] for name in self._markers if name not in PAGE})
            self._compiled[using] = _Compiled(queryset, self._markers, using, paged=self._paged)
        return self._compiled[using]

    def compiled(self, using: str = DEFAULT_DB_ALIAS) -> tuple[str, tuple[Any, ...]]:
        """The SQL and its parameters, markers included."""
        compiled = self._compiled_for(using)
        return compiled.sql, compiled.params

    def names(self, using: str = DEFAULT_DB_ALIAS) -> tuple[str, ...]:
        """The names of the columns, as `values()` names them (for a statement built as `values(...)`)."""
        return self._compiled_for(using).names

    def rows(self, using: str = DEFAULT_DB_ALIAS, **values: Any) -> list[tuple[Any, ...]]:
        """The rows, as the database gives them (no model built, no converter applied)."""
        connection = connections[using]
        if connection.vendor == "postgresql":
            return self._executed(using, values)
        compiled = self._compiled_for(using)
        by_marker = {marker: _adapt(connection, values[name]) for marker, name in compiled.by_marker.items()}
        given = [by_marker.get(param, param) if type(param) in KINDS else param for param in compiled.params]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, given)
            return cursor.fetchall()

    def records(self, using: str = DEFAULT_DB_ALIAS, **values: Any) -> list[tuple[Any, ...]]:
        """The rows with Django's converters applied (dates, moments and booleans as a queryset gives them on
        every database), in the order of `names`."""
        rows = self.rows(using, **values)
        converters = self._compiled_for(using).converters
        if not converters:
            return rows
        connection = connections[using]
        converted = []
        for row in rows:
            values_ = list(row)
            for position, (functions, expression) in converters.items():
                value = values_[position]
                for function in functions:
                    value = function(value, expression, connection)
                values_[position] = value
            converted.append(tuple(values_))
        return converted

    def instances(self, using: str = DEFAULT_DB_ALIAS, **values: Any) -> list[Model]:
        """The rows as model instances, as the queryset gives them (the models its select_related names, and its
        annotations, set on each), built by the steps Django's own iteration of a queryset takes."""
        compiler = self._compiled_for(using).compiler
        select, klass_info, annotations = compiler.select, compiler.klass_info, compiler.annotation_col_map
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        init_list = [column[0].target.attname for column in select[start:end]]
        populators = get_related_populators(klass_info, select, using)
        model = klass_info["model"]
        instances = []
        for row in self.records(using, **values):  # converted as the queryset's own iteration converts them
            instance = model.from_db(using, init_list, row[start:end])
            for populator in populators:
                populator.populate(row, instance)
            for name, position in (annotations or {}).items():
                setattr(instance, name, row[position])
            instances.append(instance)
        return instances

    def _executed(self, using: str, values: dict[str, Any]) -> list[tuple[Any, ...]]:
        """PostgreSQL: the statement run prepared (`run_prepared`), each marker its SQL holds a value."""
        compiled = self._compiled_for(using)
        return run_prepared(
            using,
            self._name,
            compiled.sql,
            compiled.params,
            marker=lambda param: compiled.by_marker.get(param) if type(param) in KINDS else None,
            order=compiled.used,  # a marker the SQL does not hold has no $n (PostgreSQL could not type it)
            values=values,
        )


def statement_name(prefix: str = "ci_statement") -> str:
    """A new name for a statement prepared on the server, unique in the process."""
    return f"{prefix}_{next(_NAMES)}"


def run_prepared(
    using: str,
    name: str,
    sql: str,
    params: tuple[Any, ...] | list[Any],
    *,
    marker: Callable[[Any], str | None],
    order: tuple[str, ...],
    values: dict[str, Any],
) -> list[tuple[Any, ...]]:
    """PostgreSQL: EXECUTE the statement `name` with `values`, preparing it on this connection first where it is
    not (docs/adr/014). `sql` is prepared with each of its `params` for which `marker(param)` names a value as
    `$n`, n that name's place in `order`, and the others as literals; it is the same SQL for a name every time."""
    from psycopg2.extensions import AsIs

    connection = connections[using]
    with connection.cursor() as cursor:
        prepared = _PREPARED.setdefault(cursor.connection, set())  # the driver's connection the cursor is on
        if name not in prepared:
            numbers = {value_name: n for n, value_name in enumerate(order, start=1)}
            placed = [AsIs(f"${numbers[marker(param)]}") if marker(param) else param for param in params]
            # Part of setting up the connection, as Django's own session settings are: on the driver's cursor,
            # so neither a request's query count nor its execute wrappers see it.
            with connection.wrap_database_errors:
                cursor.cursor.execute(f"PREPARE {name} AS {cursor.mogrify(sql, placed).decode()}")
            prepared.add(name)
        arguments = f"({', '.join(['%s'] * len(order))})" if order else ""
        cursor.execute(f"EXECUTE {name}{arguments}", [values[value_name] for value_name in order])
        return cursor.fetchall()


PAGE = ("limit", "offset")  # the values of a paged statement that its build does not take
