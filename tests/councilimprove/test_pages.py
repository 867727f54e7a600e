"""The page shell: sign-in, errors, health, security headers."""

from collections.abc import Callable
from unittest import mock

import pytest
from django.db.utils import OperationalError
from django.test import Client
from django.urls import reverse

from recommendations.models import User

from ..conftest import client_for
from ..factories import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client: Client, email: str, password: str) -> object:
    return client.post(reverse("login"), {"username": email, "password": password})


def test_signing_in_takes_a_member_to_their_council(officer: User) -> None:
    client = Client()
    response = sign_in(client, "officer@borsetshire.example", PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/councils/borsetshire/my-work/"  # an officer's work
    assert client.get("/councils/borsetshire/my-work/").status_code == 200
    assert client.get("/").headers["Location"] == "/councils/borsetshire/"


def test_sign_in_errors_follow_govuk_style(officer: User) -> None:
    response = sign_in(Client(), "", "")
    page = response.content.decode()
    assert "<title>Error: Sign in" in page
    assert "There is a problem" in page
    assert '<a href="#id_username">Enter your email address</a>' in page
    assert 'class="govuk-input govuk-input--error"' in page
    assert 'aria-describedby="id_username-error"' in page


def test_a_wrong_password_keeps_the_email_typed(officer: User) -> None:
    page = sign_in(Client(), "officer@borsetshire.example", "wrong-password").content.decode()
    assert "Enter a correct email address and password" in page
    assert 'value="officer@borsetshire.example"' in page


def test_sign_in_locks_after_five_failures(officer: User) -> None:
    client = Client()
    for _ in range(5):
        sign_in(client, "officer@borsetshire.example", "wrong-password")
    response = sign_in(client, "officer@borsetshire.example", PASSWORD)
    assert response.status_code == 429
    assert "Sign-in is locked for now" in response.content.decode()


def test_sessions_end_after_idle_time(settings: object) -> None:
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_COOKIE_AGE == 30 * 60


def test_a_member_with_several_councils_chooses_one(officer: User, other_council: object) -> None:
    from recommendations.models import Membership

    Membership.objects.create(user=officer, council=other_council, role=Membership.Role.OFFICER)
    page = client_for(officer).get("/").content.decode()
    assert "Borsetshire County Council" in page and "Felpersham City Council" in page


def test_a_user_with_no_council_is_told_what_to_do() -> None:
    user = User.objects.create_user("new@borsetshire.example", PASSWORD)
    assert "improvement lead to invite you" in client_for(user).get("/").content.decode()


def test_the_content_security_policy_allows_no_inline_code(officer: User) -> None:
    response = client_for(officer).get("/councils/borsetshire/")
    policy = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    assert "'nonce-" in policy
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}">' in response.content.decode()


def test_liveness_does_not_touch_the_database() -> None:
    with mock.patch("django.db.backends.base.base.BaseDatabaseWrapper.cursor", side_effect=OperationalError):
        assert Client().get("/health/").json() == {"status": "ok"}


def test_readiness_reports_a_database_it_cannot_reach() -> None:
    with mock.patch("django.db.backends.base.base.BaseDatabaseWrapper.cursor", side_effect=OperationalError):
        response = Client().get("/health/ready/")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_the_404_page_is_in_govuk_style() -> None:
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_the_500_page_renders_without_a_request_context() -> None:
    from django.template.loader import render_to_string

    page = render_to_string("500.html")
    assert "Sorry, there is a problem with the service" in page


def test_a_form_without_a_csrf_token_gets_a_clear_page(officer: User) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "officer@borsetshire.example", "password": PASSWORD})
    assert response.status_code == 403
    assert "Your form has expired" in response.content.decode()


def test_the_accessibility_statement_is_linked_from_every_page(officer: User) -> None:
    for client, url in [(Client(), "/accounts/login/"), (client_for(officer), "/councils/borsetshire/")]:
        assert 'href="/accessibility/"' in client.get(url).content.decode()


def test_sign_out_is_a_post(officer: User) -> None:
    client = client_for(officer)
    page = client.get(reverse("logout"))
    assert page.status_code == 200 and "<h1" in page.content.decode()  # the GET only shows the button
    assert client.get("/councils/borsetshire/").status_code == 200
    client.post(reverse("logout"))
    assert client.get("/councils/borsetshire/").status_code == 302


def test_password_reset_sends_a_one_time_link_on_the_site_url(
    officer: User, mailoutbox: list, settings: object, django_capture_on_commit_callbacks: Callable
) -> None:
    settings.SITE_URL = "https://improve.example.gov.uk"
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(reverse("password_reset"), {"email": "officer@borsetshire.example"})
    assert len(mailoutbox) == 1
    assert "https://improve.example.gov.uk/accounts/reset/" in mailoutbox[0].body


def test_the_header_names_the_service_and_the_council_but_no_crown(officer: User) -> None:
    page = client_for(officer).get("/councils/borsetshire/").content.decode()
    assert "Council Improve" in page and "Borsetshire County Council" in page
    assert "govuk-logo" not in page and "crown" not in page.lower()


@pytest.mark.parametrize("pk", ["99999999999999999999999", "0", "123456789012345678"])
def test_an_impossible_id_is_a_404_not_an_error(officer: User, pk: str) -> None:
    assert client_for(officer).get(f"/councils/borsetshire/recommendations/{pk}/").status_code == 404


def test_the_403_page_says_what_to_do(officer: User) -> None:
    from django.core.exceptions import PermissionDenied
    from django.test import RequestFactory
    from django.views.defaults import permission_denied

    request = RequestFactory().get("/")
    request.user = officer
    response = permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    assert "You cannot do that" in response.content.decode()


def test_platform_staff_without_a_council_are_pointed_to_the_admin() -> None:
    staff = User.objects.create_user("admin@borsetshire.example", PASSWORD, is_staff=True)
    assert 'href="/admin/"' in client_for(staff).get("/").content.decode()
