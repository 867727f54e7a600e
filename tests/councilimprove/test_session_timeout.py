"""Signing out after a time without activity: the warning's settings in the page, "Stay signed in", and the
sign-in page saying why (the browser side: tests/browser/test_session_timeout.py)."""

import pytest
from django.conf import settings
from django.test import Client

from recommendations.models import User

from ..conftest import client_for

pytestmark = pytest.mark.django_db


def test_a_signed_in_page_carries_the_warning_two_minutes_before_the_end(officer: User) -> None:
    page = client_for(officer).get("/councils/borsetshire/my-work/").content.decode()
    assert '<dialog class="app-timeout-dialog"' in page
    assert f'data-idle-seconds="{settings.SESSION_COOKIE_AGE}"' in page
    assert 'data-warning-seconds="120"' in page
    assert 'data-extend-url="/accounts/session/"' in page


def test_a_page_for_anyone_has_no_warning() -> None:
    assert "timeout-warning" not in Client().get("/accounts/login/").content.decode().replace("timeout-warning.js", "")


def test_staying_signed_in_starts_the_idle_time_again(officer: User) -> None:
    client = client_for(officer)
    response = client.post("/accounts/session/")
    assert response.status_code == 200
    assert response.json() == {"signed_in": True, "expires_in": settings.SESSION_COOKIE_AGE}
    assert client.get("/accounts/session/").status_code == 405


def test_staying_signed_in_once_signed_out_says_so() -> None:
    response = Client().post("/accounts/session/")
    assert response.status_code == 401
    assert response.json() == {"signed_in": False}


def test_staying_signed_in_needs_the_pages_token(officer: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")
    assert client.post("/accounts/session/").status_code == 403


def test_a_session_that_ran_out_is_sent_to_sign_in_and_told_why(officer: User) -> None:
    client = client_for(officer)
    client.session.flush()  # what an idle session comes to: the cookie stays, the session is gone
    client.cookies[settings.SESSION_COOKIE_NAME] = "an-ended-session"
    response = client.post("/councils/borsetshire/settings/", {"update_interval_months": "6"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/councils/borsetshire/settings/&timeout=1"
    page = client.get(response["Location"]).content.decode()
    assert "You were signed out because you had not done anything for 30 minutes." in page


def test_someone_who_never_signed_in_is_not_told_they_were_signed_out() -> None:
    response = Client().get("/councils/borsetshire/my-work/")
    assert response["Location"] == "/accounts/login/?next=/councils/borsetshire/my-work/"
    assert "You were signed out" not in Client().get(response["Location"]).content.decode()


def test_signing_out_is_not_a_timeout(officer: User) -> None:
    client = client_for(officer)
    client.post("/accounts/logout/")
    response = client.get("/councils/borsetshire/my-work/")
    assert "timeout" not in response["Location"]
