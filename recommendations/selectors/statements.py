"""Reads compiled once a process. A read that every page makes (the membership, the Reviews tab's count, the
tables' filter choices) is the same SQL for every user and council: only its values differ. Building and
compiling it through the ORM costs several times what the database takes to run it, so a `Statement` builds
it once a process (for each database), with a marker where each value goes, and runs that SQL with the
values of the moment. The ORM still writes the SQL: a change to the models or the query is in it next start.

On PostgreSQL the statement is also prepared on the server, once a connection (`PREPARE`, then `EXECUTE` with
the values): planning a statement of several joins and subqueries costs the database more than running it,
and a prepared statement is planned once and its plan kept while the connection lives (connections persist
between requests: CONN_MAX_AGE). A prepared statement belongs to its connection, so a new connection prepares
again; a pooler in transaction mode between the service and PostgreSQL would break this (connect directly).
"""

import itertools
import weakref
from collections.abc import Callable
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet

_FIRST_MARKER = -2_000_000_001  # integer markers count down from here: ids no row has
_NAMES = itertools.count(1)  # each statement's name on the server: ci_statement_<n>
# The statements prepared on each open PostgreSQL connection (the driver's connection object: a new connection
# after a disconnect is a new key, and a closed one drops out).
_PREPARED: "weakref.WeakKeyDictionary[Any, set[str]]" = weakref.WeakKeyDictionary()


class Statement:
    """A read built by `build(**markers)`, compiled once a process, run with `values` for its markers. `kinds`
    names each value and its type (int or str), so that its marker is a value of that type no row holds."""

    def __init__(self, build: Callable[..., QuerySet], **kinds: type) -> None:
        self._build = build
        self._markers = {
            name: _FIRST_MARKER - number if kind is int else f"\x00{name}\x00"
            for number, (name, kind) in enumerate(kinds.items())
        }
        self._compiled: dict[str, tuple[str, tuple[Any, ...]]] = {}
        self._name = f"ci_statement_{next(_NAMES)}"
        self._prepare: dict[str, str] = {}  # database alias -> the PREPARE statement's text

    @property
    def name(self) -> str:
        """Its name on the server, where it is prepared (`EXECUTE <name>(…)` is what a query log shows)."""
        return self._name

    def compiled(self, using: str = DEFAULT_DB_ALIAS) -> tuple[str, tuple[Any, ...]]:
        """The SQL and its parameters, markers included."""
        if using not in self._compiled:
            query = self._build(**self._markers).query
            self._compiled[using] = query.get_compiler(using).as_sql()
        return self._compiled[using]

    def rows(self, using: str = DEFAULT_DB_ALIAS, **values: Any) -> list[tuple[Any, ...]]:
        """The rows, as the database gives them (no model built, no converter applied)."""
        connection = connections[using]
        if connection.vendor == "postgresql":
            return self._executed(using, values)
        sql, params = self.compiled(using)
        by_marker = {marker: values[name] for name, marker in self._markers.items()}
        given = [by_marker.get(param, param) if type(param) in (int, str) else param for param in params]
        with connection.cursor() as cursor:
            cursor.execute(sql, given)
            return cursor.fetchall()

    def _executed(self, using: str, values: dict[str, Any]) -> list[tuple[Any, ...]]:
        """PostgreSQL: EXECUTE the statement prepared on this connection (prepared first where it is not)."""
        from psycopg2.extensions import AsIs

        connection = connections[using]
        with connection.cursor() as cursor:
            prepared = _PREPARED.setdefault(cursor.connection, set())  # the driver's connection the cursor is on
            if self._name not in prepared:
                if using not in self._prepare:
                    # The query's own values become literals; each marker becomes $n, its place in `_markers`.
                    sql, params = self.compiled(using)
                    numbers = {marker: n for n, marker in enumerate(self._markers.values(), start=1)}
                    placed = [
                        AsIs(f"${numbers[param]}") if type(param) in (int, str) and param in numbers else param
                        for param in params
                    ]
                    self._prepare[using] = f"PREPARE {self._name} AS {cursor.mogrify(sql, placed).decode()}"
                # Part of setting up the connection, as Django's own session settings are: on the driver's
                # cursor, so neither a request's query count nor its execute wrappers see it.
                with connection.wrap_database_errors:
                    cursor.cursor.execute(self._prepare[using])
                prepared.add(self._name)
            markers = ", ".join(["%s"] * len(self._markers))
            cursor.execute(f"EXECUTE {self._name}({markers})", [values[name] for name in self._markers])
            return cursor.fetchall()
