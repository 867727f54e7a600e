"""Leads add and change recommendations and actions in the browser: owners, dates (a move needs its reason
and keeps the baseline), and a direct change of status or RAG, which is an approved update marked as the
lead's. Other councils' themes, owners and directorates cannot be reached, even by a crafted form."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from recommendations import selectors, services, vocabulary
from recommendations.forms.plan import ActionForm, RecommendationForm
from recommendations.models import (
    Action,
    Council,
    Directorate,
    DueDateChange,
    Engagement,
    Membership,
    ProgressUpdate,
    Rag,
    Recommendation,
    Status,
    User,
)

from ..conftest import client_for
from ..factories import (
    ActionFactory,
    DirectorateFactory,
    EngagementFactory,
    MembershipFactory,
    RecommendationFactory,
    ThemeFactory,
    UserFactory,
)
from .plan_forms import date_parts, errors_of, form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def engagement(council: Council) -> Engagement:
    engagement = EngagementFactory(council=council, title="CPC 2024")
    ThemeFactory(engagement=engagement, name="Governance and culture")
    return engagement


def new_recommendation(engagement: Engagement, **overrides: str) -> dict[str, str]:
    return {
        "reference": "R3",
        "heading": "Shared priorities",
        "text": "Develop a shared understanding of the council's priorities.",
        "kind": "recommendation",
        "theme": str(engagement.themes.get().pk),
        "lead_directorate": "",
        "new_directorate": "",
        "owner": "",
        "lead_member": "Cllr Jane Example",
        **date_parts("due_date", dt.date(2025, 3, 31)),
        "closure_basis": "",
        **overrides,
    }


def new_action(**overrides: str) -> dict[str, str]:
    return {
        "reference": "3.1",
        "description": "Agree a corporate plan with three priorities.",
        "owner": "",
        **date_parts("start_date", dt.date(2024, 6, 1)),
        **date_parts("due_date", dt.date(2024, 12, 31)),
        "percent_complete": "",
        **overrides,
    }


def create_url(engagement: Engagement) -> str:
    return f"/councils/{engagement.council.slug}/engagements/{engagement.pk}/recommendations/new/"


def edit_url(item: Recommendation | Action) -> str:
    kind = "recommendations" if isinstance(item, Recommendation) else "actions"
    return f"/councils/{item.council.slug}/{kind}/{item.pk}/edit/"


def action_create_url(recommendation: Recommendation) -> str:
    return f"/councils/{recommendation.council.slug}/recommendations/{recommendation.pk}/actions/new/"


def edit_data(client: object, item: Recommendation | Action) -> dict[str, str]:
    response = client.get(edit_url(item))
    assert response.status_code == 200
    return form_data(response.context["form"])


# --- adding a recommendation -------------------------------------------------------------------------


def test_a_lead_adds_a_recommendation_at_the_end_of_the_list(engagement: Engagement, lead: User, officer: User) -> None:
    RecommendationFactory(engagement=engagement, reference="R1", position=4)
    directorate = DirectorateFactory(council=engagement.council, name="Chief Executive's Office")
    data = new_recommendation(engagement, owner=str(officer.pk), lead_directorate=str(directorate.pk))
    response = client_for(lead).post(create_url(engagement), data)
    recommendation = Recommendation.objects.get(reference="R3")
    assert response.status_code == 302
    assert response.headers["Location"] == (
        f"/councils/{engagement.council.slug}/engagements/{engagement.pk}/#recommendation-{recommendation.pk}"
    )
    assert recommendation.position == 5
    assert (recommendation.owner, recommendation.lead_directorate, recommendation.theme.name) == (
        officer,
        directorate,
        "Governance and culture",
    )
    assert recommendation.due_date == recommendation.baseline_due_date == dt.date(2025, 3, 31)
    assert recommendation.version == 1
    assert recommendation.history.get().history_user == lead


def test_the_form_offers_owners_by_name_and_email(engagement: Engagement, lead: User, officer: User) -> None:
    left = MembershipFactory(council=engagement.council, role=Membership.Role.OFFICER, is_active=False).user
    reader = MembershipFactory(council=engagement.council, role=Membership.Role.LEADERSHIP).user
    response = client_for(lead).get(create_url(engagement))
    assert response.status_code == 200
    choices = [label for _value, label in response.context["form"].fields["owner"].choices]
    assert f"{officer.get_full_name()} ({officer.email})" in choices
    assert f"{lead.get_full_name()} ({lead.email})" in choices
    assert not any(person.email in label for person in (left, reader) for label in choices)


def test_a_new_directorate_can_be_named_in_the_form(engagement: Engagement, lead: User) -> None:
    data = new_recommendation(engagement, new_directorate="Place Services")
    assert client_for(lead).post(create_url(engagement), data).status_code == 302
    assert Recommendation.objects.get().lead_directorate == Directorate.objects.get(
        council=engagement.council, name="Place Services"
    )


def test_a_recommendation_needs_a_reference_and_its_text(engagement: Engagement, lead: User) -> None:
    data = new_recommendation(engagement, reference="", text="", heading="Typed heading", due_date_day="31")
    data["due_date_month"] = "2"
    response = client_for(lead).post(create_url(engagement), data)
    assert response.status_code == 200
    assert errors_of(response) == {
        "reference": ["Enter a reference"],
        "text": ["Enter the recommendation"],
        "due_date": ["Target date must be a real date"],
    }
    page = response.content.decode()
    assert "<title>Error: " in page
    assert 'value="Typed heading"' in page
    assert not Recommendation.objects.exists()


def test_a_reference_is_used_once_in_an_engagement(engagement: Engagement, lead: User) -> None:
    RecommendationFactory(engagement=engagement, reference="R3")
    response = client_for(lead).post(create_url(engagement), new_recommendation(engagement))
    assert errors_of(response) == {"reference": ["Reference R3 is already used in this engagement"]}
    assert Recommendation.objects.count() == 1


def test_another_councils_theme_directorate_or_owner_is_refused(
    engagement: Engagement, lead: User, other_council: Council, outsider: User
) -> None:
    their_theme = ThemeFactory(engagement=EngagementFactory(council=other_council))
    their_directorate = DirectorateFactory(council=other_council)
    data = new_recommendation(
        engagement, theme=str(their_theme.pk), lead_directorate=str(their_directorate.pk), owner=str(outsider.pk)
    )
    response = client_for(lead).post(create_url(engagement), data)
    assert errors_of(response) == {
        "theme": ["Choose a theme of this engagement"],
        "lead_directorate": ["Choose a directorate of this council"],
        "owner": ["Choose an officer or improvement lead of this council"],
    }
    assert not Recommendation.objects.exists()


def test_the_services_check_the_council_of_everything_referred_to(
    engagement: Engagement, lead: User, other_council: Council, outsider: User
) -> None:
    their_theme = ThemeFactory(engagement=EngagementFactory(council=other_council))
    their_directorate = DirectorateFactory(council=other_council)
    for field, value in [("theme", their_theme), ("lead_directorate", their_directorate), ("owner", outsider)]:
        with pytest.raises(ValidationError) as error:
            services.recommendation_add(engagement=engagement, by=lead, reference="X9", text="Text", **{field: value})
        assert list(error.value.message_dict) == [field]
    recommendation = RecommendationFactory(engagement=engagement)
    with pytest.raises(ValidationError):
        services.recommendation_update(recommendation=recommendation, by=lead, expected_version=1, theme=their_theme)
    with pytest.raises(ValidationError):
        services.action_add(recommendation=recommendation, by=lead, reference="1", description="D", owner=outsider)
    assert not Recommendation.objects.filter(reference="X9").exists()


def test_the_forms_and_the_services_take_the_fields_the_vocabulary_lists(
    recommendation: Recommendation, lead: User
) -> None:
    assert set(vocabulary.RECOMMENDATION_FIELDS) <= set(RecommendationForm.base_fields)
    assert set(vocabulary.ACTION_FIELDS) <= set(ActionForm.base_fields)
    with pytest.raises(ValueError, match="Not a field a lead sets"):
        services.recommendation_update(recommendation=recommendation, by=lead, expected_version=1, position=9)
    with pytest.raises(ValueError, match="Not a field a lead sets"):
        services.action_add(recommendation=recommendation, by=lead, reference="1", description="D", version=3)


def test_the_services_refuse_a_member_who_is_not_a_lead_and_a_lead_of_another_council(
    engagement: Engagement, officer: User, outsider: User
) -> None:
    recommendation = RecommendationFactory(engagement=engagement)
    action = ActionFactory(recommendation=recommendation)
    for person in (officer, outsider):
        with pytest.raises(PermissionDenied):
            services.recommendation_add(engagement=engagement, by=person, reference="R9", text="Text")
        with pytest.raises(PermissionDenied):
            services.recommendation_update(recommendation=recommendation, by=person, expected_version=1, heading="X")
        with pytest.raises(PermissionDenied):
            services.action_add(recommendation=recommendation, by=person, reference="9.1", description="D")
        with pytest.raises(PermissionDenied):
            services.action_update(action=action, by=person, expected_version=1, description="X")


# --- changing a recommendation -----------------------------------------------------------------------


@pytest.fixture
def recommendation(engagement: Engagement, officer: User) -> Recommendation:
    return RecommendationFactory(
        engagement=engagement, reference="R1", owner=officer, due_date=dt.date(2025, 3, 31), heading="Old heading"
    )


def test_a_lead_changes_a_recommendation(recommendation: Recommendation, lead: User) -> None:
    client = client_for(lead)
    data = {**edit_data(client, recommendation), "heading": "New heading", "owner": str(lead.pk)}
    response = client.post(edit_url(recommendation), data)
    assert response.status_code == 302
    assert response.headers["Location"] == recommendation.get_absolute_url()
    recommendation.refresh_from_db()
    assert (recommendation.heading, recommendation.owner, recommendation.version) == ("New heading", lead, 2)
    latest = recommendation.history.first()
    assert latest.history_user == lead
    assert set(latest.diff_against(latest.prev_record).changed_fields) == {"heading", "owner"}
    assert not ProgressUpdate.objects.exists()  # status and RAG were not touched


def test_saving_an_unchanged_form_changes_nothing(recommendation: Recommendation, lead: User) -> None:
    client = client_for(lead)
    assert client.post(edit_url(recommendation), edit_data(client, recommendation)).status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.version == 1
    assert recommendation.history.count() == 1


def test_moving_the_target_date_needs_a_reason(recommendation: Recommendation, lead: User) -> None:
    client = client_for(lead)
    data = {**edit_data(client, recommendation), **date_parts("due_date", dt.date(2025, 9, 30)), "heading": "Typed"}
    response = client.post(edit_url(recommendation), data)
    assert response.status_code == 200
    assert errors_of(response) == {"due_date_reason": ["Enter the reason for moving the date"]}
    assert 'value="Typed"' in response.content.decode()
    recommendation.refresh_from_db()
    assert (recommendation.due_date, recommendation.heading) == (dt.date(2025, 3, 31), "Old heading")


def test_a_moved_target_date_keeps_its_baseline_and_reason(recommendation: Recommendation, lead: User) -> None:
    client = client_for(lead)
    data = {
        **edit_data(client, recommendation),
        **date_parts("due_date", dt.date(2025, 9, 30)),
        "due_date_reason": "Waiting for the budget",
    }
    assert client.post(edit_url(recommendation), data).status_code == 302
    recommendation.refresh_from_db()
    assert (recommendation.due_date, recommendation.baseline_due_date) == (dt.date(2025, 9, 30), dt.date(2025, 3, 31))
    move = DueDateChange.objects.get(recommendation=recommendation)
    assert (move.previous_due_date, move.new_due_date, move.reason, move.changed_by) == (
        dt.date(2025, 3, 31),
        dt.date(2025, 9, 30),
        "Waiting for the budget",
        lead,
    )
    assert recommendation.version == 2
    assert recommendation.history.count() == 2  # one edit, one history record


def test_setting_a_first_target_date_is_not_a_move(engagement: Engagement, lead: User) -> None:
    recommendation = RecommendationFactory(engagement=engagement, due_date=None, baseline_due_date=None)
    client = client_for(lead)
    data = {**edit_data(client, recommendation), **date_parts("due_date", dt.date(2025, 6, 30))}
    assert client.post(edit_url(recommendation), data).status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.due_date == recommendation.baseline_due_date == dt.date(2025, 6, 30)
    assert not DueDateChange.objects.exists()


def test_a_lead_changes_status_and_rag_directly(recommendation: Recommendation, lead: User) -> None:
    client = client_for(lead)
    data = {
        **edit_data(client, recommendation),
        "status": Status.IN_PROGRESS,
        "rag": Rag.AMBER,
        "rag_reason": "Recruitment is slow",
        "note": "Agreed at the programme board",
    }
    assert client.post(edit_url(recommendation), data).status_code == 302
    update = ProgressUpdate.objects.get(recommendation=recommendation)
    assert (update.review_state, update.source, update.author, update.reviewer) == ("approved", "lead", lead, lead)
    assert (update.status, update.rag, update.rag_reason, update.narrative) == (
        "in_progress",
        "amber",
        "Recruitment is slow",
        "Agreed at the programme board",
    )
    current = selectors.recommendation_get(user=lead, council_slug="borsetshire", pk=recommendation.pk)
    assert (current.position_status, current.position_rag) == ("in_progress", "amber")
    recommendation.refresh_from_db()
    assert recommendation.version == 1  # the position is the record of updates, not a field of the row


def test_amber_or_red_needs_its_reason_and_a_change_needs_both(recommendation: Recommendation, lead: User) -> None:
    client = client_for(lead)
    data = {**edit_data(client, recommendation), "rag": Rag.RED}
    response = client.post(edit_url(recommendation), data)
    assert errors_of(response) == {"rag_reason": ["Enter the reason for an amber or red RAG rating"]}
    data = {**edit_data(client, recommendation), "status": "", "rag": Rag.GREEN}
    data["initial-status"] = Status.IN_PROGRESS
    response = client.post(edit_url(recommendation), data)
    assert errors_of(response) == {"status": ["Choose a status"]}
    assert not ProgressUpdate.objects.exists()


def test_an_untouched_position_is_not_rewritten_when_an_update_was_approved_meanwhile(
    recommendation: Recommendation, lead: User
) -> None:
    client = client_for(lead)
    data = edit_data(client, recommendation)  # shows Not started, not assessed
    services.update_record(item=recommendation, author=lead, status=Status.COMPLETE, rag=Rag.GREEN)
    data["heading"] = "Edited meanwhile"
    assert client.post(edit_url(recommendation), data).status_code == 302
    assert ProgressUpdate.objects.count() == 1
    current = selectors.recommendation_get(user=lead, council_slug="borsetshire", pk=recommendation.pk)
    assert current.position_status == Status.COMPLETE


def test_an_owner_who_has_left_can_stay_but_cannot_be_given_new_items(
    recommendation: Recommendation, lead: User, officer: User
) -> None:
    officer.memberships.update(is_active=False)
    client = client_for(lead)
    data = {**edit_data(client, recommendation), "heading": "Still theirs"}
    assert client.post(edit_url(recommendation), data).status_code == 302
    recommendation.refresh_from_db()
    assert (recommendation.heading, recommendation.owner) == ("Still theirs", officer)
    response = client.post(
        create_url(recommendation.engagement), new_recommendation(recommendation.engagement, owner=str(officer.pk))
    )
    assert errors_of(response) == {"owner": ["Choose an officer or improvement lead of this council"]}


def test_changing_the_reference_to_one_in_use_is_refused(recommendation: Recommendation, lead: User) -> None:
    RecommendationFactory(engagement=recommendation.engagement, reference="R2")
    client = client_for(lead)
    response = client.post(edit_url(recommendation), {**edit_data(client, recommendation), "reference": "R2"})
    assert errors_of(response) == {"reference": ["Reference R2 is already used in this engagement"]}


# --- actions ------------------------------------------------------------------------------------------


def test_a_lead_adds_an_action_with_an_owner(recommendation: Recommendation, lead: User, officer: User) -> None:
    response = client_for(lead).post(
        action_create_url(recommendation), new_action(owner=str(officer.pk), percent_complete="10")
    )
    assert response.status_code == 302
    action = recommendation.actions.get()
    assert response.headers["Location"].endswith(f"#recommendation-{recommendation.pk}")
    assert (action.reference, action.owner, action.percent_complete, action.position) == ("3.1", officer, 10, 1)
    assert action.due_date == action.baseline_due_date == dt.date(2024, 12, 31)
    assert action.history.get().history_user == lead


def test_an_action_is_due_after_it_starts_and_its_reference_is_unique(
    recommendation: Recommendation, lead: User
) -> None:
    client = client_for(lead)
    response = client.post(action_create_url(recommendation), new_action(**date_parts("due_date", dt.date(2024, 5, 1))))
    assert errors_of(response) == {"due_date": ["The due date must be the same as or after the start date"]}
    assert "<title>Error: " in response.content.decode()
    ActionFactory(recommendation=recommendation, reference="3.1")
    response = client.post(action_create_url(recommendation), new_action())
    assert errors_of(response) == {"reference": ["Reference 3.1 is already used under this recommendation"]}
    response = client.post(action_create_url(recommendation), new_action(description="", percent_complete="120"))
    assert errors_of(response) == {
        "description": ["Enter the action"],
        "percent_complete": ["Percentage complete must be 100 or less"],
    }
    assert recommendation.actions.count() == 1


@pytest.fixture
def action(recommendation: Recommendation, officer: User) -> Action:
    return ActionFactory(recommendation=recommendation, reference="1.1", owner=officer, due_date=dt.date(2024, 12, 31))


def test_a_lead_moves_an_actions_due_date_with_a_reason(action: Action, lead: User) -> None:
    client = client_for(lead)
    data = {**edit_data(client, action), **date_parts("due_date", dt.date(2025, 6, 30))}
    response = client.post(edit_url(action), data)
    assert errors_of(response) == {"due_date_reason": ["Enter the reason for moving the date"]}
    data["due_date_reason"] = "Supplier delay"
    response = client.post(edit_url(action), data)
    assert response.status_code == 302
    assert response.headers["Location"] == action.get_absolute_url()
    action.refresh_from_db()
    assert (action.due_date, action.baseline_due_date, action.version) == (
        dt.date(2025, 6, 30),
        dt.date(2024, 12, 31),
        2,
    )
    assert action.due_date_changes.get().reason == "Supplier delay"


def test_a_lead_records_an_actions_progress_directly(action: Action, lead: User) -> None:
    client = client_for(lead)
    data = {**edit_data(client, action), "status": Status.IN_PROGRESS, "rag": Rag.GREEN, "percent_complete": "60"}
    assert client.post(edit_url(action), data).status_code == 302
    update = ProgressUpdate.objects.get(action=action)
    assert (update.source, update.review_state, update.percent_complete) == ("lead", "approved", 60)
    action.refresh_from_db()
    assert action.percent_complete == 60


def test_an_action_edit_cannot_start_after_it_is_due(action: Action, lead: User) -> None:
    client = client_for(lead)
    data = {**edit_data(client, action), **date_parts("start_date", dt.date(2025, 1, 31))}
    assert errors_of(client.post(edit_url(action), data)) == {
        "due_date": ["The due date must be the same as or after the start date"]
    }


# --- who may do what ----------------------------------------------------------------------------------


def lead_pages(action: Action) -> list[str]:
    recommendation = action.recommendation
    return [
        create_url(recommendation.engagement),
        edit_url(recommendation),
        action_create_url(recommendation),
        edit_url(action),
    ]


@pytest.mark.parametrize("persona", ["officer", "leadership", "adviser"])
def test_members_who_are_not_leads_get_403(persona: str, personas: object, action: Action) -> None:
    client = client_for(personas.get(persona))
    for url in lead_pages(action):
        assert client.get(url).status_code == 403, url
        assert client.post(url, new_action()).status_code == 403, url
    assert Action.objects.count() == 1


def test_the_outsider_gets_404(outsider: User, action: Action) -> None:
    client = client_for(outsider)
    for url in lead_pages(action):
        assert client.get(url).status_code == 404, url
        assert client.post(url, new_action()).status_code == 404, url


def test_another_councils_lead_cannot_reach_them_through_their_own_council(outsider: User, action: Action) -> None:
    client = client_for(outsider)
    for url in lead_pages(action):
        assert client.get(url.replace("/borsetshire/", "/felpersham/")).status_code == 404, url


def test_lead_pages_answer_only_get_and_post(lead: User, action: Action) -> None:
    client = client_for(lead)
    for url in lead_pages(action):
        assert client.put(url).status_code == 405, url
        assert client.delete(url).status_code == 405, url


def test_a_crafted_version_that_is_not_a_number_is_an_error_not_a_500(action: Action, lead: User) -> None:
    client = client_for(lead)
    response = client.post(edit_url(action), {**edit_data(client, action), "version": "x"})
    assert response.status_code == 200
    assert "version" in errors_of(response)


def test_a_new_member_can_be_given_an_item(recommendation: Recommendation, lead: User) -> None:
    newcomer = UserFactory(email="newcomer@borsetshire.example")
    MembershipFactory(council=recommendation.engagement.council, user=newcomer, role=Membership.Role.OFFICER)
    services.recommendation_update(recommendation=recommendation, by=lead, expected_version=1, owner=newcomer)
    recommendation.refresh_from_db()
    assert recommendation.owner == newcomer
