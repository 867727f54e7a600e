"""Given the St Helens demo, the improvement lead opens the summary report of the 28 September 2020 panel,
edits its introduction, previews it, saves and publishes it; a member of the leadership team reads the
published report and downloads its PDF. Every page passes axe, the error state included."""

from io import BytesIO

import pytest
from pypdf import PdfReader

from recommendations.models import User
from reports.models import SummaryReport

from .conftest import assert_accessible, clicked

pytestmark = pytest.mark.django_db(transaction=True)


def panel_report() -> SummaryReport:
    return SummaryReport.objects.get(council__slug="st-helens", session__held_on="2020-09-28")


def test_the_lead_edits_previews_and_publishes_and_leadership_downloads_the_pdf(new_page: object, demo: None) -> None:
    report = panel_report()
    published_before = report.versions.count()
    lead = new_page(User.objects.get(email="lead@st-helens.example"))
    lead.goto(f"/councils/st-helens/reports/{report.pk}/")
    assert "This is the draft" in lead.locator("main").inner_text()
    assert lead.get_by_role("heading", name="Financial position", exact=True).is_visible()
    assert "Does not add up" in lead.locator("main").inner_text()
    assert_accessible(lead)

    clicked(lead.get_by_role("button", name="Edit the narrative"))
    lead.get_by_label("Title").fill("")
    clicked(lead.get_by_role("button", name="Save"))
    assert lead.title().startswith("Error:")
    assert "Enter a title" in lead.locator(".govuk-error-summary").inner_text()
    assert_accessible(lead)

    lead.get_by_label("Title").fill("Peer Support Summary Report")
    lead.get_by_label("Introduction").fill("The panel met **remotely** on 28 September 2020.\n\n- One\n- Two")
    clicked(lead.get_by_role("button", name="Preview"))
    preview = lead.locator("main").inner_text()
    assert "Preview (not saved)" in preview and "The panel met remotely on 28 September 2020." in preview
    assert_accessible(lead)
    clicked(lead.get_by_role("button", name="Save"))
    lead.wait_for_url(f"**/councils/st-helens/reports/{report.pk}/")
    assert "Report saved" in lead.locator("main").inner_text()

    clicked(lead.get_by_role("button", name="Publish"))
    lead.wait_for_url(f"**/councils/st-helens/reports/{report.pk}/")
    assert f"Version {published_before + 1} published" in lead.locator("main").inner_text()
    assert_accessible(lead)

    reader = new_page(User.objects.get(email="leadership@st-helens.example"))
    reader.goto(f"/councils/st-helens/reports/{report.pk}/")
    text = reader.locator("main").inner_text()
    assert "This is the draft" not in text and "The panel met remotely on 28 September 2020." in text
    assert_accessible(reader)
    with reader.expect_download() as download:
        reader.get_by_role("link", name="Download the latest version as a PDF").click()
    document = PdfReader(BytesIO(open(download.value.path(), "rb").read()))  # noqa: SIM115
    assert document.metadata.title == "Peer Support Summary Report"
    assert "The panel met remotely on 28 September 2020." in "".join(page.extract_text() for page in document.pages)
