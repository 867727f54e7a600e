"""Leads sign progress off: approve, with an assurance RAG where they disagree, or return with a comment."""

import pytest
from django.utils.html import escape

from recommendations import selectors, services
from recommendations.models import Council, Evidence, ProgressUpdate, Rag, Status, User

from ..conftest import client_for
from ..factories import EvidenceFactory, RecommendationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(council: Council, officer: User) -> ProgressUpdate:
    recommendation = RecommendationFactory(engagement__council=council, owner=officer, reference="R2")
    update = services.update_create(
        item=recommendation, author=officer, status=Status.IN_PROGRESS, rag=Rag.GREEN, narrative="On track"
    )
    update.evidence.add(EvidenceFactory(council=council, title="Cabinet minutes"))
    return services.update_submit(update=update, notify=False)


def test_the_lead_sees_what_waits_for_review(submitted: ProgressUpdate, lead: User) -> None:
    page = client_for(lead).get("/councils/borsetshire/reviews/").content.decode()
    assert "Review the update on recommendation R2" in page
    detail = client_for(lead).get(f"/councils/borsetshire/reviews/{submitted.pk}/").content.decode()
    assert "On track" in detail and "Cabinet minutes" in detail


@pytest.mark.parametrize("persona", ["officer", "leadership", "adviser"])
def test_only_leads_review(submitted: ProgressUpdate, persona: str, request: object) -> None:
    client = client_for(request.getfixturevalue(persona))
    assert client.get("/councils/borsetshire/reviews/").status_code == 403
    assert client.post(f"/councils/borsetshire/reviews/{submitted.pk}/approve/").status_code == 403


def test_approving_moves_the_position_records_assurance_and_tells_the_owner(
    submitted: ProgressUpdate, lead: User, officer: User, mailoutbox: list, django_capture_on_commit_callbacks
) -> None:
    url = f"/councils/borsetshire/reviews/{submitted.pk}/approve/"
    refused = client_for(lead).post(url, {"approve-assurance_rag": Rag.AMBER}).content.decode()
    assert "<title>Error: " in refused and "Enter why you rated it differently" in refused
    submitted.refresh_from_db()
    assert submitted.review_state == "submitted"
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(lead).post(
            url, {"approve-assurance_rag": Rag.AMBER, "approve-assurance_reason": "Amber until the board has met."}
        )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert (submitted.review_state, submitted.assurance_rag, submitted.reviewer) == ("approved", Rag.AMBER, lead)
    assert submitted.assurance_reason == "Amber until the board has met."
    timeline = client_for(officer).get(f"/councils/borsetshire/recommendations/{submitted.recommendation_id}/")
    assert "rated it Amber (at risk): Amber until the board has met." in timeline.content.decode()
    item = selectors.recommendation_get(user=lead, council_slug="borsetshire", pk=submitted.recommendation_id)
    assert (item.position_status, item.position_rag) == (Status.IN_PROGRESS, Rag.AMBER)
    assert list(Evidence.objects.filter(recommendations=item).values_list("title", flat=True)) == ["Cabinet minutes"]
    assert [message.to for message in mailoutbox] == [[officer.email]]
    assert "approved" in mailoutbox[0].subject


def test_returning_needs_a_comment_then_tells_the_owner(
    submitted: ProgressUpdate, lead: User, officer: User, mailoutbox: list, django_capture_on_commit_callbacks
) -> None:
    client = client_for(lead)
    page = client.post(f"/councils/borsetshire/reviews/{submitted.pk}/return/", {"return-comment": ""})
    assert "<title>Error: " in page.content.decode()
    assert "Enter a comment to say what needs to change" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/councils/borsetshire/reviews/{submitted.pk}/return/", {"return-comment": "Add the date"})
    submitted.refresh_from_db()
    assert (submitted.review_state, submitted.review_comment) == ("returned", "Add the date")
    assert "Add the date" in mailoutbox[0].body
    my_work = client_for(officer).get("/councils/borsetshire/my-work/").content.decode()
    assert "Change your update on R2" in my_work and "Add the date" in my_work


def test_an_approved_update_cannot_be_reviewed_again(submitted: ProgressUpdate, lead: User) -> None:
    client = client_for(lead)
    client.post(f"/councils/borsetshire/reviews/{submitted.pk}/approve/", {})
    again = client.post(f"/councils/borsetshire/reviews/{submitted.pk}/return/", {"return-comment": "x"}, follow=True)
    assert again.redirect_chain == [("/councils/borsetshire/reviews/", 302)]
    assert escape(f"The update on R2 has already been approved by {lead}") in again.content.decode()
    submitted.refresh_from_db()
    assert submitted.review_state == "approved"
    page = client.get(f"/councils/borsetshire/reviews/{submitted.pk}/", follow=True)  # an old link, say
    assert page.redirect_chain == [("/councils/borsetshire/reviews/", 302)]
    assert escape(f"The update on R2 has already been approved by {lead}") in page.content.decode()


def seen(client: object, update: ProgressUpdate) -> dict[str, str]:
    """What the review page's forms carry: when the update on the page was submitted."""
    form = client.get(f"/councils/borsetshire/reviews/{update.pk}/").context["approve_form"]
    return {"approve-seen": form["seen"].value(), "return-seen": form["seen"].value()}


def test_a_resubmitted_update_is_not_approved_from_a_page_opened_before(
    submitted: ProgressUpdate, lead: User, officer: User
) -> None:
    client = client_for(lead)
    opened = seen(client, submitted)
    services.update_withdraw(update=submitted, by=officer)
    services.update_save(
        membership=officer.memberships.get(),
        item=submitted.item,
        update=submitted,
        status=Status.IN_PROGRESS,
        rag=Rag.RED,
        rag_reason="The budget moved",
        narrative="Off track after all",
        submit=True,
    )
    for action, field in (("approve", {}), ("return", {"return-comment": "Add the date"})):
        response = client.post(f"/councils/borsetshire/reviews/{submitted.pk}/{action}/", {**opened, **field})
        page = response.content.decode()
        assert response.status_code == 200
        assert "<title>Error: " in page
        assert "Its author changed this update after you opened it. Read it again before you sign it off" in page
        assert "Off track after all" in page  # the page shows what was resubmitted
        submitted.refresh_from_db()
        assert submitted.review_state == "submitted"
    fresh = seen(client, submitted)
    assert fresh != opened
    assert client.post(f"/councils/borsetshire/reviews/{submitted.pk}/approve/", fresh).status_code == 302
    submitted.refresh_from_db()
    assert (submitted.review_state, submitted.narrative) == ("approved", "Off track after all")


def test_approving_an_update_its_author_withdrew_meanwhile_says_so(
    submitted: ProgressUpdate, lead: User, officer: User
) -> None:
    client = client_for(lead)
    opened = seen(client, submitted)
    services.update_withdraw(update=submitted, by=officer)
    response = client.post(f"/councils/borsetshire/reviews/{submitted.pk}/approve/", opened, follow=True)
    assert response.redirect_chain == [("/councils/borsetshire/reviews/", 302)]
    assert "That update is no longer waiting for review: its author may have withdrawn it" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.review_state == "draft"


def test_withdrawing_an_update_a_lead_approved_a_moment_ago_is_refused_not_failed(
    submitted: ProgressUpdate, lead: User, officer: User
) -> None:
    from recommendations.models import UpdateLocked

    loaded = ProgressUpdate.objects.get(pk=submitted.pk)  # the author's page, before the approval
    services.update_approve(update=submitted, reviewer=lead, notify=False)
    with pytest.raises(UpdateLocked):
        services.update_withdraw(update=loaded, by=officer)


def test_a_second_lead_approving_at_the_same_time_is_told_not_failed(
    submitted: ProgressUpdate, lead: User, council: Council
) -> None:
    from ..factories import MembershipFactory, UserFactory

    other = MembershipFactory(council=council, role="lead", user=UserFactory(first_name="Sam", last_name="Second")).user
    stale = ProgressUpdate.objects.get(pk=submitted.pk)  # the second lead loaded it before the first approved
    also_stale = ProgressUpdate.objects.get(pk=submitted.pk)
    services.update_approve(update=submitted, reviewer=lead, notify=False)
    with pytest.raises(services.ReviewConflict, match="has been approved since you opened it"):
        services.update_approve(update=stale, reviewer=other, notify=False)
    with pytest.raises(services.ReviewConflict):
        services.update_return(update=also_stale, reviewer=other, comment="No", notify=False)
    submitted.refresh_from_db()
    assert submitted.reviewer == lead


def test_approval_keeps_a_leads_change_to_the_action_made_meanwhile(
    council: Council, officer: User, lead: User
) -> None:
    from ..factories import ActionFactory

    action = ActionFactory(recommendation__engagement__council=council, owner=officer, percent_complete=10)
    update = services.update_create(
        item=action, author=officer, status=Status.IN_PROGRESS, rag=Rag.GREEN, percent_complete=60
    )
    services.update_submit(update=update, notify=False)
    loaded = ProgressUpdate.objects.select_related("action").get(pk=update.pk)  # the review page's copy
    services.action_update(action=action, by=lead, expected_version=action.version, description="Renamed meanwhile")
    services.update_approve(update=loaded, reviewer=lead, notify=False)
    action.refresh_from_db()
    assert (action.description, action.percent_complete) == ("Renamed meanwhile", 60)


def test_review_actions_are_posts(submitted: ProgressUpdate, lead: User) -> None:
    assert client_for(lead).get(f"/councils/borsetshire/reviews/{submitted.pk}/approve/").status_code == 405


def test_an_outsider_gets_404(submitted: ProgressUpdate, outsider: User) -> None:
    assert client_for(outsider).post(f"/councils/borsetshire/reviews/{submitted.pk}/approve/").status_code == 404


def test_my_work_lists_what_i_own_overdue_first(council: Council, officer: User, lead: User) -> None:
    import datetime as dt

    RecommendationFactory(engagement__council=council, owner=officer, reference="R8", due_date=dt.date(2099, 1, 1))
    RecommendationFactory(engagement__council=council, owner=officer, reference="R9", due_date=dt.date(2020, 1, 1))
    RecommendationFactory(engagement__council=council, owner=lead, reference="R10")
    page = client_for(officer).get("/councils/borsetshire/my-work/").content.decode()
    assert page.index(">R9<") < page.index(">R8<")
    assert ">R10<" not in page
    assert "overdue</strong>" in page  # R9's tag: "6 years 11 months overdue"
