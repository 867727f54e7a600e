"""Given a visitor, when they open the service's shell pages, then each passes axe with zero violations."""

import pytest

from recommendations.models import User

from ..factories import PASSWORD
from .conftest import assert_accessible, axe_violations, clicked

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_axe_helper_catches_a_violation_under_our_csp(new_page: object) -> None:
    """The canary: a page of ours with an image that has no alternative text must fail."""
    page = new_page()
    page.goto("/accessibility/")
    page.evaluate(
        "() => { const img = document.createElement('img'); img.src = '/static/x.png';"
        " document.querySelector('main').appendChild(img); }"
    )
    assert "image-alt" in [violation["id"] for violation in axe_violations(page)]


def test_sign_in_page_and_its_error_state_are_accessible(new_page: object, officer: User) -> None:
    page = new_page()
    page.goto("/accounts/login/")
    assert page.title() == "Sign in – Council Improve"
    assert_accessible(page)
    clicked(page.get_by_role("button", name="Sign in"))
    assert page.title().startswith("Error:")
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page)


def test_an_officer_signs_in_by_keyboard_and_reaches_their_council(new_page: object, officer: User) -> None:
    page = new_page()
    page.goto("/accounts/login/")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Skip to main content"
    page.get_by_label("Email address").fill("officer@borsetshire.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/councils/borsetshire/my-work/")  # an officer lands on their own work
    assert page.get_by_role("heading", level=1).inner_text() == "My work"
    assert_accessible(page)


def test_the_accessibility_statement_is_accessible(new_page: object) -> None:
    page = new_page()
    page.goto("/")
    page.goto("/accessibility/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Accessibility statement")
    assert_accessible(page)


def test_the_404_page_is_accessible(new_page: object, officer: User) -> None:
    page = new_page(officer)
    response = page.goto("/councils/no-such-council/")
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Page not found"
    assert_accessible(page)


def test_the_empty_shell_is_accessible(new_page: object, lead: User) -> None:
    page = new_page(lead)
    page.goto("/councils/borsetshire/")
    assert "There are no recommendations yet." in page.content()
    assert_accessible(page)


def test_the_page_loads_no_blocked_script_or_style(new_page: object, lead: User) -> None:
    page = new_page(lead)
    blocked: list[str] = []
    page.on(
        "console", lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None
    )
    page.goto("/councils/borsetshire/")
    page.wait_for_load_state("networkidle")
    assert blocked == []
    assert "js-enabled" in page.evaluate("() => document.body.className")


def test_an_expired_form_gets_an_accessible_explanation(new_page: object, officer: User) -> None:
    page = new_page()
    page.goto("/accounts/login/")
    page.context.clear_cookies()  # as if the session and its CSRF cookie had gone
    page.get_by_label("Email address").fill("officer@borsetshire.example")
    page.get_by_label("Password").fill(PASSWORD)
    clicked(page.get_by_role("button", name="Sign in"))
    assert page.get_by_role("heading", level=1).inner_text() == "Your form has expired"
    assert_accessible(page)
