"""The review queue says what each waiting update changes, the Reviews tab counts them, each role lands where its
work is after signing in, and My work's waiting lines link to the update and give its date."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from recommendations import selectors, services
from recommendations.models import Council, Membership, ProgressUpdate, Rag, Status, User
from recommendations.selectors import progress

from ..conftest import client_for
from ..factories import PASSWORD, ActionFactory, CouncilFactory, MembershipFactory, RecommendationFactory, at

pytestmark = pytest.mark.django_db
REVIEWS = "/councils/borsetshire/reviews/"


def submit(item: object, author: User, *, day: int, **values: object) -> ProgressUpdate:
    update = services.update_create(
        item=item, author=author, **{"status": Status.IN_PROGRESS, "rag": Rag.GREEN, **values}
    )
    return services.update_submit(update=update, at=at(2026, 11, day, 9), notify=False)


def words(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_each_waiting_update_says_what_approving_it_changes(council: Council, officer: User, lead: User) -> None:
    recommendation = RecommendationFactory(engagement__council=council, reference="R8", heading="Shared priorities")
    services.update_record(
        item=recommendation,
        author=lead,
        status=Status.IN_PROGRESS,
        rag=Rag.AMBER,
        rag_reason="Slow",
        at=at(2026, 11, 1),
    )
    submit(recommendation, officer, day=3, status=Status.COMPLETE, rag=Rag.GREEN)
    action = ActionFactory(recommendation=recommendation, reference="8.1", description="Agree the corporate plan")
    action.percent_complete = 20
    action.save()
    submit(action, officer, day=4, rag=Rag.GREEN, percent_complete=60)
    page = words(client_for(lead).get(REVIEWS).content.decode())
    assert "2 updates waiting for sign-off, oldest first" in page
    assert (
        "Review the update on recommendation R8 Shared priorities " + f"{officer} 3 Nov 2026, 9:00am "
        "Status In progress → to Complete RAG Amber (at risk) → to Green (on track)"
    ) in page
    assert "A later update already sets its position" not in page
    assert (
        "Review the update on action 8.1 Agree the corporate plan " + f"{officer} 4 Nov 2026, 9:00am "
        "Status Not started → to In progress RAG Not assessed → to Green (on track) Complete 20% → to 60%"
    ) in page


def test_an_update_older_than_the_position_says_it_changes_nothing(council: Council, officer: User, lead: User) -> None:
    recommendation = RecommendationFactory(engagement__council=council, reference="R8")
    submit(recommendation, officer, day=3, status=Status.COMPLETE)
    # a lead's direct change made after it was submitted sets the position
    services.update_record(item=recommendation, author=lead, status=Status.IN_PROGRESS, rag=Rag.GREEN)
    page = words(client_for(lead).get(REVIEWS).content.decode())
    assert "Status In progress → to Complete RAG Green (on track) (unchanged)" in page
    assert "A later update already sets its position: approving this one adds it to the history" in page


def _queue(council: Council, officer: User, lead: User, count: int) -> None:
    for _ in range(count):
        recommendation = RecommendationFactory(engagement__council=council)
        services.update_record(
            item=recommendation, author=lead, status=Status.IN_PROGRESS, rag=Rag.GREEN, at=at(2026, 11, 1)
        )
        submit(recommendation, officer, day=3, status=Status.COMPLETE)
        action = ActionFactory(recommendation=recommendation)
        submit(action, officer, day=4, percent_complete=50)


def test_the_queue_costs_the_same_queries_for_two_updates_or_twenty(
    council: Council, officer: User, lead: User
) -> None:
    client = client_for(lead)
    _queue(council, officer, lead, 1)
    with CaptureQueriesContext(connection) as small:
        assert client.get(REVIEWS).status_code == 200
    _queue(council, officer, lead, 10)
    with CaptureQueriesContext(connection) as large:
        response = client.get(REVIEWS)
    assert len(response.context["reviews"]) == 22
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_reviews_tab_counts_what_waits_with_the_membership(council: Council, officer: User, lead: User) -> None:
    """A lead's every page reads the membership first: the Reviews tab's count comes in the same read."""
    _queue(council, officer, lead, 2)
    with CaptureQueriesContext(connection) as context:
        page = client_for(lead).get("/councils/borsetshire/my-work/").content.decode()
    assert re.search(r'Reviews\s*\(4<span class="govuk-visually-hidden"> waiting</span>\)', page)
    tab = f"EXECUTE {progress._WAITING_FOR_LEAD.name}("  # a count of its own, as PostgreSQL is sent it (prepared)
    membership = 'SELECT "recommendations_membership".'  # the read it comes in (SQLite: not prepared)
    counts = [
        q["sql"]
        for q in context.captured_queries
        if (("COUNT(" in q["sql"].upper() and "submitted" in q["sql"]) or q["sql"].startswith(tab))
        and not q["sql"].startswith(membership)
    ]
    assert len(counts) == 1  # My work's own line for a lead ("4 updates waiting for your review")


def test_a_request_that_writes_counts_the_waiting_updates_again(council: Council, officer: User, lead: User) -> None:
    """The count read with the membership is as the request found it: a page drawn after a write (a POST that
    shows its form again, say) counts again, and each later page reads the new count with its membership."""
    _queue(council, officer, lead, 2)
    membership = Membership.objects.get(user=lead, council=council)
    membership.reviews_waiting = 99  # as read at the start of a request
    assert selectors.reviews_waiting_count(membership=membership, read_with_it=True) == 99
    assert selectors.reviews_waiting_count(membership=membership) == 4
    membership.reviews_waiting = None  # a member who is not a lead: nothing was read with it
    assert selectors.reviews_waiting_count(membership=membership, read_with_it=True) == 4
    submit(RecommendationFactory(engagement__council=council), officer, day=5)
    page = client_for(lead).get("/councils/borsetshire/my-work/").content.decode()
    assert re.search(r'Reviews\s*\(5<span class="govuk-visually-hidden"> waiting</span>\)', page)


def test_the_waiting_count_is_the_councils_own_and_a_members_own(
    council: Council, other_council: Council, officer: User, lead: User, outsider: User
) -> None:
    """A lead counts the council's waiting recommendations and actions, not another council's; anyone else counts
    the updates they submitted themselves, as the updates they may see."""
    _queue(council, officer, lead, 2)
    submit(RecommendationFactory(engagement__council=council), lead, day=5)
    felpersham = RecommendationFactory(engagement__council=other_council)
    submit(felpersham, outsider, day=5)
    submit(ActionFactory(recommendation=felpersham), outsider, day=5)
    memberships = {m.user: m for m in Membership.objects.select_related("council")}
    assert selectors.reviews_waiting_count(membership=memberships[lead]) == 5
    assert selectors.reviews_waiting_count(membership=memberships[officer]) == 4
    assert selectors.reviews_waiting_count(membership=memberships[outsider]) == 2
    memberships[officer].role = Membership.Role.LEADERSHIP  # submitted nothing
    memberships[officer].user = lead
    memberships[officer].user_id = lead.pk
    assert selectors.reviews_waiting_count(membership=memberships[officer]) == 1


def test_only_leads_see_a_reviews_tab(council: Council, officer: User, lead: User) -> None:
    _queue(council, officer, lead, 1)
    page = client_for(officer).get("/councils/borsetshire/my-work/").content.decode()
    assert "Reviews" not in page


# --- where each role lands --------------------------------------------------------------------------


def sign_in(user: User, next_url: str | None = None) -> str:
    url = "/accounts/login/" + (f"?next={next_url}" if next_url else "")
    response = Client().post(url, {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return response["Location"]


def test_officers_land_on_my_work(officer: User) -> None:
    assert sign_in(officer) == "/councils/borsetshire/my-work/"


@pytest.mark.parametrize("role", ["leadership", "adviser"])
def test_leadership_and_advisers_land_on_the_dashboard(role: str, request: pytest.FixtureRequest) -> None:
    assert sign_in(request.getfixturevalue(role)) == "/councils/borsetshire/"


def test_leads_land_on_reviews_when_something_waits_else_on_the_dashboard(
    council: Council, officer: User, lead: User
) -> None:
    assert sign_in(lead) == "/councils/borsetshire/"
    submit(RecommendationFactory(engagement__council=council), officer, day=3)
    assert sign_in(lead) == REVIEWS


def test_a_page_asked_for_comes_first_if_it_is_on_this_site(officer: User) -> None:
    assert sign_in(officer, "/councils/borsetshire/actions/") == "/councils/borsetshire/actions/"
    assert sign_in(officer, "https://evil.example/") == "/councils/borsetshire/my-work/"
    assert sign_in(officer, "//evil.example/") == "/councils/borsetshire/my-work/"


def test_a_member_of_several_councils_chooses_one(council: Council, officer: User) -> None:
    MembershipFactory(user=officer, council=CouncilFactory(), role=Membership.Role.LEAD)
    assert sign_in(officer) == "/"


# --- My work ----------------------------------------------------------------------------------------


def test_my_work_links_each_waiting_update_once_with_its_date(council: Council, officer: User) -> None:
    recommendation = RecommendationFactory(engagement__council=council, reference="R8", owner=officer)
    update = submit(recommendation, officer, day=3)
    action = ActionFactory(recommendation=recommendation, reference="8.1", owner=officer)
    submit(action, officer, day=4)
    page = client_for(officer).get("/councils/borsetshire/my-work/").content.decode()
    link = f'href="/councils/borsetshire/recommendations/{recommendation.pk}/#update-{update.pk}">Your update on R8</a>'
    assert link in page
    assert page.count("Your update on R8<") == 1
    assert "Your update on R8</a>,\n          submitted 3 November 2026" in page
    assert "Your update on 8.1</a>,\n          submitted 4 November 2026" in page
