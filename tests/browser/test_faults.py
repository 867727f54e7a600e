"""Given a database that cannot be reached for a moment, when a user opens a page or sends a form, then they
get the service's "try again in a minute" page (accessible, usable by keyboard), and a form comes back with
what they typed once the database is back."""

from unittest import mock

import pytest
from django.db.utils import OperationalError

from recommendations.models import User

from .conftest import assert_accessible, clicked

pytestmark = pytest.mark.django_db(transaction=True)

NO_DATABASE = "django.db.backends.base.base.BaseDatabaseWrapper.cursor"


def test_a_page_waits_for_the_database(new_page: object, officer: User) -> None:
    page = new_page(officer)
    with mock.patch(NO_DATABASE, side_effect=OperationalError("could not connect to server")):
        response = page.goto("/councils/borsetshire/")
    assert response.status == 503
    assert page.title() == "Sorry, the service is unavailable – Council Improve"
    assert_accessible(page)
    clicked(page.get_by_role("link", name="Try again"))
    assert page.get_by_role("heading", level=1).inner_text() == "Improvement plan dashboard"


def test_a_form_sent_during_the_wait_is_sent_again_by_keyboard(new_page: object, officer: User) -> None:
    page = new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill("officer@borsetshire.example")
    page.get_by_label("Password").fill("anything-at-all")
    with mock.patch(NO_DATABASE, side_effect=OperationalError("could not connect to server")):
        clicked(page.get_by_role("button", name="Sign in"))
        assert page.get_by_role("heading", level=1).inner_text() == "Sorry, the service is unavailable"
        page.get_by_text("What you entered").click()
        assert "officer@borsetshire.example" in page.locator(".govuk-details__text").inner_text()
        assert_accessible(page)
    page.get_by_role("button", name="Send it again").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.title().startswith("Error: Sign in")  # the password is never kept in a page
    assert page.get_by_label("Email address").input_value() == "officer@borsetshire.example"
    assert_accessible(page)
