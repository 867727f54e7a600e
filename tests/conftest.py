"""Personas and shared fixtures. Every test runs against the database the settings name (SQLite by
default; PostgreSQL in CI)."""

import importlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.files.storage import storages
from django.test import Client, override_settings

from recommendations.models import Council, Evidence, Membership, StagedUpload, User

from .factories import CouncilFactory, MembershipFactory, UserFactory

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


@pytest.fixture(autouse=True)
def _evidence_in_a_temporary_folder(settings: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test's files in its own folder, never in var/evidence (where `make run` keeps the demo's). A file
    field takes its storage once, when its model is defined, so the fields are pointed at the new one too."""
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "councilimprove.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": tmp_path / "evidence"},
        },
    }
    for model in (Evidence, StagedUpload):
        monkeypatch.setattr(model._meta.get_field("file"), "storage", storages["evidence"])


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings: object) -> None:
    """Tasks run as they are enqueued (Django's immediate backend), so a test of a view sees its e-mail in
    the outbox once the transaction commits. The job tests (tests/councilimprove/test_jobs*.py) use the
    database backend and the worker, as production does."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def reference_data(transactional_db: None) -> None:
    """A transactional test's flush empties every table, the rows the data migrations loaded included:
    load them again, with the migration's own code (for tests marked transaction=True)."""
    from django.apps import apps

    importlib.import_module("recommendations.migrations.0003_engagement_kinds").add_kinds(apps, None)
    importlib.import_module("recommendations.migrations.0006_progress_review_kinds").mark_progress_reviews(apps, None)


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


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client
