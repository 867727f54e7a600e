"""Given the St Helens demo, a member of the leadership team opens the recommendations table, filters it by
status, looks at it as at the day of the Recovery and Renewal Panel, sorts it by RAG and reads it; a date
that is not real is an error they can correct. From the actions table as at that day they open action 6.1,
see it as it stood then (50% complete), and go back to today. Every page passes axe, the error state and
the item page as at a past date included."""

import pytest

from recommendations.models import User

from .conftest import assert_accessible, clicked

pytestmark = pytest.mark.django_db(transaction=True)


def row_references(page: object) -> list[str]:
    return [text.strip() for text in page.locator("table.govuk-table tbody tr td:first-child").all_inner_texts()]


def test_leadership_filters_dates_and_sorts_the_recommendations_table(new_page: object, demo: None) -> None:
    page = new_page(User.objects.get(email="leadership@st-helens.example"))
    page.goto("/councils/st-helens/recommendations/")
    assert page.title().startswith("Recommendations")
    assert page.locator("caption").inner_text().startswith("8 recommendations as at")
    assert_accessible(page)

    # Filter by status: today two are still in progress.
    page.get_by_label("Status").select_option(label="In progress")
    clicked(page.get_by_role("button", name="Apply filters"))
    assert row_references(page) == ["R4", "R8"]
    assert page.locator("caption").inner_text().startswith("2 recommendations as at")

    # A date that is not real: a GOV.UK error, and the table still shows today.
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year").fill("2020")
    clicked(page.get_by_role("button", name="Apply filters"))
    assert page.title().startswith("Error: Recommendations")
    summary = page.locator(".govuk-error-summary")
    assert "As at date must be a real date" in summary.inner_text()
    assert row_references(page) == ["R4", "R8"]
    assert_accessible(page)
    summary.get_by_role("link", name="As at date must be a real date").click()
    assert page.evaluate("document.activeElement.id") == "id_as_at_0"

    # As at the day of the Recovery and Renewal Panel, all eight were in progress.
    page.get_by_label("Day").fill("28")
    page.get_by_label("Month").fill("9")
    clicked(page.get_by_role("button", name="Apply filters"))
    assert not page.title().startswith("Error")
    assert page.locator("caption").inner_text() == "8 recommendations as at 28 September 2020"
    assert page.get_by_label("Status").input_value() == "in_progress"  # the filters are kept

    # Sort by RAG: the one off track comes first; the header says how it is sorted.
    clicked(page.get_by_role("link", name="RAG", exact=True))
    rag_header = page.locator("th", has=page.get_by_role("link", name="RAG", exact=True))
    assert rag_header.get_attribute("aria-sort") == "ascending"
    assert row_references(page)[0] == "R5"
    first_row = page.locator("table.govuk-table tbody tr").first
    assert "Red (off track)" in first_row.inner_text()
    assert "In progress" in first_row.inner_text()
    assert page.locator("caption").inner_text() == "8 recommendations as at 28 September 2020"  # filters kept
    assert_accessible(page)

    # The export links carry the filters.
    href = page.get_by_role("link", name="Download as an Excel spreadsheet (XLSX)").get_attribute("href")
    assert "status=in_progress" in href and "as_at_day=28" in href

    # The actions table reads the same way.
    page.goto("/councils/st-helens/actions/?as_at=2020-09-28")
    assert page.locator("caption").inner_text().endswith("as at 28 September 2020")
    assert_accessible(page)

    # Action 6.1 as it stood that day: half done (it was finished in February 2021).
    row = page.locator("table.govuk-table tbody tr", has=page.locator("td:first-child", has_text="6.1"))
    assert "50%" in row.inner_text()
    clicked(row.get_by_role("link").first)
    assert page.url.endswith("?as_at=2020-09-28")
    assert "As at 28 September 2020" in page.locator("#as-at").inner_text()
    complete = page.locator(".govuk-summary-list__row", has=page.locator("dt", has_text="Complete"))
    assert complete.locator("dd").inner_text().strip() == "50%"
    assert_accessible(page)
    clicked(page.get_by_role("link", name="See it as it is today"))
    assert complete.locator("dd").inner_text().strip() == "100%"
    assert page.locator("#as-at").count() == 0
