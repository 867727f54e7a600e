"""Approved updates are the record: nothing changes them, the admin included. Every change of status or
RAG is an approved update."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from recommendations import selectors, services
from recommendations.models import Council, ProgressUpdate, Rag, Recommendation, Status, UpdateLocked, User

from ..conftest import client_for
from ..factories import ActionFactory, RecommendationFactory, UserFactory, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(council: Council, lead: User) -> ProgressUpdate:
    update = services.update_create(
        item=RecommendationFactory(engagement__council=council),
        author=lead,
        status=Status.IN_PROGRESS,
        rag=Rag.AMBER,
        rag_reason="Recruitment is slow",
        at=at(2020, 5, 1),
    )
    services.update_submit(update=update, at=at(2020, 5, 2))
    return services.update_approve(update=update, reviewer=lead, at=at(2020, 5, 3))


def test_the_database_refuses_to_change_an_approved_update(approved: ProgressUpdate) -> None:
    approved.narrative = "Rewritten history"
    with pytest.raises(IntegrityError), transaction.atomic():
        approved.save()


def test_a_queryset_update_cannot_go_round_it(approved: ProgressUpdate) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressUpdate.objects.filter(pk=approved.pk).update(status=Status.COMPLETE)
    approved.refresh_from_db()
    assert approved.status == Status.IN_PROGRESS


def test_an_approved_update_cannot_be_deleted(approved: ProgressUpdate) -> None:
    with pytest.raises(UpdateLocked):
        approved.delete()
    with pytest.raises(UpdateLocked):
        ProgressUpdate.objects.filter(pk=approved.pk).delete()
    assert ProgressUpdate.objects.filter(pk=approved.pk).exists()


def test_a_recommendation_with_approved_history_cannot_be_deleted(approved: ProgressUpdate) -> None:
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        approved.recommendation.delete()


def test_services_refuse_to_touch_an_approved_update(approved: ProgressUpdate, lead: User) -> None:
    with pytest.raises(UpdateLocked):
        services.update_submit(update=approved)
    with pytest.raises(UpdateLocked):
        services.update_return(update=approved, reviewer=lead, comment="Again")


def test_the_admin_shows_an_approved_update_read_only(approved: ProgressUpdate) -> None:
    staff = UserFactory(is_staff=True, is_superuser=True)
    client = client_for(staff)
    url = f"/admin/recommendations/progressupdate/{approved.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    assert b'name="narrative"' not in page.content  # shown, not editable
    client.post(url, {"narrative": "Edited by staff", "status": Status.COMPLETE})
    assert (
        client.post(f"/admin/recommendations/progressupdate/{approved.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    approved.refresh_from_db()
    assert approved.narrative == ""


def test_the_admin_offers_no_bulk_delete_of_updates(approved: ProgressUpdate) -> None:
    client = client_for(UserFactory(is_staff=True, is_superuser=True))
    client.post(
        "/admin/recommendations/progressupdate/",
        {"action": "delete_selected", "_selected_action": [approved.pk], "post": "yes"},
    )
    assert ProgressUpdate.objects.filter(pk=approved.pk).exists()


def test_a_leads_direct_change_is_an_approved_update_marked_as_the_leads(council: Council, lead: User) -> None:
    action = ActionFactory(recommendation__engagement__council=council)
    update = services.update_record(
        item=action, author=lead, status=Status.COMPLETE, rag=Rag.GREEN, percent_complete=100, at=at(2021, 1, 5)
    )
    assert (update.review_state, update.source) == (ProgressUpdate.ReviewState.APPROVED, ProgressUpdate.Source.LEAD)
    current = selectors.with_position(type(action).objects.filter(pk=action.pk)).get()
    assert current.position_status == Status.COMPLETE
    action.refresh_from_db()
    assert action.percent_complete == 100


def test_amber_or_red_needs_a_reason(council: Council, lead: User) -> None:
    with pytest.raises(ValidationError) as error:
        services.update_create(
            item=RecommendationFactory(engagement__council=council), author=lead, status=Status.IN_PROGRESS, rag=Rag.RED
        )
    assert "Give the reason for an amber or red RAG" in str(error.value)


def test_returning_needs_a_comment(council: Council, lead: User) -> None:
    update = services.update_create(
        item=RecommendationFactory(engagement__council=council), author=lead, status=Status.IN_PROGRESS, rag=Rag.GREEN
    )
    services.update_submit(update=update)
    with pytest.raises(ValidationError):
        services.update_return(update=update, reviewer=lead, comment="  ")
    services.update_return(update=update, reviewer=lead, comment="Add the cabinet date")
    assert update.review_state == ProgressUpdate.ReviewState.RETURNED
    services.update_submit(update=update)
    assert update.review_state == ProgressUpdate.ReviewState.SUBMITTED


def test_only_submitted_updates_can_be_approved(council: Council, lead: User) -> None:
    update = services.update_create(
        item=RecommendationFactory(engagement__council=council), author=lead, status=Status.IN_PROGRESS, rag=Rag.GREEN
    )
    with pytest.raises(ValidationError):
        services.update_approve(update=update, reviewer=lead)


def test_an_update_belongs_to_exactly_one_item(council: Council, lead: User) -> None:
    action = ActionFactory(recommendation__engagement__council=council)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressUpdate.objects.create(
            recommendation=action.recommendation, action=action, author=lead, status=Status.IN_PROGRESS, rag=Rag.GREEN
        )


def test_deleting_a_draft_is_allowed(council: Council, lead: User) -> None:
    recommendation: Recommendation = RecommendationFactory(engagement__council=council)
    draft = services.update_create(item=recommendation, author=lead, status=Status.IN_PROGRESS, rag=Rag.GREEN)
    draft.delete()
    assert not ProgressUpdate.objects.exists()
