"""Faults that are waits: a database that cannot be reached gives the 503 page, never the 500 page; expected
refusals log one line."""

import logging
from unittest import mock

import pytest
from django.db.utils import InterfaceError, OperationalError
from django.test import Client, RequestFactory
from django.urls import reverse

from councilimprove.faults import server_error
from recommendations.models import User

from ..conftest import client_for

pytestmark = pytest.mark.django_db

NO_DATABASE = "django.db.backends.base.base.BaseDatabaseWrapper.cursor"


@pytest.mark.parametrize("fault", [OperationalError, InterfaceError])
def test_a_page_that_cannot_reach_the_database_asks_to_try_again(officer: User, fault: type) -> None:
    client = client_for(officer)
    with mock.patch(NO_DATABASE, side_effect=fault("could not connect to server")):
        response = client.get("/councils/borsetshire/?theme=1")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "60"
    page = response.content.decode()
    assert "<title>Sorry, the service is unavailable –" in page
    assert "Try again in a minute" in page
    assert 'href="/councils/borsetshire/?theme=1">Try again</a>' in page
    assert "Sorry, there is a problem with the service" not in page


def test_a_form_refused_that_way_comes_back_with_what_was_typed(officer: User) -> None:
    client = client_for(officer)
    typed = {"narrative": "Cabinet agreed the plan on 3 March", "status": "in_progress", "version": "4"}
    with mock.patch(NO_DATABASE, side_effect=OperationalError):
        response = client.post("/councils/borsetshire/actions/1/updates/new/", typed)
    assert response.status_code == 503
    page = response.content.decode()
    assert "What you sent has not been saved." in page
    assert '<form method="post" action="/councils/borsetshire/actions/1/updates/new/"' in page
    for name, value in typed.items():
        assert f'<input type="hidden" name="{name}" value="{value}">' in page
    assert "Cabinet agreed the plan on 3 March" in page.split("What you entered")[1]
    assert "Version" not in page.split("What you entered")[1]  # the page's own fields are sent, not shown


def test_a_password_is_never_written_into_the_page() -> None:
    with mock.patch(NO_DATABASE, side_effect=OperationalError):
        response = Client().post(reverse("login"), {"username": "officer@borsetshire.example", "password": "s3cret!"})
    assert response.status_code == 503
    page = response.content.decode()
    assert "s3cret!" not in page
    assert 'name="username" value="officer@borsetshire.example"' in page
    assert "Passwords and files are not kept" in page


def test_a_database_fault_outside_a_view_is_a_wait_too() -> None:
    request = RequestFactory().get("/councils/borsetshire/")
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "60"


def test_any_other_fault_is_still_the_500_page() -> None:
    request = RequestFactory().get("/")
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(request)
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


def test_a_refusal_logs_one_line_without_a_traceback(officer: User, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client_for(officer).get(reverse("review_list", args=["borsetshire"])).status_code == 403
        assert client_for(officer).get("/councils/borsetshire/no-such-page/").status_code == 404
    refusals = [record for record in caplog.records if record.name == "django.request"]
    assert [record.status_code for record in refusals] == [403, 404]
    assert [caplog.handler.format(record).count("\n") for record in refusals] == [0, 0]


@pytest.mark.django_db
def test_a_session_that_cannot_be_saved_for_an_outage_is_that_fault_not_a_deleted_session() -> None:
    from django.contrib.sessions.models import Session

    from councilimprove.sessions import SessionStore

    session = SessionStore()
    session["seen"] = True
    session.save()  # a row to update
    with mock.patch.object(Session, "save", side_effect=OperationalError("gone")), pytest.raises(OperationalError):
        session.save()  # Django's own store would raise UpdateError, which the middleware answers with a 400
