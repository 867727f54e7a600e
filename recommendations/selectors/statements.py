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
from django.db.models import QuerySet

_FIRST_MARKER = -2_000_000_001  # integer markers count down from here: ids no row has
# Dates and moments no row holds (before the service existed), one a day or an hour apart.
_FIRST_DAY = dt.date(1901, 1, 1)
_FIRST_MOMENT = dt.datetime(1902, 1, 1, tzinfo=dt.UTC)
KINDS = (int, str, dt.date, dt.datetime)
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
        self._name = f"ci_statement_{next(_NAMES)}"
        self._prepare: dict[str, str] = {}  # database alias -> the PREPARE statement's text

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

    def _executed(self, using: str, values: dict[str, Any]) -> list[tuple[Any, ...]]:
        """PostgreSQL: EXECUTE the statement prepared on this connection (prepared first where it is not)."""
        from psycopg2.extensions import AsIs

        connection = connections[using]
        with connection.cursor() as cursor:
            prepared = _PREPARED.setdefault(cursor.connection, set())  # the driver's connection the cursor is on
            if self._name not in prepared:
                if using not in self._prepare:
                    # The query's own values become literals; each marker becomes $n, its place among those used.
                    compiled = self._compiled_for(using)
                    numbers = {name: n for n, name in enumerate(compiled.used, start=1)}
                    placed = [
                        AsIs(f"${numbers[compiled.by_marker[param]]}")
                        if type(param) in KINDS and param in compiled.by_marker
                        else param
                        for param in compiled.params
                    ]
                    self._prepare[using] = f"PREPARE {self._name} AS {cursor.mogrify(compiled.sql, placed).decode()}"
                # Part of setting up the connection, as Django's own session settings are: on the driver's
                # cursor, so neither a request's query count nor its execute wrappers see it.
                with connection.wrap_database_errors:
                    cursor.cursor.execute(self._prepare[using])
                prepared.add(self._name)
            used = self._compiled_for(using).used  # a marker the SQL does not hold has no $n (no type to infer)
            markers = ", ".join(["%s"] * len(used))
            cursor.execute(
                f"EXECUTE {self._name}({markers})" if used else f"EXECUTE {self._name}", [values[n] for n in used]
            )
            return cursor.fetchall()


PAGE = ("limit", "offset")  # the values of a paged statement that its build does not take
