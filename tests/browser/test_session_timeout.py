"""Given a short idle limit: the timeout warning opens before the sign-out, takes focus, passes axe, and keeps
the session when asked; left alone, it signs the user out to a sign-in page that says why, and what they had
typed in a form is back in it once they sign in again, ready to send."""

import time

import pytest
from django.conf import LazySettings
from django.contrib.sessions.models import Session

from recommendations.models import ProgressUpdate, Recommendation, User

from ..factories import PASSWORD, RecommendationFactory
from .conftest import assert_accessible, clicked

pytestmark = pytest.mark.django_db(transaction=True)

# Seconds. A page checks its clock every second and opens the warning at the first check with WARNING or less left.
# Keeping the session: the warning opens 3 seconds after a page loads and stays 7, time to check it and keep the
# session by keyboard; then the test waits past the end the page first had.
IDLE, WARNING = 10, 7
# Signing out: the warning opens 3 seconds after a page loads too (time to fill the form, and after signing in
# again to check it and send it), and the session ends a second later: nothing waits through a long warning.
SIGN_OUT_IDLE, SIGN_OUT_WARNING = 4, 1


@pytest.fixture
def short_sessions(settings: LazySettings) -> None:
    settings.SESSION_COOKIE_AGE = IDLE
    settings.SESSION_TIMEOUT_WARNING = WARNING


@pytest.fixture
def shorter_sessions(settings: LazySettings) -> None:
    settings.SESSION_COOKIE_AGE = SIGN_OUT_IDLE
    settings.SESSION_TIMEOUT_WARNING = SIGN_OUT_WARNING


@pytest.fixture
def item(officer: User) -> Recommendation:
    return RecommendationFactory(engagement__council__slug="borsetshire", owner=officer, reference="R1")


def form_url(item: Recommendation) -> str:
    return f"/councils/borsetshire/recommendations/{item.pk}/updates/new/"


def focused_in_dialog(page: object) -> str | None:
    return page.evaluate(
        "() => document.activeElement.closest('dialog') && document.activeElement.closest('dialog').id"
    )


def test_the_warning_takes_focus_says_how_long_is_left_and_keeps_the_session(
    new_page: object, short_sessions: None, officer: User, item: Recommendation
) -> None:
    page = new_page(officer)
    page.goto(form_url(item))
    loaded = time.monotonic()
    narrative = page.get_by_label("Progress since the last update")
    narrative.focus()
    dialog = page.get_by_role("dialog", name="You’re about to be signed out")
    dialog.wait_for(state="visible", timeout=(IDLE - WARNING + 3) * 1000)
    assert focused_in_dialog(page) == "timeout-warning"
    assert "we will sign you out in" in dialog.inner_text()
    assert "seconds" in dialog.locator("[data-countdown]").inner_text()
    assert_accessible(page)  # with the dialog open

    page.keyboard.press("Tab")  # from the heading to "Stay signed in", by keyboard only
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Stay signed in"
    page.keyboard.press("Enter")
    dialog.wait_for(state="hidden")
    assert page.evaluate("() => document.activeElement.name") == "narrative"  # focus goes back where it was

    time.sleep(max(0, IDLE + 1 - (time.monotonic() - loaded)))  # past the end the page first had
    response = page.goto(form_url(item))
    assert response.url.endswith(form_url(item)), "the session was not kept"
    assert page.get_by_role("heading", level=1).is_visible()


def test_a_form_typed_before_a_timeout_is_put_back_after_signing_in(
    new_page: object, shorter_sessions: None, officer: User, item: Recommendation
) -> None:
    page = new_page(officer)
    page.goto(form_url(item))
    page.get_by_label("In progress").check()
    page.get_by_label("Green (on track)").check()
    page.get_by_label("Progress since the last update").fill("Cabinet agreed the plan.\nThe board meets in May.")

    page.wait_for_url("**/accounts/login/**", timeout=(SIGN_OUT_IDLE + 5) * 1000)  # nobody pressed Stay signed in
    banner = page.get_by_role("region", name="Important")
    expected = f"You were signed out because you had not done anything for {SIGN_OUT_IDLE} seconds."
    assert expected in banner.inner_text()
    assert_accessible(page)

    page.get_by_label("Email address").fill(officer.email)
    page.get_by_label("Password").fill(PASSWORD)
    clicked(page.get_by_role("button", name="Sign in"))
    page.wait_for_url(f"**{form_url(item)}")
    assert page.get_by_label("Progress since the last update").input_value() == (
        "Cabinet agreed the plan.\nThe board meets in May."
    )
    assert page.get_by_label("In progress").is_checked()
    assert page.get_by_label("Green (on track)").is_checked()
    assert "What you typed before you were signed out has been put back." in page.get_by_role("alert").inner_text()
    assert_accessible(page)

    clicked(page.get_by_role("button", name="Save as draft"))
    update = ProgressUpdate.objects.get(recommendation=item)
    assert update.narrative == "Cabinet agreed the plan.\r\nThe board meets in May."
    assert update.review_state == ProgressUpdate.ReviewState.DRAFT


def test_a_form_sent_after_the_session_ended_unseen_is_put_back_after_signing_in(
    new_page: object, officer: User, item: Recommendation
) -> None:
    """The computer slept through the warning: the send is refused and goes to sign in, and nothing is lost."""
    page = new_page(officer)
    page.goto(form_url(item))
    page.get_by_label("Complete", exact=True).check()
    page.get_by_label("Green (on track)").check()
    page.get_by_label("Progress since the last update").fill("Done and signed off by Cabinet.")
    Session.objects.all().delete()  # the session ended while the page stayed open
    clicked(page.get_by_role("button", name="Submit for review"))
    assert "/accounts/login/" in page.url and "timeout=1" in page.url
    assert "You were signed out because you had not done anything" in page.content()

    page.get_by_label("Email address").fill(officer.email)
    page.get_by_label("Password").fill(PASSWORD)
    clicked(page.get_by_role("button", name="Sign in"))
    page.wait_for_url(f"**{form_url(item)}")
    assert page.get_by_label("Progress since the last update").input_value() == "Done and signed off by Cabinet."
    assert page.get_by_label("Complete", exact=True).is_checked()
    assert not ProgressUpdate.objects.filter(recommendation=item).exists()  # nothing was done without them
    clicked(page.get_by_role("button", name="Submit for review"))
    assert ProgressUpdate.objects.get(recommendation=item).review_state == ProgressUpdate.ReviewState.SUBMITTED
