"""Given a council near its storage quota: an officer's form that is rejected keeps the file that fitted (listed
as already attached) and refuses the one that did not, naming the council's total and the quota; the lead
sees the total on the People page. Both pages pass axe."""

import pytest

from recommendations.models import Council, StagedUpload, User

from ..factories import RecommendationFactory
from .conftest import assert_accessible, clicked

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def test_a_rejected_form_keeps_the_file_that_fitted_and_refuses_the_one_past_the_quota(
    new_page: object, council: Council, officer: User, lead: User, settings: object
) -> None:
    settings.COUNCIL_STORAGE_QUOTA_BYTES = 100 * 1024
    recommendation = RecommendationFactory(engagement__council=council, owner=officer, reference="R3")
    page = new_page(officer)
    page.goto(f"/councils/borsetshire/recommendations/{recommendation.pk}/updates/new/")
    page.get_by_label("In progress").check()
    page.get_by_label("Green (on track)").check()
    page.locator("#id_evidence-0-title").fill("Cabinet minutes")
    page.locator("#id_evidence-0-file").set_input_files(
        files=[{"name": "minutes.pdf", "mimeType": "application/pdf", "buffer": PDF + bytes(60 * 1024)}]
    )
    page.locator("#id_evidence-1-file").set_input_files(
        files=[{"name": "budget.pdf", "mimeType": "application/pdf", "buffer": PDF + bytes(50 * 1024)}]
    )
    clicked(page.get_by_role("button", name="Save as draft"))

    assert page.title().startswith("Error:")
    summary = " ".join(page.locator(".govuk-error-summary").inner_text().split())
    assert "Enter the progress since the last update" in summary
    assert (
        "budget.pdf cannot be added: Borsetshire County Council's evidence files take up 60.1 KB of its 100 KB "
        "quota, and this file is 50.1 KB"
    ) in summary
    assert "budget.pdf cannot be added" in page.locator("#id_evidence-1-file-error").inner_text()
    hint = " ".join(page.locator("#already-attached-hint").inner_text().split())
    assert hint.startswith("You already attached minutes.pdf: you do not need to choose it again.")
    assert page.get_by_label("Remove “Cabinet minutes” (minutes.pdf, 60.1 KB)").is_visible()
    assert_accessible(page)

    page.get_by_label("Progress since the last update").fill("Minutes agreed.")
    clicked(page.get_by_role("button", name="Save as draft"))
    page.wait_for_url("**/councils/borsetshire/my-work/")
    assert not StagedUpload.objects.exists()

    people = new_page(lead)
    people.goto("/councils/borsetshire/people/#storage")
    assert "60.1 KB of 100 KB (60%)" in people.locator(".govuk-summary-list").inner_text()
    assert_accessible(people)
