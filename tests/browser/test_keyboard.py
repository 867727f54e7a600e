"""Given the St Helens demo, journeys made with the keyboard alone (Tab, arrows, Enter and typing; never a click),
asserting where focus lands at each step: an officer records progress (an error first) and the lead approves it;
a member of the leadership team reads the dashboard as at a past date (a date that is not real first), opens a
table from one of its numbers and sorts it; the lead previews a report's narrative (an error first)."""

import pytest

from recommendations.models import Recommendation, User
from reports.models import SummaryReport

pytestmark = pytest.mark.django_db(transaction=True)

FOCUSED = """() => {
  const e = document.activeElement;
  const label = e.labels && e.labels.length ? e.labels[0].innerText : '';
  return {tag: e.tagName.toLowerCase(), id: e.id, classes: e.className || '',
          text: (e.innerText || e.value || '').trim().replace(/\\s+/g, ' '), label: label.trim()};
}"""


def focused(page: object) -> dict:
    return page.evaluate(FOCUSED)


def tab_to(page: object, wanted: str, *, limit: int = 120, exact: bool = False) -> dict:
    """Press Tab until the focused element's text or label starts with (or, `exact`, is) `wanted`; fails past
    `limit` presses."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        element = focused(page)
        names = (element["text"], element["label"])
        if wanted in names if exact else any(name.startswith(wanted) for name in names):
            return element
    raise AssertionError(f"Tab never reached {wanted!r}; last focused: {focused(page)}")


def enter(page: object) -> None:
    """Press Enter on a link or button that loads a page, and wait for it."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def choose(page: object, field: str, wanted: str) -> None:
    """Tab into a radio group (at its chosen option, or its first) and move to `wanted` with the down arrow."""
    for _ in range(60):
        page.keyboard.press("Tab")
        if focused(page)["id"].startswith(f"id_{field}_"):
            break
    for _ in range(8):
        if focused(page)["label"].startswith(wanted):
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"no option {wanted!r}")


def skip_to_main(page: object) -> None:
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Skip to main content"
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main-content"


def signed_in(new_page: object, email: str) -> object:
    return new_page(User.objects.get(email=email))


def test_an_officer_records_progress_and_the_lead_approves_it_by_keyboard(new_page: object, demo: None) -> None:
    recommendation = Recommendation.objects.filter(owner__email="officer@st-helens.example").order_by("pk").first()
    reference = recommendation.reference
    officer = signed_in(new_page, "officer@st-helens.example")
    officer.goto(f"/councils/st-helens/recommendations/{recommendation.pk}/")
    skip_to_main(officer)
    tab_to(officer, "Record progress")
    enter(officer)
    assert officer.title().startswith("Record progress")

    # Amber with no reason: the error summary takes focus, and the address has no fragment to take it away.
    choose(officer, "status", "In progress")
    choose(officer, "rag", "Amber")
    tab_to(officer, "Submit for review")
    enter(officer)
    assert officer.title().startswith("Error:")
    assert "#" not in officer.url
    assert "govuk-error-summary" in focused(officer)["classes"]
    officer.keyboard.press("Tab")
    assert focused(officer)["text"] == "Enter the reason for an amber or red RAG rating"
    officer.keyboard.press("Enter")  # the error's link: focus goes to its field
    assert focused(officer)["label"].startswith("Reason for the RAG rating")
    officer.keyboard.type("The Cabinet date moved to December.")
    tab_to(officer, "Progress since the last update")
    officer.keyboard.type("The report is drafted.\nIt goes to Cabinet in December.")
    tab_to(officer, "Submit for review")
    enter(officer)
    assert officer.url.endswith(f"/recommendations/{recommendation.pk}/")
    assert "govuk-notification-banner" in focused(officer)["classes"]  # the success banner is read at once

    lead = signed_in(new_page, "lead@st-helens.example")
    lead.goto("/councils/st-helens/reviews/")
    skip_to_main(lead)
    tab_to(lead, f"Review the update on recommendation {reference}")
    enter(lead)
    assert lead.title().startswith("Review the update")
    assert "The report is drafted.<br>It goes to Cabinet in December." in lead.content()  # its lines kept
    tab_to(lead, "Approve the update")
    enter(lead)
    assert "approved" in lead.locator(".govuk-notification-banner").inner_text()
    assert "govuk-notification-banner" in focused(lead)["classes"]


def test_the_dashboard_as_at_a_past_date_then_a_sorted_table_by_keyboard(new_page: object, demo: None) -> None:
    page = signed_in(new_page, "leadership@st-helens.example")
    page.goto("/councils/st-helens/")
    skip_to_main(page)
    # The dashboard starts with a contents list of its sections.
    assert tab_to(page, "Choose what to show", limit=3)["tag"] == "a"
    page.keyboard.press("Enter")
    page.wait_for_url("**#choose-what-to-show")  # the link's own jump, however busy the machine
    tab_to(page, "Day", limit=5)  # from the section's heading, its first fields
    page.keyboard.type("31")
    page.keyboard.press("Tab")
    page.keyboard.type("2")
    page.keyboard.press("Tab")
    page.keyboard.type("2020")
    tab_to(page, "Show the dashboard", limit=3)
    enter(page)
    assert page.title().startswith("Error:")
    assert "#" not in page.url
    assert "govuk-error-summary" in focused(page)["classes"]
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "id_as_at_0"
    page.keyboard.press("Control+A")
    page.keyboard.type("28")
    page.keyboard.press("Tab")
    page.keyboard.press("Control+A")
    page.keyboard.type("9")
    tab_to(page, "Show the dashboard", limit=4)
    enter(page)
    assert "As at 28 September 2020" in page.locator("main").inner_text()

    # A number names what it opens; Enter opens the table it counts, as at the same day.
    link = tab_to(page, "8 recommendations")
    assert link["tag"] == "a"
    enter(page)
    assert page.title().startswith("Recommendations")
    assert "as at 28 September 2020" in page.locator("caption").inner_text()
    tab_to(page, "RAG", exact=True)
    enter(page)
    # Focus comes back to the sorted column's header, not the top of the page.
    assert focused(page)["text"].startswith("RAG")
    assert focused(page)["id"] == "sort-rag"
    assert page.locator("th", has=page.locator("#sort-rag")).get_attribute("aria-sort") == "ascending"
    page.keyboard.press("Tab")
    assert focused(page)["text"].startswith("Due date")  # the next header along


def test_a_report_s_preview_takes_focus_by_keyboard(new_page: object, demo: None) -> None:
    report = SummaryReport.objects.filter(session__engagement__council__slug="st-helens").order_by("pk").last()
    page = signed_in(new_page, "lead@st-helens.example")
    page.goto(f"/councils/st-helens/reports/{report.pk}/")
    skip_to_main(page)
    tab_to(page, "Edit the narrative")
    enter(page)
    assert page.title().startswith("Edit the report")

    # No title: the error summary takes focus, and no preview is shown.
    tab_to(page, "Title")
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    tab_to(page, "Preview")
    enter(page)
    assert page.title().startswith("Error:")
    assert "govuk-error-summary" in focused(page)["classes"]
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert focused(page)["label"] == "Title"
    page.keyboard.type("Peer Support Summary Report")
    tab_to(page, "Introduction")
    page.keyboard.press("Control+End")
    page.keyboard.type("\n\nA paragraph added in the preview.")
    tab_to(page, "Preview")
    enter(page)
    element = focused(page)
    assert (element["id"], element["text"]) == ("preview", "Preview (not saved)")
    assert "A paragraph added in the preview." in page.locator(".app-preview").inner_text()
