"""One update waits for sign-off per item; each author keeps one draft or returned update per item; the same
form posted twice makes one update; and an update approved after a later change moves nothing."""

import datetime as dt
import threading
import uuid

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.utils.html import escape

from recommendations import imports, selectors, services
from recommendations.models import Action, Council, Membership, ProgressUpdate, Rag, Recommendation, Status, User

from ..conftest import client_for
from ..factories import ActionFactory, RecommendationFactory, UserFactory, at
from ..shared_data import demo
from .plan_forms import form_data as plan_form_data
from .test_progress_views import form_data

SUBMITTED = ProgressUpdate.ReviewState.SUBMITTED


@pytest.fixture
def recommendation(council: Council, officer: User) -> Recommendation:
    return RecommendationFactory(engagement__council=council, owner=officer, reference="R2")


def new_url(item: Recommendation | Action) -> str:
    kind = "recommendations" if isinstance(item, Recommendation) else "actions"
    return f"/councils/{item.council.slug}/{kind}/{item.pk}/updates/new/"


def draft(item: Recommendation | Action, author: User, **fields: object) -> ProgressUpdate:
    return services.update_create(item=item, author=author, status=Status.IN_PROGRESS, rag=Rag.GREEN, **fields)


# --- the database holds the rules -------------------------------------------------------------------


@pytest.mark.django_db
def test_the_database_refuses_a_second_waiting_update_on_an_item(
    recommendation: Recommendation, officer: User, lead: User
) -> None:
    services.update_submit(update=draft(recommendation, officer), notify=False)
    second = draft(recommendation, lead)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressUpdate.objects.filter(pk=second.pk).update(review_state=SUBMITTED, submitted_at=at(2022, 1, 1))


@pytest.mark.django_db
def test_the_database_refuses_a_second_draft_by_one_author_on_an_item(
    recommendation: Recommendation, officer: User
) -> None:
    first = draft(recommendation, officer)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressUpdate.objects.create(
            recommendation=recommendation, author=officer, status=Status.IN_PROGRESS, rag=Rag.GREEN
        )
    with pytest.raises(services.OpenUpdateExists) as refused:
        draft(recommendation, officer)
    assert refused.value.existing == first


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="two connections at once need PostgreSQL")
def test_two_submissions_at_the_same_moment_leave_exactly_one_waiting(
    reference_data: None, council: Council, lead: User
) -> None:
    officer = UserFactory()
    Membership.objects.create(user=officer, council=council, role=Membership.Role.OFFICER)
    item = RecommendationFactory(engagement__council=council, owner=officer)
    mine, theirs = draft(item, officer), draft(item, lead)
    held, release = threading.Event(), threading.Event()
    outcome: list[str] = []

    def submit_and_hold() -> None:
        try:
            with transaction.atomic():
                services.update_submit(update=mine, notify=False)
                held.set()  # submitted, not yet committed: the other sees no waiting update
                release.wait(10)
        finally:
            connections.close_all()

    def submit_too() -> None:
        try:
            services.update_submit(update=theirs, notify=False)
            outcome.append("submitted")
        except services.UpdateWaiting as refusal:
            outcome.append(f"refused: {refusal.waiting.pk == mine.pk}")
        finally:
            connections.close_all()

    first = threading.Thread(target=submit_and_hold)
    first.start()
    assert held.wait(10)
    second = threading.Thread(target=submit_too)
    second.start()
    second.join(0.5)
    assert second.is_alive()  # the index makes it wait for the first transaction
    release.set()
    first.join(10)
    second.join(10)

    assert outcome == ["refused: True"]
    assert list(ProgressUpdate.objects.filter(recommendation=item, review_state=SUBMITTED)) == [mine]
    theirs.refresh_from_db()
    assert theirs.review_state == "draft"  # kept


# --- the member's pages ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_same_form_posted_twice_makes_one_update_and_says_it_was_already_submitted(
    recommendation: Recommendation, officer: User
) -> None:
    client = client_for(officer)
    key = str(uuid.uuid4())
    assert client.post(new_url(recommendation), form_data(key=key)).status_code == 302
    again = client.post(new_url(recommendation), form_data(key=key), follow=True)
    assert "This update was already submitted" in again.content.decode()
    assert ProgressUpdate.objects.filter(recommendation=recommendation).count() == 1
    assert ProgressUpdate.objects.get().review_state == SUBMITTED


@pytest.mark.django_db
def test_a_draft_saved_twice_from_one_form_stays_one_draft(recommendation: Recommendation, officer: User) -> None:
    client = client_for(officer)
    key = str(uuid.uuid4())
    client.post(new_url(recommendation), form_data(key=key, submit="draft"))
    client.post(new_url(recommendation), form_data(key=key, submit="draft", narrative="Second thoughts."))
    assert list(ProgressUpdate.objects.values_list("review_state", "narrative")) == [("draft", "Second thoughts.")]


@pytest.mark.django_db
def test_the_form_of_a_new_update_carries_a_fresh_key(recommendation: Recommendation, officer: User) -> None:
    client = client_for(officer)
    keys = {client.get(new_url(recommendation)).context["form"]["key"].value() for _ in range(2)}
    assert len(keys) == 2 and all(uuid.UUID(str(key)) for key in keys)


@pytest.mark.django_db
def test_submitting_while_someone_elses_update_waits_is_refused_with_a_link_and_keeps_the_draft(
    recommendation: Recommendation, officer: User, lead: User
) -> None:
    waiting = services.update_submit(update=draft(recommendation, lead), notify=False)
    page = client_for(officer).post(new_url(recommendation), form_data(key=str(uuid.uuid4()), narrative="Mine."))
    body = page.content.decode()
    assert page.status_code == 200 and "<title>Error: " in body
    assert f"{lead}&#x27;s update on R2 is waiting for sign-off" in body
    assert f'href="{recommendation.get_absolute_url()}#waiting"' in body  # an officer cannot open a review
    kept = ProgressUpdate.objects.get(author=officer)
    assert (kept.review_state, kept.narrative) == ("draft", "Mine.")
    assert list(ProgressUpdate.objects.filter(review_state=SUBMITTED)) == [waiting]
    item_page = client_for(officer).get(recommendation.get_absolute_url()).content.decode()
    assert 'id="waiting"' in item_page and "is waiting for sign-off" in item_page


@pytest.mark.django_db
def test_record_progress_takes_the_author_to_their_own_draft(recommendation: Recommendation, officer: User) -> None:
    mine = draft(recommendation, officer)
    response = client_for(officer).get(new_url(recommendation), follow=True)
    assert response.redirect_chain[-1][0] == f"/councils/borsetshire/updates/{mine.pk}/edit/"
    assert "You already have a draft on R2: carry on with it here" in response.content.decode()


@pytest.mark.django_db
def test_record_progress_takes_a_lead_to_the_review_and_the_author_to_withdraw(
    recommendation: Recommendation, officer: User, lead: User
) -> None:
    waiting = services.update_submit(update=draft(recommendation, officer), notify=False)
    to_lead = client_for(lead).get(new_url(recommendation), follow=True)
    assert to_lead.redirect_chain[-1][0] == f"/councils/borsetshire/reviews/{waiting.pk}/"
    assert "update on R2 is waiting for sign-off: review it first" in to_lead.content.decode()
    author = client_for(officer)
    to_author = author.get(new_url(recommendation))
    assert to_author["Location"] == f"{recommendation.get_absolute_url()}#update-{waiting.pk}"
    page = author.get(to_author["Location"]).content.decode()
    assert "To change it, withdraw it first" in page and "Withdraw" in page


@pytest.mark.django_db
def test_a_new_owner_may_draft_while_the_old_owners_update_waits_and_the_old_draft_stays_theirs(
    recommendation: Recommendation, officer: User, lead: User, council: Council
) -> None:
    kept = draft(recommendation, officer, narrative="Half written.")
    successor = UserFactory()
    Membership.objects.create(user=successor, council=council, role=Membership.Role.OFFICER)
    recommendation.owner = successor
    recommendation.save()
    form = client_for(successor).get(new_url(recommendation))
    assert form.status_code == 200
    assert "Half written." in client_for(officer).get(recommendation.get_absolute_url()).content.decode()
    assert "Half written." not in client_for(successor).get(recommendation.get_absolute_url()).content.decode()
    kept.refresh_from_db()
    assert (kept.author, kept.review_state) == (officer, "draft")


@pytest.mark.django_db
def test_withdrawing_is_refused_while_the_author_has_a_draft_on_the_item(
    recommendation: Recommendation, officer: User
) -> None:
    waiting = services.update_submit(update=draft(recommendation, officer), notify=False)
    second = ProgressUpdate.objects.create(  # as a page opened before the submission could have made it
        recommendation=recommendation, author=officer, status=Status.IN_PROGRESS, rag=Rag.GREEN
    )
    with pytest.raises(services.OpenUpdateExists) as refused:
        services.update_withdraw(update=waiting, by=officer)
    assert refused.value.existing == second


# --- no stale approvals -----------------------------------------------------------------------------


def approve(update: ProgressUpdate, reviewer: User, when: dt.datetime) -> ProgressUpdate:
    return services.update_approve(update=update, reviewer=reviewer, at=when, notify=False)


@pytest.mark.django_db
def test_an_update_submitted_before_the_position_moves_nothing_when_approved_later(
    council: Council, officer: User, lead: User
) -> None:
    action = ActionFactory(recommendation__engagement__council=council, owner=officer, percent_complete=0)
    older = services.update_create(
        item=action, author=officer, status=Status.COMPLETE, rag=Rag.GREEN, percent_complete=100, at=at(2022, 1, 10)
    )
    services.update_submit(update=older, at=at(2022, 1, 12), notify=False)
    services.update_record(
        item=action,
        author=lead,
        status=Status.IN_PROGRESS,
        rag=Rag.RED,
        rag_reason="The survey has not run.",
        percent_complete=40,
        at=at(2022, 2, 3),
    )
    assert services.position_update_before(older).source == ProgressUpdate.Source.LEAD
    approve(older, lead, at(2022, 2, 10))

    now = selectors.with_position(Action.objects.filter(pk=action.pk)).get()
    assert (now.position_status, now.position_rag, now.percent_complete) == (Status.IN_PROGRESS, Rag.RED, 40)
    then = selectors.with_position(Action.objects.filter(pk=action.pk), as_at=dt.date(2022, 2, 5)).get()
    assert (then.position_status, then.position_rag) == (Status.IN_PROGRESS, Rag.RED)


@pytest.mark.django_db
def test_the_dashboards_month_ends_follow_the_ordering_rule(
    council: Council, officer: User, lead: User, settings: object
) -> None:
    recommendation = RecommendationFactory(engagement__council=council, owner=officer)
    older = services.update_create(
        item=recommendation, author=officer, status=Status.COMPLETE, rag=Rag.GREEN, at=at(2022, 1, 10)
    )
    services.update_submit(update=older, at=at(2022, 1, 12), notify=False)
    services.update_record(
        item=recommendation, author=lead, status=Status.IN_PROGRESS, rag=Rag.RED, rag_reason="Late.", at=at(2022, 1, 20)
    )
    approve(older, lead, at(2022, 2, 10))
    page = client_for(lead).get("/councils/borsetshire/?as_at=2022-03-31")
    history = {month.day: month for month in page.context["board"].history}
    assert history[dt.date(2022, 2, 28)].statuses == history[dt.date(2022, 1, 31)].statuses
    assert page.context["board"].recommendation_statuses[1].number.value == 1  # in progress, not complete


# --- the St Helens R8 journey ------------------------------------------------------------------------


@pytest.fixture
def st_helens() -> dict[str, object]:
    demo()  # a copy of the process's one seeding (tests/shared_data.py)
    lead = User.objects.get(email="lead@st-helens.example")
    r8 = Recommendation.objects.get(engagement__council__slug="st-helens", reference="R8")
    waiting = ProgressUpdate.objects.get(recommendation=r8, review_state=SUBMITTED)
    return {"lead": lead, "r8": r8, "waiting": waiting}


def _approve_the_waiting_update_and_check(st_helens: dict[str, object], origin: str) -> None:
    lead, r8, waiting = st_helens["lead"], st_helens["r8"], st_helens["waiting"]
    client = client_for(lead)
    review = client.get(f"/councils/st-helens/reviews/{waiting.pk}/").content.decode()
    assert "R8 has changed since this update was submitted on 12 January 2022" in review
    assert f"In progress and Red (off track), comes from {escape(origin)}" in " ".join(review.split())
    seen = client.get(f"/councils/st-helens/reviews/{waiting.pk}/").context["approve_form"]["seen"].value()
    done = client.post(f"/councils/st-helens/reviews/{waiting.pk}/approve/", {"approve-seen": seen}, follow=True)
    assert "approved and added to its history" in done.content.decode()
    now = selectors.recommendation_get(user=lead, council_slug="st-helens", pk=r8.pk)
    assert (now.position_status, now.position_rag) == (Status.IN_PROGRESS, Rag.RED)
    page = " ".join(client.get(r8.get_absolute_url()).content.decode().split())
    assert "Approved after a later change" in page
    assert page.index("Red (off track)") < page.index("Approved after a later change")  # both, newest first


@pytest.mark.django_db
def test_r8_a_lead_changes_it_directly_then_approves_the_older_waiting_update(st_helens: dict[str, object]) -> None:
    lead, r8 = st_helens["lead"], st_helens["r8"]
    client = client_for(lead)
    edit = f"/councils/st-helens/recommendations/{r8.pk}/edit/"
    data = plan_form_data(client.get(edit).context["form"])
    data.update(status=Status.IN_PROGRESS, rag=Rag.RED, rag_reason="The survey has not run.", note="Checked.")
    assert client.post(edit, data).status_code == 302
    _approve_the_waiting_update_and_check(st_helens, f"{lead}'s direct change on")


@pytest.mark.django_db
def test_r8_an_import_changes_it_then_the_lead_approves_the_older_waiting_update(st_helens: dict[str, object]) -> None:
    lead, r8 = st_helens["lead"], st_helens["r8"]
    data = (
        "Type,Reference,Text,Status,RAG,RAG reason\r\n"
        f'recommendation,R8,"{r8.text}",In progress,Red,The survey has not run.\r\n'
    ).encode()
    imports.import_apply(engagement=r8.engagement, data=data, filename="plan.csv", by=lead)
    assert ProgressUpdate.objects.filter(recommendation=r8, source="import").count() == 1
    _approve_the_waiting_update_and_check(st_helens, f"the import by {lead} on")
