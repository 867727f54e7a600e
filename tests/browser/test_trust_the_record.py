"""Given the St Helens demo: an officer submits an update, presses Back and submits the same form again, and
one update waits, with "This update was already submitted"; the lead, told that R8 changed after its waiting
update was submitted, approves it as history; a lead who rates an update differently must say why. Every
page and error state passes axe."""

import pytest

from recommendations import services
from recommendations.models import ProgressUpdate, Rag, Recommendation, Status, User

from .conftest import assert_accessible, clicked

pytestmark = pytest.mark.django_db(transaction=True)


def test_back_and_submit_again_leaves_one_waiting_update(new_page: object, demo: None) -> None:
    officer = User.objects.get(email="officer@st-helens.example")
    recommendation = (
        Recommendation.objects.filter(owner=officer).exclude(updates__review_state__in=["draft", "submitted"]).first()
    )
    detail = f"/councils/st-helens/recommendations/{recommendation.pk}/"
    page = new_page(officer)
    page.goto(detail)
    clicked(page.get_by_role("button", name="Record progress"))
    page.get_by_label("In progress").check()
    page.get_by_label("Green (on track)").check()
    page.get_by_label("Progress since the last update").fill("The board met in November.")
    clicked(page.get_by_role("button", name="Submit for review"))
    page.wait_for_url(f"**{detail}")

    page.go_back(wait_until="commit")  # from the back/forward cache: the form as it was, with what was typed
    assert page.get_by_label("Progress since the last update").input_value() == "The board met in November."
    clicked(page.get_by_role("button", name="Submit for review"))

    assert "This update was already submitted" in page.locator(".govuk-notification-banner").inner_text()
    assert_accessible(page)
    waiting = ProgressUpdate.objects.filter(recommendation=recommendation, review_state="submitted")
    assert [update.narrative for update in waiting] == ["The board met in November."]
    assert ProgressUpdate.objects.filter(recommendation=recommendation).exclude(review_state="approved").count() == 1


def test_a_lead_is_told_before_approving_an_update_older_than_the_position(new_page: object, demo: None) -> None:
    lead = User.objects.get(email="lead@st-helens.example")
    r8 = Recommendation.objects.get(engagement__council__slug="st-helens", reference="R8")
    waiting = ProgressUpdate.objects.get(recommendation=r8, review_state="submitted")
    services.update_record(
        item=r8, author=lead, status=Status.IN_PROGRESS, rag=Rag.RED, rag_reason="The survey has not run."
    )
    page = new_page(lead)
    page.goto(f"/councils/st-helens/reviews/{waiting.pk}/")
    warning = page.locator("#later-change").inner_text()
    assert "R8 has changed since this update was submitted on 12 January 2022" in warning
    assert "the position stays as it is" in warning
    assert_accessible(page)

    # Rating it differently needs a reason.
    page.get_by_label("Amber (at risk)").check()
    clicked(page.get_by_role("button", name="Approve the update"))
    assert page.title().startswith("Error:")
    assert "Enter why you rated it differently" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)
    page.get_by_label("Amber (at risk)").check()
    page.get_by_label("Why you rated it differently").fill("Complete only once the survey results are in.")
    clicked(page.get_by_role("button", name="Approve the update"))
    assert "added to its history" in page.locator(".govuk-notification-banner").inner_text()

    page.goto(f"/councils/st-helens/recommendations/{r8.pk}/")
    card = page.locator(f"#update-{waiting.pk}").inner_text()
    assert "Approved after a later change" in card
    assert "Complete only once the survey results are in." in card
    assert_accessible(page)


def test_a_new_owner_submitting_while_the_old_owners_update_waits_keeps_their_draft(
    new_page: object, demo: None
) -> None:
    r8 = Recommendation.objects.get(engagement__council__slug="st-helens", reference="R8")
    successor = User.objects.get(email="officer2@st-helens.example")
    Recommendation.objects.filter(pk=r8.pk).update(owner=successor)
    page = new_page(successor)
    page.goto(f"/councils/st-helens/recommendations/{r8.pk}/updates/new/")
    assert "is waiting for sign-off. You can save a draft now" in " ".join(page.content().split())
    assert_accessible(page)
    page.get_by_label("Progress since the last update").fill("Taken over from Sam.")
    clicked(page.get_by_role("button", name="Submit for review"))
    assert page.title().startswith("Error:")
    summary = page.locator(".govuk-error-summary")
    assert "Your update has been saved as a draft" in summary.inner_text()
    assert_accessible(page)
    clicked(summary.get_by_role("link"))
    assert "is waiting for sign-off" in page.locator("#waiting").inner_text()
    assert ProgressUpdate.objects.get(author=successor, recommendation=r8).review_state == "draft"
