"""Given the St Helens demo, the improvement lead opens the draft summary report of the 2021 peer support
session, edits its narrative, previews it (the preview warns where the narrative contradicts the data as at
its date), saves it, and publishes it from the confirmation page that lists what is unresolved; a member of
the leadership team reads the published report and downloads its PDF. Every page passes axe: the report, its
edit page with its error and its preview, and the confirmation page."""

import re
from io import BytesIO

import pytest
from pypdf import PdfReader

from recommendations.models import User
from reports.models import SummaryReport

from .conftest import assert_accessible, clicked

pytestmark = pytest.mark.django_db(transaction=True)


def support_report() -> SummaryReport:
    return SummaryReport.objects.get(council__slug="st-helens", session__held_on="2021-03-16")


def test_the_lead_previews_the_warnings_and_publishes_as_a_decision(new_page: object, demo: None) -> None:
    report = support_report()
    assert not report.versions.exists()
    lead = new_page(User.objects.get(email="lead@st-helens.example"))
    lead.goto(f"/councils/st-helens/reports/{report.pk}/")
    main = lead.locator("main")
    assert "This is the draft" in main.inner_text()
    assert lead.get_by_role("heading", name="Financial position", exact=True).is_visible()
    assert "Does not add up" in main.inner_text() and "2 December 2020" in main.inner_text()
    assert_accessible(lead)

    clicked(lead.get_by_role("button", name="Edit the narrative"))
    lead.get_by_label("Title").fill("")
    clicked(lead.get_by_role("button", name="Save"))
    assert lead.title().startswith("Error:")
    assert "Enter a title" in lead.locator(".govuk-error-summary").inner_text()
    assert_accessible(lead)

    lead.get_by_label("Title").fill("Peer Support Summary Report 2021")
    clicked(lead.get_by_role("button", name="Preview"))
    preview = lead.locator("main").inner_text()
    assert "Preview (not saved)" in preview and "Before you publish" in preview
    assert "but R7 was In progress as at 16 March 2021" in preview
    assert "but R8 was In progress as at 16 March 2021" in preview
    assert "names £17.12m" in preview
    assert_accessible(lead)
    clicked(lead.get_by_role("button", name="Save"))
    lead.wait_for_url(f"**/councils/st-helens/reports/{report.pk}/")
    assert "Report saved" in lead.locator("main").inner_text()

    clicked(lead.get_by_role("button", name="Publish the report"))
    lead.wait_for_url(f"**/councils/st-helens/reports/{report.pk}/publish/")
    confirm = lead.locator("main").inner_text()
    assert "Publish version 1" in confirm and "can't be changed afterwards" in confirm
    assert "but R7 was In progress" in confirm
    edit_link = lead.get_by_role("link", name="Edit the executive summary").first
    assert edit_link.get_attribute("href").endswith(f"/reports/{report.pk}/edit/#id_executive_summary")
    assert_accessible(lead)
    clicked(lead.get_by_role("button", name="Publish version 1 anyway"))
    lead.wait_for_url(f"**/councils/st-helens/reports/{report.pk}/")
    assert "Version 1 published" in lead.locator("main").inner_text()
    assert report.versions.get().warnings_seen
    assert_accessible(lead)

    reader = new_page(User.objects.get(email="leadership@st-helens.example"))
    reader.goto(f"/councils/st-helens/reports/{report.pk}/")
    text = reader.locator("main").inner_text()
    assert "This is the draft" not in text and "Peer Support Summary Report 2021" in text
    assert_accessible(reader)
    with reader.expect_download() as download:
        reader.get_by_role("link", name="Download the latest version as a PDF").click()
    assert download.value.suggested_filename == "st-helens-peer-support-session-2021-2021-03-16-v1.pdf"
    document = PdfReader(BytesIO(open(download.value.path(), "rb").read()))  # noqa: SIM115
    assert document.metadata.title == "Peer Support Summary Report 2021"
    assert re.search(r"Of the \d+ assessed: \d+ per cent green", "".join(p.extract_text() for p in document.pages))
