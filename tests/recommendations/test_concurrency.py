"""No lost updates: two leads open the same recommendation or action; the first to save wins; the second
is refused with a clear message, keeps what they typed, and sees the latest version beside it."""

import datetime as dt

import pytest

from recommendations import services
from recommendations.models import Action, Council, Recommendation, User

from ..conftest import client_for
from ..factories import ActionFactory, RecommendationFactory
from .plan_forms import date_parts, form_data

pytestmark = pytest.mark.django_db

REFUSED = "Someone else changed this {} while you were editing it. Your changes have not been saved."


@pytest.fixture
def recommendation(council: Council) -> Recommendation:
    return RecommendationFactory(
        engagement__council=council, reference="R1", heading="As published", due_date=dt.date(2025, 3, 31)
    )


def url(item: Recommendation | Action) -> str:
    kind = "recommendations" if isinstance(item, Recommendation) else "actions"
    return f"/councils/{item.council.slug}/{kind}/{item.pk}/edit/"


def test_the_second_save_of_a_recommendation_is_refused_and_the_first_is_kept(
    recommendation: Recommendation, lead: User, second_lead: User
) -> None:
    first, second = client_for(lead), client_for(second_lead)
    first_form = form_data(first.get(url(recommendation)).context["form"])
    second_form = form_data(second.get(url(recommendation)).context["form"])
    assert first_form["version"] == second_form["version"] == "1"

    saved = first.post(url(recommendation), {**first_form, "heading": "The first lead's heading"})
    assert saved.status_code == 302

    refused = second.post(
        url(recommendation), {**second_form, "heading": "The second lead's heading", "lead_member": "Cllr Second"}
    )
    assert refused.status_code == 200
    page = refused.content.decode()
    assert REFUSED.format("recommendation") in page
    assert "<title>Error: " in page
    assert 'href="#latest-version"' in page  # the error summary leads to the latest version
    assert "Here is the latest version" in page
    assert 'value="The second lead&#x27;s heading"' in page  # what they typed is still in the form
    assert ("Heading (optional)", "The first lead's heading", "The second lead's heading") in refused.context[
        "differences"
    ]

    recommendation.refresh_from_db()
    assert (recommendation.heading, recommendation.lead_member) == ("The first lead's heading", "")
    assert recommendation.version == 2  # raised once, by the first save
    assert recommendation.history.count() == 2

    # Saving again from the refusal page replaces the first lead's version, knowingly.
    again = form_data(refused.context["form"])
    assert again["version"] == "2"
    assert second.post(url(recommendation), again).status_code == 302
    recommendation.refresh_from_db()
    assert (recommendation.heading, recommendation.lead_member, recommendation.version) == (
        "The second lead's heading",
        "Cllr Second",
        3,
    )


def test_the_second_save_of_an_action_is_refused_and_the_first_is_kept(
    recommendation: Recommendation, lead: User, second_lead: User
) -> None:
    action = ActionFactory(recommendation=recommendation, reference="1.1", due_date=dt.date(2024, 12, 31))
    first, second = client_for(lead), client_for(second_lead)
    first_form = form_data(first.get(url(action)).context["form"])
    second_form = form_data(second.get(url(action)).context["form"])

    moved = {**date_parts("due_date", dt.date(2025, 3, 31)), "due_date_reason": "Waiting for Cabinet"}
    assert first.post(url(action), {**first_form, **moved}).status_code == 302

    refused = second.post(url(action), {**second_form, "description": "Rewritten by the second lead"})
    assert refused.status_code == 200
    assert REFUSED.format("action") in refused.content.decode()
    # The first lead moved the date, which the second left alone: the form now holds the moved date.
    assert refused.context["differences"] == [("Due date (optional)", "31 March 2025", "31 March 2025")]

    action.refresh_from_db()
    assert action.due_date == dt.date(2025, 3, 31)
    assert action.description == "Agree a corporate plan with three priorities."
    assert action.version == 2
    assert action.due_date_changes.count() == 1

    # Saving again keeps the first lead's date and adds the second lead's description.
    assert second.post(url(action), form_data(refused.context["form"])).status_code == 302
    action.refresh_from_db()
    assert (action.description, action.due_date, action.version) == (
        "Rewritten by the second lead",
        dt.date(2025, 3, 31),
        3,
    )
    assert action.due_date_changes.count() == 1


def test_what_the_second_lead_left_alone_takes_the_first_leads_value(
    recommendation: Recommendation, lead: User, second_lead: User
) -> None:
    first, second = client_for(lead), client_for(second_lead)
    first_form = form_data(first.get(url(recommendation)).context["form"])
    second_form = form_data(second.get(url(recommendation)).context["form"])
    assert first.post(url(recommendation), {**first_form, "lead_member": "Cllr First"}).status_code == 302
    refused = second.post(url(recommendation), {**second_form, "closure_basis": "Business as usual"})
    form = refused.context["form"]
    assert (form["lead_member"].value(), form["closure_basis"].value()) == ("Cllr First", "Business as usual")
    assert refused.context["differences"] == [("Lead member (optional)", "Cllr First", "Cllr First")]


def test_when_both_moved_the_date_saving_again_needs_the_reason(
    recommendation: Recommendation, lead: User, second_lead: User
) -> None:
    first, second = client_for(lead), client_for(second_lead)
    first_form = form_data(first.get(url(recommendation)).context["form"])
    second_form = form_data(second.get(url(recommendation)).context["form"])
    first_move = {**date_parts("due_date", dt.date(2025, 6, 30)), "due_date_reason": "Budget"}
    assert first.post(url(recommendation), {**first_form, **first_move}).status_code == 302
    second_move = {**date_parts("due_date", dt.date(2025, 9, 30)), "due_date_reason": "Staffing"}
    refused = second.post(url(recommendation), {**second_form, **second_move})
    assert refused.context["differences"] == [("Target date (optional)", "30 June 2025", "30 September 2025")]
    assert [message for _anchor, message in refused.context["errors"]] == [REFUSED.format("recommendation")]
    again = form_data(refused.context["form"])
    assert second.post(url(recommendation), again).status_code == 302  # the reason they typed is still there
    recommendation.refresh_from_db()
    assert (recommendation.due_date, recommendation.baseline_due_date) == (dt.date(2025, 9, 30), dt.date(2025, 3, 31))
    assert list(recommendation.due_date_changes.values_list("reason", flat=True)) == ["Budget", "Staffing"]


def test_a_refused_save_records_no_status_change_either(
    recommendation: Recommendation, lead: User, second_lead: User
) -> None:
    first, second = client_for(lead), client_for(second_lead)
    first_form = form_data(first.get(url(recommendation)).context["form"])
    second_form = form_data(second.get(url(recommendation)).context["form"])
    assert first.post(url(recommendation), {**first_form, "heading": "First"}).status_code == 302
    refused = second.post(url(recommendation), {**second_form, "status": "complete", "rag": "green"})
    assert refused.status_code == 200
    assert not recommendation.updates.exists()
    assert refused.context["errors"] == [("latest-version", REFUSED.format("recommendation"))]


def test_the_service_refuses_an_old_version(recommendation: Recommendation, lead: User) -> None:
    services.recommendation_update(recommendation=recommendation, by=lead, expected_version=1, heading="First")
    with pytest.raises(services.StaleEdit) as error:
        services.recommendation_update(recommendation=recommendation, by=lead, expected_version=1, heading="Second")
    assert error.value.current.heading == "First"
    assert error.value.current.version == 2
    recommendation.refresh_from_db()
    assert (recommendation.heading, recommendation.version) == ("First", 2)
