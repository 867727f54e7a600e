"""Given the St Helens demo: an officer records progress with a PDF and submits it; the lead returns it
with a comment; the officer corrects it and submits again; the lead approves it; the recommendation shows
the approved update and its evidence downloads. Every page passes axe, error states included."""

from pathlib import Path

import pytest

from nonprod.demo import DEMO_PASSWORD
from recommendations.models import ProgressUpdate, Recommendation

from .conftest import assert_accessible, clicked

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def sign_in(new_page: object, email: str) -> object:
    page = new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    clicked(page.get_by_role("button", name="Sign in"))
    page.wait_for_url("**/councils/st-helens/**")  # My work for the officer, Reviews for the lead
    return page


def test_progress_is_recorded_returned_corrected_and_approved(new_page: object, demo: None) -> None:
    recommendation = Recommendation.objects.filter(owner__email="officer@st-helens.example").order_by("pk").first()
    detail = f"/councils/st-helens/recommendations/{recommendation.pk}/"

    # The officer records progress, first forgetting the narrative and the reason for amber.
    officer = sign_in(new_page, "officer@st-helens.example")
    officer.goto(detail)
    clicked(officer.get_by_role("button", name="Record progress"))
    assert_accessible(officer)
    officer.get_by_label("In progress").check()
    officer.get_by_label("Amber (at risk)").check()
    officer.locator("#id_evidence-0-title").fill("Cabinet report, November 2026")
    officer.locator("#id_evidence-0-file").set_input_files(
        files=[{"name": "cabinet-report.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    clicked(officer.get_by_role("button", name="Submit for review"))
    assert officer.title().startswith("Error:")
    assert "Enter the reason for an amber or red RAG rating" in officer.locator(".govuk-error-summary").inner_text()
    assert "Remove “Cabinet report, November 2026”" in officer.content()  # the file is kept, not asked again
    assert "You already attached cabinet-report.pdf" in " ".join(officer.content().split())
    assert_accessible(officer)
    officer.get_by_label("Reason for the RAG rating").fill("The Cabinet date moved to December.")
    officer.get_by_label("Progress since the last update").fill("The report is drafted.")
    clicked(officer.get_by_role("button", name="Submit for review"))
    officer.wait_for_url(f"**{detail}")
    assert "Waiting for sign-off" in officer.content()
    assert_accessible(officer)

    # The lead returns it with a comment, after trying without one.
    lead = sign_in(new_page, "lead@st-helens.example")
    lead.goto("/councils/st-helens/reviews/")
    assert_accessible(lead)
    clicked(lead.get_by_role("link", name=f"Review the update on recommendation {recommendation.reference}"))
    assert_accessible(lead)
    clicked(lead.get_by_role("button", name="Return the update"))
    assert lead.title().startswith("Error:")
    assert_accessible(lead)
    lead.get_by_label("What needs to change").fill("Say which Cabinet meeting in December.")
    clicked(lead.get_by_role("button", name="Return the update"))
    assert "returned to" in lead.locator(".govuk-notification-banner").inner_text()

    # The officer corrects it from their work list and submits again.
    officer.goto("/councils/st-helens/my-work/")
    assert_accessible(officer)
    clicked(officer.get_by_role("link", name=f"Change your update on {recommendation.reference}"))
    assert "Say which Cabinet meeting in December." in officer.content()
    assert_accessible(officer)
    officer.get_by_label("Progress since the last update").fill("The report goes to Cabinet on 9 December.")
    clicked(officer.get_by_role("button", name="Submit for review"))
    officer.wait_for_url(f"**{detail}")

    # The lead approves it, agreeing with the owner's rating.
    lead.goto("/councils/st-helens/reviews/")
    clicked(lead.get_by_role("link", name=f"Review the update on recommendation {recommendation.reference}"))
    clicked(lead.get_by_role("button", name="Approve the update"))
    assert "approved" in lead.locator(".govuk-notification-banner").inner_text()
    update = ProgressUpdate.objects.get(narrative="The report goes to Cabinet on 9 December.")
    assert update.review_state == "approved"

    # The recommendation shows the approved update, and its evidence downloads.
    lead.goto(detail)
    assert "The report goes to Cabinet on 9 December." in lead.content()
    assert_accessible(lead)
    with lead.expect_download() as download:
        lead.get_by_role("link", name="Cabinet report, November 2026").first.click()
    assert download.value.suggested_filename == "cabinet-report.pdf"
    assert Path(download.value.path()).read_bytes() == PDF
