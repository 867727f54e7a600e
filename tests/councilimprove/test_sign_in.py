"""Sign-in that recovers: tries left, the lockout page, a reset that unlocks, and sign-out's own page."""

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from recommendations.models import User

from ..factories import PASSWORD

pytestmark = pytest.mark.django_db

EMAIL = "officer@borsetshire.example"
NEW_PASSWORD = "a-brand-new-passphrase-2026"


def sign_in(client: Client, password: str, email: str = EMAIL) -> object:
    return client.post(reverse("login"), {"username": email, "password": password})


def fail(client: Client, times: int) -> object:
    for _ in range(times):
        response = sign_in(client, "wrong-password")
    return response


def test_two_wrong_passwords_say_nothing_of_tries(officer: User) -> None:
    page = fail(Client(), 2).content.decode()
    assert "Enter a correct email address and password" in page
    assert "more tries" not in page


def test_the_third_wrong_password_says_two_tries_are_left(officer: User) -> None:
    page = fail(Client(), 3).content.decode()
    assert "You have 2 more tries to sign in to this account." in page
    assert "sign-in is locked for 1 hour" in page


def test_the_fourth_says_one_try_is_left(officer: User) -> None:
    assert "You have 1 more try to sign in" in fail(Client(), 4).content.decode()


def test_failures_in_another_case_count_against_the_same_account(officer: User) -> None:
    client = Client()
    fail(client, 2)
    page = sign_in(client, "wrong-password", email=EMAIL.upper()).content.decode()
    assert "You have 2 more tries" in page


def test_a_missing_password_is_not_counted_as_a_try(officer: User) -> None:
    client = Client()
    fail(client, 3)
    page = sign_in(client, "").content.decode()
    assert "Enter your password" in page and "more tries" not in page


def test_the_lockout_page_says_when_sign_in_opens_and_that_a_reset_unlocks(officer: User) -> None:
    response = fail(Client(), 5)
    assert response.status_code == 429
    page = response.content.decode()
    assert "<title>Sign-in is locked for now" in page
    assert re.search(r"You can try again after <strong>\d{1,2}:\d\d[ap]m on \d{1,2} \w+ \d{4}</strong>", page)
    assert "(1 hour after the last attempt)" in page
    assert "choosing a new password unlocks your account" in page


def test_a_password_reset_clears_the_lockout(
    officer: User, mailoutbox: list, django_capture_on_commit_callbacks: object
) -> None:
    client = Client()
    fail(client, 5)
    assert sign_in(client, PASSWORD).status_code == 429
    with django_capture_on_commit_callbacks(execute=True):  # the e-mail is sent by a job once the request commits
        client.post(reverse("password_reset"), {"email": EMAIL})
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", mailoutbox[0].body).group(1)
    form_url = client.get(link).headers["Location"]  # Django swaps the token for a session marker
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.headers["Location"] == reverse("password_reset_complete")
    assert sign_in(client, NEW_PASSWORD).status_code == 302


def test_setting_a_password_from_an_invitation_clears_the_lockout(officer: User) -> None:
    client = Client()
    fail(client, 5)
    uidb64, token = urlsafe_base64_encode(force_bytes(officer.pk)), default_token_generator.make_token(officer)
    link = reverse("invite_accept", args=[uidb64, token])  # as the invitation e-mails it
    form_url = client.get(link).headers["Location"]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    client.post(reverse("logout"))
    assert sign_in(client, NEW_PASSWORD).status_code == 302


def test_a_signed_out_visitor_asking_to_sign_out_is_sent_to_sign_in() -> None:
    assert Client().get(reverse("logout")).headers["Location"] == reverse("login")


def test_the_sign_out_page_has_a_button_that_posts(officer: User) -> None:
    from ..conftest import client_for

    page = client_for(officer).get(reverse("logout")).content.decode()
    assert "<title>Sign out –" in page
    assert re.search(r'<form method="post" action="/accounts/logout/"', page)
    assert re.search(
        r'<button type="submit"\s+class="govuk-button"\s+data-module="govuk-button">Sign out</button>', page
    )
