"""The seeded St Helens demo, built once a process and shared, because seeding it takes seconds.

`demo()` writes the demo inside the transaction that is open. The first call of a process seeds it and keeps
every table's rows (in memory: PostgreSQL's COPY, or SQLite's dump of INSERT statements); every later call
empties the tables and writes those rows back, which takes a fraction of a second.

- Tests in a transaction (`db`) call it inside it, so it is rolled back with it. A module whose every test reads
  the demo calls it once, inside a transaction that each test's own transaction nests in (a savepoint) and that
  is rolled back at the module's end (`rolled_back_after_the_module`, as Django's TestCase.setUpTestData does for
  a class).
- Transactional tests (the browser tests: tests/browser/conftest.py's `demo`) call it in a transaction they
  commit, with the sequences set to go on from the demo's last ids; the flush at the test's end empties it.

Either way the test gets the whole demo as seed_demo leaves it, and nothing a test wrote before survives: a test
that changes the demo cannot change it for the next one.
"""

import importlib
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from io import BytesIO, StringIO
from typing import TypeVar

from django.core.management import call_command
from django.db import connection
from django.test import override_settings

T = TypeVar("T")


def seed() -> str:
    """seed_demo into the test database as it stands (it runs only with DEBUG on); what it printed."""
    out = StringIO()
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=out)
    return out.getvalue()


def reference_data_load() -> None:
    """The rows the data migrations load, with the migrations' own code."""
    from django.apps import apps

    importlib.import_module("recommendations.migrations.0003_engagement_kinds").add_kinds(apps, None)
    importlib.import_module("recommendations.migrations.0006_progress_review_kinds").mark_progress_reviews(apps, None)


def reference_data_present() -> None:
    """Load the reference data if a transactional test's flush emptied it (see tests/conftest.py)."""
    from recommendations.models import EngagementKind

    if not EngagementKind.objects.exists():
        reference_data_load()


def emptied_by_delete(tables: list[str]) -> list[str]:
    """SQL that empties `tables` on PostgreSQL, in one transaction, by DELETE: TRUNCATE makes new files for every
    table and index, and takes seconds on a small database where DELETE takes milliseconds. The tables' own
    triggers (those that refuse to delete an approved update or a published version) are off while it runs;
    the foreign keys are checked when the transaction ends, as always (Django makes them deferrable)."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal"
        )
        guarded = sorted({name for (name,) in cursor.fetchall()} & set(tables))
    return [
        # A table's triggers cannot be turned off or on while its foreign keys' checks wait: they run first.
        "SET CONSTRAINTS ALL IMMEDIATE",
        "SET CONSTRAINTS ALL DEFERRED",
        *(f"ALTER TABLE {quote(table)} DISABLE TRIGGER USER" for table in guarded),
        *(f"DELETE FROM {quote(table)}" for table in tables),  # noqa: S608 - Django's own table names
        "SET CONSTRAINTS ALL IMMEDIATE",
        *(f"ALTER TABLE {quote(table)} ENABLE TRIGGER USER" for table in guarded),
        "SET CONSTRAINTS ALL DEFERRED",
    ]


class DemoRows:
    """Every table's rows as seeding left them, taken inside the transaction that seeded, and written back into
    another transaction; what seed_demo printed."""

    # The stored positions' trigger (PostgreSQL) reads an item's approved update as the item is written: the
    # updates go first.
    FIRST = ("recommendations_progressupdate",)

    def __init__(self, printed: str) -> None:
        self.printed = printed
        names = set(connection.introspection.django_table_names(only_existing=True, include_views=False))
        self.tables = [name for name in self.FIRST if name in names] + sorted(names - set(self.FIRST))
        self.rows: dict[str, object] = {}

    @classmethod
    def take(cls, printed: str) -> "DemoRows":
        rows = PostgresDemoRows(printed) if connection.vendor == "postgresql" else SqliteDemoRows(printed)
        rows._take()
        return rows

    def put_back(self, *, sequences_as_seeded: bool) -> None:
        """The rows back. The sequences go on from the demo's last ids if `sequences_as_seeded` (for a database
        that is to hold the demo and nothing else, committed), and otherwise never go back."""
        from django.contrib.contenttypes.models import ContentType

        self._put_back(sequences_as_seeded=sequences_as_seeded)
        ContentType.objects.clear_cache()  # the ids are those of the seeding's time

    def _take(self) -> None:
        raise NotImplementedError

    def _put_back(self, *, sequences_as_seeded: bool) -> None:
        raise NotImplementedError


class PostgresDemoRows(DemoRows):
    def _take(self) -> None:
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            for table in self.tables:
                buffer = BytesIO()
                cursor.cursor.copy_expert(f"COPY {quote(table)} TO STDOUT", buffer)
                self.rows[table] = buffer.getvalue()
            self.sequences = [
                (sequence["name"], table, sequence["column"])
                for table in self.tables
                for sequence in connection.introspection.get_sequences(cursor, table)
            ]

    def _put_back(self, *, sequences_as_seeded: bool) -> None:
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            for statement in emptied_by_delete(self.tables):
                cursor.execute(statement)
            for table in self.tables:
                cursor.cursor.copy_expert(f"COPY {quote(table)} FROM STDIN", BytesIO(self.rows[table]))
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the rows hold together
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            setvals = []
            for name, table, column in self.sequences:
                highest = f"SELECT MAX({quote(column)}) FROM {quote(table)}"  # noqa: S608 - Django's names
                if sequences_as_seeded:
                    setvals.append(f"setval('{name}', COALESCE(({highest}), 1), ({highest}) IS NOT NULL)")
                else:  # setval outlives the transaction: a sequence that went back could repeat a committed id
                    setvals.append(f"setval('{name}', GREATEST(nextval('{name}'), ({highest})))")
            if setvals:
                cursor.execute(f"SELECT {', '.join(setvals)}")


class SqliteDemoRows(DemoRows):
    INSERT = re.compile(r'INSERT INTO "([^"]+)"')
    SEQUENCES = "sqlite_sequence"  # AUTOINCREMENT's last ids, a table of their own

    def _take(self) -> None:
        connection.ensure_connection()
        kept = {*self.tables, self.SEQUENCES}
        statements: dict[str, list[str]] = {table: [] for table in kept}
        for line in connection.connection.iterdump():
            match = self.INSERT.match(line)
            if match and match.group(1) in kept:
                statements[match.group(1)].append(line)
        self.rows = statements

    def _put_back(self, *, sequences_as_seeded: bool) -> None:
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            for table in self.tables:
                cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608 - Django's own table names
            for table in self.tables:
                for statement in self.rows[table]:
                    cursor.execute(statement)
            if sequences_as_seeded:  # otherwise an insert with its id moves the last id on, never back
                cursor.execute("DELETE FROM sqlite_sequence")
                for statement in self.rows[self.SEQUENCES]:
                    cursor.execute(statement)


_demo_rows: DemoRows | None = None


def demo(*, sequences_as_seeded: bool = False) -> str:
    """The demo as seed_demo leaves it, written inside the transaction that is open (a test's, or one held open
    around a module's tests, so it goes when that is rolled back; or a browser test's, which commits it); what
    seed_demo printed. The first call of a process seeds it and keeps its rows;
    every later one empties the tables and writes those rows back, so the database then holds the demo and
    nothing else (ask for it before any fixture that adds rows)."""
    from django.db import transaction

    from recommendations.models import Council

    global _demo_rows
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("demo() writes inside a transaction, and there is none")
    if _demo_rows is None:
        reference_data_present()
        if Council.objects.exists():
            raise RuntimeError("demo() comes first: the seeding must start from the empty database")
        _demo_rows = DemoRows.take(seed())
    else:
        _demo_rows.put_back(sequences_as_seeded=sequences_as_seeded)
    return _demo_rows.printed


@contextmanager
def rolled_back_after_the_module(django_db_blocker: object, build: Callable[[], T]) -> Iterator[T]:
    """`build()`'s rows, written once in a transaction held open around a module's tests and rolled back
    after them, as Django's TestCase.setUpTestData does for a class; what `build()` returned.

    Each test's own transaction (pytest-django's `db`) is a savepoint inside it, so what a test changes is
    undone for the next. Only for tests in a transaction: a transactional test would flush it."""
    from django.db import transaction

    outer = transaction.atomic()
    with django_db_blocker.unblock():
        outer.__enter__()
        try:
            reference_data_present()
            built = build()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
