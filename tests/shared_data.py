"""The seeded St Helens demo, built once and shared, because seeding it takes seconds.

Transactional tests (the browser tests: tests/browser/conftest.py's `demo`) get a copy of the demo built once
per session. Tests in a transaction (`db`) of a module whose every test reads the demo get it seeded once for
the module, inside a transaction that each test's own transaction nests in (a savepoint) and that is rolled
back at the module's end (`rolled_back_after_the_module`, as Django's TestCase.setUpTestData does for a class).

Seeding takes seconds; a copy takes a fraction of one. On PostgreSQL the first seeded database becomes a
template, and each later test's database is dropped and created again from it (`CREATE DATABASE … TEMPLATE`);
on SQLite the seeded database is copied aside with SQLite's backup API, and copied back the same way. Either
way the test gets the whole demo as seed_demo leaves it, its sequences included, and nothing a test wrote
before survives: a test that changes the demo cannot change it for the next one.
"""

import importlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from io import StringIO
from typing import TypeVar

from django.core.management import call_command
from django.db import connection, connections
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


class DemoCopy:
    """The demo for one session: `restore()` seeds it the first time and copies it every time after."""

    def __init__(self) -> None:
        self.saved = False

    def restore(self) -> None:
        if self.saved:
            self._copy_back()
        else:
            reference_data_present()  # another test's flush may have emptied it
            seed()
            self._save()
            self.saved = True

    def close(self) -> None:
        """Throw the saved copy away (at the end of the session)."""

    def _save(self) -> None:
        raise NotImplementedError

    def _copy_back(self) -> None:
        raise NotImplementedError


class PostgresDemoCopy(DemoCopy):
    """A template database beside the test database: `<test database>_demo`.

    CREATE DATABASE and DROP DATABASE refuse while anyone else is connected to the database they copy or
    drop: this thread's connections are closed first, and any the live server's threads still hold are
    ended by the server (`pg_terminate_backend`, `WITH (FORCE)`); a thread whose connection was ended opens
    a new one at its next request (CONN_HEALTH_CHECKS)."""

    def __init__(self) -> None:
        super().__init__()
        self.database = connection.settings_dict["NAME"]
        self.template = f"{self.database}_demo"

    def _execute(self, *statements: str) -> None:
        connections.close_all()
        quote = connection.ops.quote_name
        with connection._nodb_cursor() as cursor:
            for statement in statements:
                cursor.execute(statement.format(database=quote(self.database), template=quote(self.template)))

    def _end_other_connections(self) -> None:
        with connection._nodb_cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                [self.database],
            )

    def _save(self) -> None:
        connections.close_all()
        self._end_other_connections()
        self._execute("DROP DATABASE IF EXISTS {template}", "CREATE DATABASE {template} TEMPLATE {database}")

    def _copy_back(self) -> None:
        self._execute("DROP DATABASE {database} WITH (FORCE)", "CREATE DATABASE {database} TEMPLATE {template}")

    def close(self) -> None:
        if self.saved:
            self._execute("DROP DATABASE IF EXISTS {template} WITH (FORCE)")


class SqliteDemoCopy(DemoCopy):
    """A copy in memory, by SQLite's backup API, whether the test database is in memory (the default: the
    live server then shares this thread's connection) or a file."""

    def __init__(self) -> None:
        super().__init__()
        self.copy = None

    def _save(self) -> None:
        import sqlite3

        connection.ensure_connection()
        self.copy = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(self.copy)

    def _copy_back(self) -> None:
        connection.ensure_connection()
        self.copy.backup(connection.connection)

    def close(self) -> None:
        if self.copy is not None:
            self.copy.close()


def demo_copy() -> DemoCopy:
    return PostgresDemoCopy() if connection.vendor == "postgresql" else SqliteDemoCopy()
