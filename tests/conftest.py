"""Personas and shared fixtures. Every test runs against the database the settings name (SQLite by
default; PostgreSQL in CI)."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.files.storage import storages
from django.db import connection
from django.test import Client, override_settings

from recommendations.models import Council, Evidence, Membership, StagedUpload, User

from .factories import CouncilFactory, MembershipFactory, UserFactory
from .shared_data import emptied_by_delete, reference_data_load, reference_data_present

PERSONAS = ("officer", "lead", "leadership", "adviser", "outsider")


@pytest.fixture(scope="session", autouse=True)
def _plain_http() -> Iterator[None]:
    """The test client and the live server speak plain HTTP, and there is no collectstatic manifest.

    Session-wide, because the live server builds its middleware once. Production's HTTPS settings are
    proven by tests/councilimprove/test_settings.py running `check --deploy`."""
    with override_settings(
        SECURE_SSL_REDIRECT=False,
        SESSION_COOKIE_SECURE=False,
        CSRF_COOKIE_SECURE=False,
        SECURE_HSTS_SECONDS=0,
        STORAGES={
            **django_settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],  # fast, tests only
    ):
        yield


@contextmanager
def evidence_files_in(folder: Path) -> Iterator[None]:
    """Evidence and staged uploads stored in `folder`. A file field takes its storage once, when its model is
    defined, so the fields are pointed at the new storage too."""
    with override_settings(
        STORAGES={
            **django_settings.STORAGES,
            "evidence": {
                "BACKEND": "councilimprove.storage.PrivateFileSystemStorage",
                "OPTIONS": {"location": folder},
            },
        }
    ):
        fields = [model._meta.get_field("file") for model in (Evidence, StagedUpload)]
        kept = [field.storage for field in fields]
        for field in fields:
            field.storage = storages["evidence"]
        try:
            yield
        finally:
            for field, storage in zip(fields, kept, strict=True):
                field.storage = storage


@pytest.fixture
def evidence_folder(tmp_path: Path) -> Path:
    """Where a test's files go; a module whose rows are built once for all its tests (and so its files) makes
    it one folder for the module (tests/test_url_walk.py)."""
    return tmp_path / "evidence"


@pytest.fixture(scope="session", autouse=True)
def _flush_by_delete() -> Iterator[None]:
    """A transactional test (the browser tests, the migration and concurrency tests) ends with Django's flush,
    which empties every table; on PostgreSQL it runs one TRUNCATE of them all, which takes seconds where
    DELETE takes milliseconds (tests/shared_data.py's emptied_by_delete). The flush is the same otherwise: the
    same tables, in one transaction, the sequences left as they are, the content types made again after it."""
    if connection.vendor != "postgresql":  # SQLite's flush deletes already
        yield
        return
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(
        self: DatabaseOperations, style: object, tables: list[str], *, reset_sequences: bool = False, **options: bool
    ) -> list[str]:
        if not tables or reset_sequences or options.get("allow_cascade"):
            return truncate(self, style, tables, reset_sequences=reset_sequences, **options)
        return emptied_by_delete(tables)

    with mock.patch.object(DatabaseOperations, "sql_flush", sql_flush):
        yield


@pytest.fixture(autouse=True)
def _evidence_in_a_temporary_folder(evidence_folder: Path) -> Iterator[None]:
    """Each test's files in its own folder, never in var/evidence (where `make run` keeps the demo's)."""
    with evidence_files_in(evidence_folder):
        yield


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings: object) -> None:
    """Tasks run as they are enqueued (Django's immediate backend), so a test of a view sees its e-mail in
    the outbox once the transaction commits. The job tests (tests/councilimprove/test_jobs*.py) use the
    database backend and the worker, as production does."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def reference_data(transactional_db: None) -> None:
    """A transactional test's flush empties every table, the rows the data migrations loaded included:
    load them again (for tests marked transaction=True)."""
    reference_data_load()


@pytest.fixture(autouse=True)
def _reference_data_after_a_flush(request: pytest.FixtureRequest) -> None:
    """A test that uses the database finds the reference data even when a transactional test flushed it before,
    whether it asks for the database by a fixture or by the django_db mark.

    pytest-django runs the transactional tests after all the others, so in one process none comes first; in
    two (pytest-xdist, a file to a process) a process runs a file's transactional tests with the rest of the
    file, before the next file. Loaded inside the test's transaction, so rolled back with it."""
    names = request.fixturenames
    marker = request.node.get_closest_marker("django_db")
    if "transactional_db" in names or "live_server" in names or (marker and marker.kwargs.get("transaction")):
        request.getfixturevalue("transactional_db")  # a flush after the test empties it again
    elif "db" in names or marker:
        request.getfixturevalue("db")  # the test's transaction, a little earlier than its own fixtures would ask
    else:
        return
    reference_data_present()


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Each test starts with an empty cache: ids and data versions repeat between tests, as they never do
    in one database's life."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def council(db: None) -> Council:
    return CouncilFactory(name="Borsetshire County Council", slug="borsetshire", kind=Council.Kind.COUNTY)


@pytest.fixture
def other_council(db: None) -> Council:
    return CouncilFactory(name="Felpersham City Council", slug="felpersham", kind=Council.Kind.UNITARY)


def _member(council: Council, role: str, email: str) -> User:
    return MembershipFactory(council=council, role=role, user=UserFactory(email=email)).user


@pytest.fixture
def officer(council: Council) -> User:
    return _member(council, Membership.Role.OFFICER, "officer@borsetshire.example")


@pytest.fixture
def lead(council: Council) -> User:
    return _member(council, Membership.Role.LEAD, "lead@borsetshire.example")


@pytest.fixture
def second_lead(council: Council) -> User:
    """A second improvement lead of the council, for two leads at once."""
    user = UserFactory(email="second.lead@borsetshire.example", first_name="Sam", last_name="Second")
    MembershipFactory(council=council, user=user, role=Membership.Role.LEAD)
    return user


@pytest.fixture
def leadership(council: Council) -> User:
    return _member(council, Membership.Role.LEADERSHIP, "leadership@borsetshire.example")


@pytest.fixture
def adviser(council: Council) -> User:
    return _member(council, Membership.Role.ADVISER, "adviser@lga.example")


@pytest.fixture
def outsider(other_council: Council) -> User:
    """A lead of another council: sees nothing of Borsetshire."""
    return _member(other_council, Membership.Role.LEAD, "lead@felpersham.example")


@dataclass
class Personas:
    officer: User
    lead: User
    leadership: User
    adviser: User
    outsider: User

    def get(self, name: str) -> User:
        return getattr(self, name)


@pytest.fixture
def personas(officer: User, lead: User, leadership: User, adviser: User, outsider: User) -> Personas:
    return Personas(officer, lead, leadership, adviser, outsider)


def personas_create() -> tuple[Council, Personas]:
    """Borsetshire and the five personas as the fixtures above make them, for data built once for a module
    (tests/shared_data.py's rolled_back_after_the_module)."""
    council = CouncilFactory(name="Borsetshire County Council", slug="borsetshire", kind=Council.Kind.COUNTY)
    other = CouncilFactory(name="Felpersham City Council", slug="felpersham", kind=Council.Kind.UNITARY)
    return council, Personas(
        officer=_member(council, Membership.Role.OFFICER, "officer@borsetshire.example"),
        lead=_member(council, Membership.Role.LEAD, "lead@borsetshire.example"),
        leadership=_member(council, Membership.Role.LEADERSHIP, "leadership@borsetshire.example"),
        adviser=_member(council, Membership.Role.ADVISER, "adviser@lga.example"),
        outsider=_member(other, Membership.Role.LEAD, "lead@felpersham.example"),
    )


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client
