"""Given the St Helens demo, a member of the leadership team signs in, reads the dashboard, looks at it as at
the day of the Recovery and Renewal Panel, narrows it to the 2019 challenge, corrects a date that is not
real, and follows a number to the table that lists what it counts. Every page passes axe, the error state
included."""

import pytest

from .conftest import assert_accessible, clicked

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "demo-password-2026"  # the demo's published password (README)


def status_number(page: object, status: str) -> object:
    """The link that counts the recommendations with `status` in the 'By status' table."""
    table = page.locator("table", has=page.locator("caption", has_text="By status"))
    return table.locator("tr", has=page.get_by_text(status, exact=True)).locator("td").first.get_by_role("link")


def test_leadership_reads_the_dashboard_at_a_date_and_follows_a_number_to_the_table(
    new_page: object, demo: None
) -> None:
    page = new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill("leadership@st-helens.example")
    page.get_by_label("Password").fill(PASSWORD)
    clicked(page.get_by_role("button", name="Sign in"))
    page.wait_for_url("**/councils/st-helens/")
    assert page.title() == "Improvement plan dashboard – St Helens Borough Council – Council Improve"
    assert page.get_by_role("heading", level=1).inner_text() == "Improvement plan dashboard"
    assert page.get_by_role("img", name="Recommendations by status at each month end").is_visible()
    assert_accessible(page)

    # A date that is not real: a GOV.UK error, and today's dashboard still shows.
    page.get_by_label("Day", exact=True).fill("31")
    page.get_by_label("Month", exact=True).fill("2")
    page.get_by_label("Year", exact=True).fill("2020")
    clicked(page.get_by_role("button", name="Show the dashboard"))
    assert page.title().startswith("Error: Improvement plan dashboard")
    summary = page.locator(".govuk-error-summary")
    assert "As at date must be a real date" in summary.inner_text()
    assert_accessible(page)
    summary.get_by_role("link", name="As at date must be a real date").click()
    assert page.evaluate("document.activeElement.id") == "id_as_at_0"

    # As at the day of the Recovery and Renewal Panel, by keyboard.
    page.keyboard.press("Control+A")
    page.keyboard.type("28")
    page.get_by_label("Month", exact=True).fill("9")
    page.get_by_role("button", name="Show the dashboard").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**as_at_day=28**")
    assert not page.title().startswith("Error")
    assert "As at 28 September 2020." in page.locator("main").inner_text()
    assert_accessible(page)

    # Only the 2019 challenge's part of the plan.
    page.get_by_label("Engagement").select_option(label="Corporate Peer Challenge 2019")
    clicked(page.get_by_role("button", name="Show the dashboard"))
    page.wait_for_url("**engagement=**")
    assert page.get_by_label("Engagement").input_value() != ""
    assert "As at 28 September 2020." in page.locator("main").inner_text()  # the date is kept
    assert_accessible(page)

    # Follow the number of recommendations in progress to the table: it lists as many.
    link = status_number(page, "In progress")
    count = int(link.inner_text().split()[0])
    assert count > 0
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/councils/st-helens/recommendations/**")
    caption = page.locator("caption").first.inner_text()
    noun = "recommendation" if count == 1 else "recommendations"
    assert caption == f"{count} {noun} as at 28 September 2020"
    assert page.get_by_label("Status").input_value() == "in_progress"
    assert_accessible(page)
