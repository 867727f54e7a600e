"""Given an officer who has forgotten their password, when they try too often, then the service says how many
tries are left, locks the account and says when it opens, and a reset by e-mail lets them in again. Every page
passes axe."""

import re

import pytest

from recommendations.models import User

from .conftest import assert_accessible, clicked

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "officer@borsetshire.example"
NEW_PASSWORD = "a-brand-new-passphrase-2026"


def try_password(page: object, password: str) -> None:
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Password").fill(password)
    clicked(page.get_by_role("button", name="Sign in"))


def test_locked_out_then_reset_by_email_then_signed_in(new_page: object, officer: User, mailoutbox: list) -> None:
    page = new_page()
    page.goto("/accounts/login/")
    for _ in range(3):
        try_password(page, "not-my-password")
    assert page.title().startswith("Error: Sign in")
    assert "You have 2 more tries to sign in to this account." in page.locator(".govuk-warning-text").inner_text()
    assert_accessible(page)

    for _ in range(2):
        try_password(page, "not-my-password")
    assert page.get_by_role("heading", level=1).inner_text() == "Sign-in is locked for now"
    assert re.search(r"You can try again after \d{1,2}:\d\d[ap]m on ", page.locator("main").inner_text())
    assert_accessible(page)

    clicked(page.get_by_role("link", name="Reset your password"))
    page.get_by_label("Email address").fill(EMAIL)
    clicked(page.get_by_role("button", name="Send the link"))
    assert page.get_by_role("heading", level=1).inner_text() == "Check your email"
    assert_accessible(page)

    link = re.search(r"https?://\S+(/accounts/reset/\S+/)", mailoutbox[-1].body).group(1)
    page.goto(link)
    assert page.get_by_role("heading", level=1).inner_text() == "Choose a new password"
    assert_accessible(page)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm the new password").fill(NEW_PASSWORD)
    clicked(page.get_by_role("button", name="Save password"))
    assert page.get_by_role("heading", level=1).inner_text() == "Password saved"
    assert_accessible(page)

    clicked(page.get_by_role("link", name="Sign in"))
    try_password(page, NEW_PASSWORD)
    assert page.get_by_role("heading", level=1).inner_text() == "My work"  # where an officer lands


def test_sign_out_from_its_own_page_by_keyboard(new_page: object, officer: User) -> None:
    page = new_page(officer)
    page.goto("/accounts/logout/")
    assert page.title().startswith("Sign out")
    assert_accessible(page)
    page.locator("main").get_by_role("button", name="Sign out").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("heading", level=1).inner_text() == "Sign in"
    page.goto("/councils/borsetshire/")
    assert page.get_by_role("heading", level=1).inner_text() == "Sign in"
