"""Reads compiled once a process. A read that every page makes (the membership, the Reviews tab's count, the
tables' filter choices) is the same SQL for every user and council: only its values differ. Building and
compiling it through the ORM costs several times what the database takes to run it, so a `Statement` builds
it once a process (for each database), with a marker where each value goes, and runs that SQL with the
values of the moment. The ORM still writes the SQL: a change to the models or the query is in it next start.
"""

from collections.abc import Callable
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet

_FIRST_MARKER = -2_000_000_001  # integer markers count down from here: ids no row has


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

    def compiled(self, using: str = DEFAULT_DB_ALIAS) -> tuple[str, tuple[Any, ...]]:
        """The SQL and its parameters, markers included."""
        if using not in self._compiled:
            query = self._build(**self._markers).query
            self._compiled[using] = query.get_compiler(using).as_sql()
        return self._compiled[using]

    def rows(self, using: str = DEFAULT_DB_ALIAS, **values: Any) -> list[tuple[Any, ...]]:
        """The rows, as the database gives them (no model built, no converter applied)."""
        sql, params = self.compiled(using)
        by_marker = {marker: values[name] for name, marker in self._markers.items()}
        given = [by_marker.get(param, param) if type(param) in (int, str) else param for param in params]
        with connections[using].cursor() as cursor:
            cursor.execute(sql, given)
            return cursor.fetchall()
