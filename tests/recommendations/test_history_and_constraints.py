"""History of every change (who, when, before → after), and the rules the database keeps."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from recommendations import services
from recommendations.models import Action, Engagement, ProgressUpdate, Recommendation, User

from ..conftest import client_for
from ..factories import ActionFactory, EngagementFactory, EvidenceFactory, RecommendationFactory, UserFactory, at

pytestmark = pytest.mark.django_db


def test_a_moved_due_date_is_in_the_history_with_who_when_and_before_after(lead: User) -> None:
    action = ActionFactory(due_date=dt.date(2020, 3, 31), baseline_due_date=dt.date(2020, 3, 31))
    services.due_date_move(
        item=action, new_due_date=dt.date(2020, 9, 30), reason="Awaiting Cabinet", by=lead, at=at(2020, 3, 15)
    )
    latest = action.history.first()
    assert latest.history_user == lead
    assert latest.history_date == at(2020, 3, 15)
    changes = {change.field: (change.old, change.new) for change in latest.diff_against(latest.prev_record).changes}
    assert changes["due_date"] == (dt.date(2020, 3, 31), dt.date(2020, 9, 30))
    assert action.due_date_changes.get().reason == "Awaiting Cabinet"


def test_a_date_moves_only_with_a_reason(lead: User) -> None:
    from django.core.exceptions import ValidationError

    action = ActionFactory()
    with pytest.raises(ValidationError):
        services.due_date_move(item=action, new_due_date=dt.date(2021, 1, 1), reason=" ", by=lead)


def test_admin_edits_are_recorded_with_the_staff_member() -> None:
    staff = UserFactory(is_staff=True, is_superuser=True)
    recommendation = RecommendationFactory(heading="Old heading")
    form = {
        "engagement": recommendation.engagement_id,
        "reference": recommendation.reference,
        "heading": "New heading",
        "text": recommendation.text,
        "kind": recommendation.kind,
        "position": 0,
        "actions-TOTAL_FORMS": 0,
        "actions-INITIAL_FORMS": 0,
    }
    response = client_for(staff).post(f"/admin/recommendations/recommendation/{recommendation.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    latest = recommendation.history.first()
    assert (latest.heading, latest.history_user) == ("New heading", staff)
    assert latest.diff_against(latest.prev_record).changed_fields == ["heading"]


def test_evidence_changes_are_recorded() -> None:
    evidence = EvidenceFactory(title="Ofsted letter")
    evidence.title = "Ofsted monitoring visit letter"
    evidence.save()
    assert [record.title for record in evidence.history.all()] == ["Ofsted monitoring visit letter", "Ofsted letter"]


def test_references_are_unique_within_an_engagement() -> None:
    first = RecommendationFactory(reference="R1")
    RecommendationFactory(reference="R1")  # another engagement: fine
    with pytest.raises(IntegrityError), transaction.atomic():
        RecommendationFactory(reference="R1", engagement=first.engagement)


def test_action_references_are_unique_within_a_recommendation() -> None:
    first = ActionFactory(reference="1.1")
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionFactory(reference="1.1", recommendation=first.recommendation)


@pytest.mark.parametrize("percent", [101, 250])
def test_percent_complete_stays_between_0_and_100(percent: int) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionFactory(percent_complete=percent)


def test_an_action_is_not_due_before_it_starts() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionFactory(start_date=dt.date(2020, 5, 1), due_date=dt.date(2020, 4, 1), baseline_due_date=None)


def test_onsite_days_are_in_order() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        EngagementFactory(first_onsite_day=dt.date(2019, 1, 18), last_onsite_day=dt.date(2019, 1, 15))


def test_an_update_is_not_approved_before_it_was_submitted(lead: User) -> None:
    """A position as at a day reads only the updates submitted by then (selectors/latest.py): the database keeps
    every approval after its submission."""

    def approved(on: int) -> ProgressUpdate:
        return ProgressUpdate.objects.create(
            action=ActionFactory(),
            author=lead,
            status="in_progress",
            rag="green",
            review_state="approved",
            reviewer=lead,
            submitted_at=at(2021, 3, 2),
            approved_at=at(2021, 3, on),
        )

    with pytest.raises(IntegrityError), transaction.atomic():
        approved(1)
    approved(2)  # the same moment will do


def test_services_validate_before_the_database_does(lead: User) -> None:
    from django.core.exceptions import ValidationError

    engagement: Engagement = EngagementFactory()
    services.recommendation_build(engagement=engagement, reference="R1", text="Text", by=lead)
    with pytest.raises(ValidationError) as error:
        services.recommendation_build(engagement=engagement, reference="R1", text="Again", by=lead)
    assert "reference" in str(error.value).lower()
    assert Recommendation.objects.count() == 1
    assert Action.objects.count() == 0
