"""Reads compiled once a process. A read that every page makes (the membership, the Reviews tab's count, the
tables' filter choices, the tables' page of rows for each shape of filters and sort) is the same SQL for every user
and council: only its values differ. Building and compiling it through the ORM costs several times what the
database takes to run it, so a `Statement` builds it once a process (for each database), with a marker where each
value goes, and runs that SQL with the values of the moment. The ORM still writes the SQL: a change to the models
or the query is in it next start.
"""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet

_FIRST_MARKER = -2_000_000_001  # integer markers count down from here: ids no row has
# Dates and moments no row holds (before the service existed), one a day or an hour apart.
_FIRST_DAY = dt.date(1901, 1, 1)
_FIRST_MOMENT = dt.datetime(1902, 1, 1, tzinfo=dt.UTC)
KINDS = (int, str, dt.date, dt.datetime)


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


class _Compiled:
    """A statement's SQL for one database: its parameters (markers included), which value each marker takes, the
    names of its columns and the converters of those that need one (Django's, as a queryset applies them)."""

    def __init__(self, queryset: QuerySet, markers: dict[str, Any], using: str) -> None:
        connection = connections[using]
        compiler = queryset.query.get_compiler(using)
        self.sql, self.params = compiler.as_sql()
        self.by_marker = {self.adapt(connection, marker): name for name, marker in markers.items()}
        self.names = tuple(alias or column.target.attname for column, _sql, alias in compiler.select)
        self.converters = compiler.get_converters([column for column, _sql, _alias in compiler.select])

    @staticmethod
    def adapt(connection: Any, value: Any) -> Any:
        """A value as the backend takes it (SQLite compares dates and moments as text, moments in UTC)."""
        if type(value) is dt.datetime:
            return connection.ops.adapt_datetimefield_value(value)
        if type(value) is dt.date:
            return connection.ops.adapt_datefield_value(value)
        return value


class Statement:
    """A read built by `build(**markers)`, compiled once a process, run with `values` for its markers. `kinds`
    names each value and its type (int, str, date or datetime), so that its marker is a value of that type no
    row holds."""

    def __init__(self, build: Callable[..., QuerySet], **kinds: type) -> None:
        self._build = build
        self._markers = {name: _marker(name, kind, number) for number, (name, kind) in enumerate(kinds.items())}
        self._compiled: dict[str, _Compiled] = {}

    def _compiled_for(self, using: str) -> _Compiled:
        if using not in self._compiled:
            self._compiled[using] = _Compiled(self._build(**self._markers), self._markers, using)
        return self._compiled[using]

    def compiled(self, using: str = DEFAULT_DB_ALIAS) -> tuple[str, tuple[Any, ...]]:
        """The SQL and its parameters, markers included."""
        compiled = self._compiled_for(using)
        return compiled.sql, compiled.params

    def names(self, using: str = DEFAULT_DB_ALIAS) -> tuple[str, ...]:
        """The names of the columns, as `values()` names them (for a statement built as `values(...)`)."""
        return self._compiled_for(using).names

    def rows(
        self, using: str = DEFAULT_DB_ALIAS, *, tail: str = "", tail_params: tuple[Any, ...] = (), **values: Any
    ) -> list[tuple[Any, ...]]:
        """The rows, as the database gives them (no model built, no converter applied). `tail` is SQL added at the
        end (`LIMIT %s OFFSET %s`), with its own parameters."""
        compiled = self._compiled_for(using)
        connection = connections[using]
        by_marker = {marker: compiled.adapt(connection, values[name]) for marker, name in compiled.by_marker.items()}
        given = [by_marker.get(param, param) if type(param) in KINDS else param for param in compiled.params]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql + tail, [*given, *tail_params])
            return cursor.fetchall()

    def records(self, using: str = DEFAULT_DB_ALIAS, **options: Any) -> list[tuple[Any, ...]]:
        """The rows with Django's converters applied (dates, moments and booleans as a queryset gives them on
        every database), in the order of `names`."""
        rows = self.rows(using, **options)
        converters = self._compiled_for(using).converters
        if not converters:
            return rows
        connection = connections[using]
        converted = []
        for row in rows:
            values = list(row)
            for position, (functions, expression) in converters.items():
                value = values[position]
                for function in functions:
                    value = function(value, expression, connection)
                values[position] = value
            converted.append(tuple(values))
        return converted
