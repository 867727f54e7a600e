"""Update rounds in the browser's pages: a lead opens one in two steps (nothing typed lost, errors GOV.UK style),
reads who has and has not updated, removes items while it is open and closes it; members read; other councils'
rounds answer 404; My work and the dashboard show the open round; page queries do not grow with the round."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recommendations import selectors, services
from recommendations.models import Council, Rag, RoundItem, Status, UpdateRound, User

from ..conftest import client_for
from ..factories import ActionFactory, EngagementFactory, RecommendationFactory, UserFactory, at

pytestmark = pytest.mark.django_db

Outcome = RoundItem.Outcome
NEW = "/councils/borsetshire/rounds/new/"


def today() -> dt.date:
    return selectors.local_today()


@pytest.fixture
def plan(council: Council, lead: User, officer: User) -> dict:
    engagement = EngagementFactory(council=council, title="Corporate Peer Challenge 2026")
    r1 = RecommendationFactory(engagement=engagement, reference="R1", heading="Set priorities", owner=officer)
    r2 = RecommendationFactory(engagement=engagement, reference="R2", heading="Listen to residents", owner=lead)
    imported = RecommendationFactory(
        engagement=engagement, reference="R3", heading="Grow capacity", owner_name="Head of Corporate Services"
    )
    done = RecommendationFactory(engagement=engagement, reference="R4", heading="Done already")
    services.update_record(item=done, author=lead, status=Status.COMPLETE, rag=Rag.GREEN, at=at(2026, 1, 1))
    a11 = ActionFactory(recommendation=r1, reference="1.1", owner=officer, description="Agree a corporate plan")
    return {"engagement": engagement, "r1": r1, "r2": r2, "r3": imported, "done": done, "a11": a11}


def _open(council: Council, lead: User, *, due: dt.date | None = None, **kwargs: object) -> UpdateRound:
    return services.round_open(
        by=lead,
        council=council,
        period_end=today() - dt.timedelta(days=5),
        due_date=due or today() + dt.timedelta(days=12),
        **kwargs,  # type: ignore[arg-type]
    )


def _submit(item: object, author: User, at_moment: dt.datetime | None = None) -> object:
    update = services.update_create(item=item, author=author, status=Status.IN_PROGRESS, rag=Rag.GREEN, at=at_moment)
    return services.update_submit(update=update, at=at_moment, notify=False)


def _dates(period_end: dt.date, due: dt.date, engagement: str = "all") -> dict[str, str]:
    return {
        "engagement": engagement,
        "period_end_day": str(period_end.day),
        "period_end_month": str(period_end.month),
        "period_end_year": str(period_end.year),
        "due_date_day": str(due.day),
        "due_date_month": str(due.month),
        "due_date_year": str(due.year),
    }


def _checked(page: str, name: str) -> set[str]:
    """The values of the ticked boxes named `name`."""
    boxes = re.findall(rf'<input type="checkbox" name="{name}" value="(\d+)"[^>]*>', page)
    return {value for value in boxes if re.search(rf'name="{name}" value="{value}"[^>]*checked', page)}


# --- opening a round ------------------------------------------------------------------------------------


def test_a_lead_opens_a_round_in_two_steps_leaving_one_item_out(council: Council, lead: User, plan: dict) -> None:
    client = client_for(lead)
    first = client.get(NEW)
    assert first.status_code == 200
    assert "4 open items" in first.content.decode()  # R1, R2 and R3 (R4 is complete), and 1.1: the hint counts
    due = today() + dt.timedelta(days=14)
    dates = _dates(dt.date(2027, 1, 31), due, str(plan["engagement"].pk))

    second = client.post(NEW, {**dates, "step": "details"})
    page = second.content.decode()
    assert second.status_code == 200
    assert "<title>Choose the items to ask about" in page
    assert _checked(page, "recommendations") == {str(plan[k].pk) for k in ("r1", "r2", "r3")}  # all ticked
    assert _checked(page, "actions") == {str(plan["a11"].pk)}
    assert "Owner named in the imported plan: Head of Corporate Services" in page
    assert 'name="period_end_day" value="31"' in page  # the first step travels as typed

    done = client.post(
        NEW,
        {
            **dates,
            "step": "items",
            "chosen_for": str(plan["engagement"].pk),
            "recommendations": [plan["r1"].pk, plan["r3"].pk],
            "actions": [plan["a11"].pk],
        },
    )
    update_round = UpdateRound.objects.get(council=council)
    assert done.status_code == 302 and done["Location"] == update_round.get_absolute_url()
    assert update_round.title == "Progress to 31 January 2027"
    assert (update_round.due_date, update_round.engagement) == (due, plan["engagement"])
    assert {row.item.reference for row in update_round.items.all()} == {"R1", "R3", "1.1"}
    assert client.get(NEW).content.decode().count("close it before you open another") == 1


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ({"period_end_day": "", "period_end_month": "", "period_end_year": ""}, "Enter the last day of the period"),
        ({"period_end_day": "31", "period_end_month": "2"}, "Last day of the period must be a real date"),
        ({"due_date_month": ""}, "Date updates are due must include a month"),
        ({"engagement": ""}, "Select the plan the round asks about"),
    ],
)
def test_the_first_step_shows_errors_govuk_style_and_keeps_what_was_typed(
    council: Council, lead: User, plan: dict, typed: dict, message: str
) -> None:
    data = {**_dates(dt.date(2027, 1, 31), today() + dt.timedelta(days=7)), **typed, "step": "details"}
    page = client_for(lead).post(NEW, data).content.decode()
    assert page.count(message) == 2  # in the error summary and by the field
    assert "<title>Error: Open an update round" in page
    assert 'class="govuk-error-summary"' in page
    assert f'value="{data["due_date_year"]}"' in page  # nothing typed is lost
    assert not UpdateRound.objects.exists()


def test_a_plan_with_nothing_open_is_refused_at_the_first_step(council: Council, lead: User, plan: dict) -> None:
    finished = EngagementFactory(council=council, title="Finance Peer Challenge 2024")
    data = {**_dates(dt.date(2027, 1, 31), today() + dt.timedelta(days=7), str(finished.pk)), "step": "details"}
    page = client_for(lead).post(NEW, data).content.decode()
    assert "No open items" in page  # the hint said so
    assert page.count("There are no open items in that plan: select another") == 2


def test_the_due_date_cannot_be_in_the_past(council: Council, lead: User, plan: dict) -> None:
    data = {**_dates(dt.date(2027, 1, 31), today() - dt.timedelta(days=1)), "step": "details"}
    page = client_for(lead).post(NEW, data).content.decode()
    assert "The date updates are due must be today or in the future" in page


def test_unticking_every_item_is_an_error_and_the_dates_are_kept(council: Council, lead: User, plan: dict) -> None:
    data = {**_dates(dt.date(2027, 1, 31), today() + dt.timedelta(days=7)), "step": "items", "chosen_for": "all"}
    page = client_for(lead).post(NEW, data).content.decode()
    assert "<title>Error: Choose the items to ask about" in page
    assert page.count("Select at least one item to ask about") == 2
    assert 'href="#id_recommendations_0"' in page  # the summary's link goes to the first box
    assert 'name="due_date_year"' in page
    assert not UpdateRound.objects.exists()


def test_changing_the_dates_keeps_the_ticks_for_the_same_plan(council: Council, lead: User, plan: dict) -> None:
    client = client_for(lead)
    dates = _dates(dt.date(2027, 1, 31), today() + dt.timedelta(days=7))
    ticks = {"recommendations": [plan["r1"].pk], "actions": [plan["a11"].pk], "chosen_for": "all"}
    back = client.post(NEW, {**dates, **ticks, "step": "change"}).content.decode()
    assert "<title>Open an update round" in back and "Error" not in back
    assert f'name="recommendations" value="{plan["r1"].pk}"' in back  # carried, hidden
    again = client.post(NEW, {**dates, **ticks, "period_end_day": "30", "step": "details"}).content.decode()
    assert _checked(again, "recommendations") == {str(plan["r1"].pk)}
    other_plan = client.post(NEW, {**dates, **ticks, "engagement": str(plan["engagement"].pk), "step": "details"})
    assert len(_checked(other_plan.content.decode(), "recommendations")) == 3  # another plan: all ticked again


def test_only_leads_open_rounds(council: Council, officer: User, leadership: User, plan: dict) -> None:
    data = {**_dates(dt.date(2027, 1, 31), today() + dt.timedelta(days=7)), "step": "items", "chosen_for": "all"}
    for user in (officer, leadership):
        assert client_for(user).post(NEW, {**data, "recommendations": [plan["r1"].pk]}).status_code == 403
    assert not UpdateRound.objects.exists()


# --- the round's page ----------------------------------------------------------------------------------


def test_the_round_page_shows_who_has_updated_and_who_has_not(
    council: Council, lead: User, officer: User, plan: dict
) -> None:
    update_round = _open(council, lead)
    waiting = _submit(plan["r1"], officer)
    approved = _submit(plan["r2"], lead)
    services.update_approve(update=approved, reviewer=lead, notify=False)

    page = client_for(lead).get(update_round.get_absolute_url()).content.decode()
    assert "2 of 4 items updated, 1 of them waiting for sign-off" in page
    assert "12 days left" in page
    for words in ("Updated and signed off", "Waiting for sign-off", "No update yet"):
        assert f">{words}</strong>" in page  # a tag with words, never colour alone
    assert f"/councils/borsetshire/reviews/{waiting.pk}/" in page  # what waits links to its review
    no_update = page.split(">No update yet</h2>")[1].split("</h2>")[0]
    assert str(officer) in no_update and "1.1 Agree a corporate plan" in no_update  # by owner
    assert f"/councils/borsetshire/recommendations/{plan['r3'].pk}/edit/" in page  # for the lead to assign
    assert "Head of Corporate Services" in page
    assert page.count(">Remove<span") == 4
    assert f"/rounds/{update_round.pk}/close/" in page

    read_only = client_for(officer).get(update_round.get_absolute_url()).content.decode()
    assert "2 of 4 items updated" in read_only
    assert ">Remove<span" not in read_only and "/close/" not in read_only and "/edit/" not in read_only


def test_the_list_puts_the_open_round_first_with_its_counts(council: Council, lead: User, plan: dict) -> None:
    closed = _open(council, lead)
    services.round_close(by=lead, update_round=closed)
    current = _open(council, lead, leave_out=[plan["r3"]])
    _submit(plan["r2"], lead)
    page = client_for(lead).get("/councils/borsetshire/rounds/").content.decode()
    assert page.index(current.get_absolute_url()) < page.index(f'/rounds/{closed.pk}/"')
    assert "1 of 3" in page and "0 of 4" in page
    assert ">Open</strong>" in page and ">Closed</strong>" in page


def test_another_councils_round_answers_404(
    council: Council, other_council: Council, lead: User, outsider: User, plan: dict
) -> None:
    EngagementFactory(council=other_council)
    RecommendationFactory(engagement__council=other_council, reference="F1")
    theirs = services.round_open(by=outsider, council=other_council, period_end=dt.date(2027, 1, 31), due_date=today())
    ours = _open(council, lead)
    client = client_for(lead)
    for path in (f"rounds/{theirs.pk}/", f"rounds/{theirs.pk}/close/"):
        assert client.get(f"/councils/borsetshire/{path}").status_code == 404
    their_item = theirs.items.get()
    assert client.post(f"/councils/borsetshire/rounds/{theirs.pk}/items/{their_item.pk}/remove/").status_code == 404
    # an item of another round through ours
    assert client.post(f"/councils/borsetshire/rounds/{ours.pk}/items/{their_item.pk}/remove/").status_code == 404
    assert client_for(outsider).get(f"/councils/borsetshire/rounds/{ours.pk}/").status_code == 404
    assert theirs.items.count() == 1


def test_a_lead_removes_an_item_while_the_round_is_open(
    council: Council, lead: User, officer: User, plan: dict
) -> None:
    update_round = _open(council, lead, leave_out=[plan["r2"], plan["r3"]])
    row = update_round.items.get(recommendation=plan["r1"])
    url = f"/councils/borsetshire/rounds/{update_round.pk}/items/{row.pk}/remove/"
    assert client_for(lead).get(url).status_code == 405
    assert client_for(officer).post(url).status_code == 403
    response = client_for(lead).post(url, follow=True)
    assert "R1 removed from the round" in response.content.decode()
    assert [item.item.reference for item in update_round.items.all()] == ["1.1"]

    last = update_round.items.get()
    refused = client_for(lead).post(f"/councils/borsetshire/rounds/{update_round.pk}/items/{last.pk}/remove/")
    page = refused.content.decode()
    assert refused.status_code == 200
    assert "<title>Error: Progress to" in page and 'class="govuk-error-summary"' in page
    assert "A round asks about one item at least: close the round instead" in page
    assert update_round.items.count() == 1


def test_closing_asks_first_then_records_what_came_in(council: Council, lead: User, officer: User, plan: dict) -> None:
    update_round = _open(council, lead)
    waiting = _submit(plan["r1"], officer)
    client = client_for(lead)
    close = f"/councils/borsetshire/rounds/{update_round.pk}/close/"
    assert client_for(officer).get(close).status_code == 403
    asking = client.get(close).content.decode()
    assert "<title>Close the round Progress to" in asking
    assert "0 updated and signed off" in asking and "1 updated and waiting for sign-off" in asking
    assert "3 with no update" in asking
    assert UpdateRound.objects.get(pk=update_round.pk).is_open  # asking closes nothing

    response = client.post(close, follow=True)
    page = response.content.decode()
    assert "Round closed" in page
    assert ">Updated, waiting for sign-off</strong>" in page and page.count(">No update received</strong>") == 3
    assert f"#update-{waiting.pk}" in page
    assert f"/councils/borsetshire/progress-report/?round={update_round.pk}" in page
    assert ">Remove<span" not in page and "/close/" not in page
    update_round.refresh_from_db()
    assert not update_round.is_open
    # signing it off later changes nothing recorded
    services.update_approve(update=waiting, reviewer=lead, notify=False)
    assert ">Updated, waiting for sign-off</strong>" in client.get(update_round.get_absolute_url()).content.decode()
    assert client.get(close).status_code == 302  # already closed: back to the round


# --- My work, the dashboard and the cache ----------------------------------------------------------------


def test_my_work_lists_my_items_in_the_open_round(council: Council, lead: User, officer: User, plan: dict) -> None:
    client = client_for(officer)
    assert "Update round" not in client.get("/councils/borsetshire/my-work/").content.decode()
    update_round = _open(council, lead)
    _submit(plan["r1"], officer)
    page = client.get("/councils/borsetshire/my-work/").content.decode()
    section = page.split('id="update-round"')[1].split("</table>")[0]
    assert f"Update round: {update_round.title}" in page
    assert "12 days left" in section
    assert "R1 Set priorities" in section and "1.1 Agree a corporate plan" in section
    assert "R2" not in section  # the lead's
    assert ">Waiting for sign-off</strong>" in section and ">No update yet</strong>" in section
    assert f"/councils/borsetshire/actions/{plan['a11'].pk}/updates/new/" in section
    assert f"/councils/borsetshire/recommendations/{plan['r1'].pk}/updates/new/" in section


def test_a_lead_finds_the_rounds_on_my_work_and_the_round_open_though_they_own_nothing_in_it(
    council: Council, lead: User, officer: User, plan: dict
) -> None:
    page = client_for(lead).get("/councils/borsetshire/my-work/").content.decode()
    assert 'href="/councils/borsetshire/rounds/">Update rounds</a>' in page
    update_round = _open(council, lead, leave_out=[plan["r2"]])  # the lead's own
    page = client_for(lead).get("/councils/borsetshire/my-work/").content.decode()
    assert f'{update_round.get_absolute_url()}">{update_round.title}</a> is open' in page
    assert 'id="update-round"' not in page  # no items of theirs in it
    assert "/rounds/" not in client_for(officer).get("/councils/borsetshire/").content.decode().split("<main")[0]


def test_my_work_says_when_the_round_is_overdue(
    council: Council, lead: User, officer: User, leadership: User, plan: dict
) -> None:
    with_past_due = services.round_open(
        by=lead, council=council, period_end=dt.date(2026, 1, 31), due_date=today() - dt.timedelta(days=3)
    )
    page = client_for(officer).get("/councils/borsetshire/my-work/").content.decode()
    assert with_past_due.title in page and ">3 days overdue</strong>" in page
    reader = " ".join(client_for(leadership).get("/councils/borsetshire/my-work/").content.decode().split())
    assert "is open: updates were due" in reader and "(3 days overdue)" in reader  # owning nothing in it


def test_the_dashboard_shows_the_round_and_a_submission_is_seen_at_once(
    council: Council, lead: User, officer: User, leadership: User, plan: dict
) -> None:
    client = client_for(leadership)
    assert "No update round is open." in client.get("/councils/borsetshire/").content.decode()
    update_round = _open(council, lead)
    page = client.get("/councils/borsetshire/").content.decode()
    assert "0 of 4 items updated" in page and update_round.get_absolute_url() in page
    assert "owners overdue" not in page  # not yet due
    assert client.get("/councils/borsetshire/").context["board"] is None  # from the cache
    version = Council.objects.get(pk=council.pk).data_version
    update = _submit(plan["r1"], officer)
    assert Council.objects.get(pk=council.pk).data_version > version  # in the submission's transaction
    assert (
        "1 of 4 items updated, 1 of them waiting for sign-off" in client.get("/councils/borsetshire/").content.decode()
    )
    services.update_withdraw(update=update, by=officer)
    assert "0 of 4 items updated" in client.get("/councils/borsetshire/").content.decode()


def test_the_dashboard_counts_owners_overdue_after_the_due_date(
    council: Council, lead: User, officer: User, leadership: User, plan: dict
) -> None:
    services.round_open(by=lead, council=council, period_end=dt.date(2026, 1, 31), due_date=today() - dt.timedelta(1))
    _submit(plan["r2"], lead)
    page = client_for(leadership).get("/councils/borsetshire/").content.decode()
    # the officer (R1, 1.1) and the imported plan's Head of Corporate Services (R3); the lead updated R2
    assert "2 owners overdue" in page and "1 day overdue" in page


def test_the_dashboard_as_at_a_past_date_shows_the_round_open_then_as_it_stood(
    council: Council, lead: User, officer: User, leadership: User, plan: dict
) -> None:
    update_round = services.round_open(
        by=lead, council=council, period_end=dt.date(2026, 1, 31), due_date=dt.date(2026, 2, 7), at=at(2026, 2, 1)
    )
    _submit(plan["r1"], officer, at(2026, 2, 3))
    _submit(plan["r2"], lead, at(2026, 2, 20))
    services.round_close(by=lead, update_round=update_round, at=at(2026, 2, 21))
    client = client_for(leadership)
    assert "No update round is open." in client.get("/councils/borsetshire/").content.decode()  # none open now
    before = client.get("/councils/borsetshire/?as_at=2026-01-31").content.decode()
    assert "No update round was open on 31 January 2026." in before and "items updated" not in before
    before_due = client.get("/councils/borsetshire/?as_at=2026-02-04").content.decode()
    assert "1 of 4 items updated" in before_due and "3 days left on 4 February 2026" in before_due
    after_due = client.get("/councils/borsetshire/?as_at=2026-02-10").content.decode()
    # the officer (1.1), the lead (R2 came in on the 20th) and the imported plan's Head of Corporate Services (R3)
    assert "1 of 4 items updated" in after_due and "3 owners overdue" in after_due


def test_round_pages_my_work_and_the_dashboard_do_not_grow_with_the_round(
    council: Council, lead: User, officer: User, leadership: User
) -> None:
    """Exact query counts with a small round, then with a larger one (items, owners, updates in)."""
    engagement = EngagementFactory(council=council)

    def build(scale: int, start: int) -> UpdateRound:
        UpdateRound.objects.filter(closed_at__isnull=True).update(closed_at=at(2030, 1, 1), closed_by=lead)
        for r in range(scale):
            owner = UserFactory()
            council.memberships.create(user=owner, role="officer")
            recommendation = RecommendationFactory(engagement=engagement, reference=f"R{start + r}", owner=officer)
            RecommendationFactory(engagement=engagement, reference=f"N{start + r}", owner_name=f"Head {r}")
            for a in range(scale):
                ActionFactory(recommendation=recommendation, reference=f"{start + r}.{a}", owner=owner)
        update_round = _open(council, lead, engagement=engagement)
        for n, row in enumerate(update_round.items.select_related("recommendation", "action")):
            if n % 3 == 0 and row.item.owner and services.waiting_update(row.item) is None:
                update = _submit(row.item, row.item.owner)
                if n % 2:
                    services.update_approve(update=update, reviewer=lead, notify=False)
        return update_round

    def counts(update_round: UpdateRound) -> dict[str, int]:
        measured = {}
        pages = {
            "list": (lead, "/councils/borsetshire/rounds/"),
            "detail": (lead, update_round.get_absolute_url()),
            "detail_officer": (officer, update_round.get_absolute_url()),
            "close": (lead, f"/councils/borsetshire/rounds/{update_round.pk}/close/"),
            "my_work": (officer, "/councils/borsetshire/my-work/"),
            "dashboard": (leadership, "/councils/borsetshire/"),
            "new": (lead, NEW),
        }
        for name, (user, url) in pages.items():
            client = client_for(user)
            with CaptureQueriesContext(connection) as context:
                assert client.get(url).status_code == 200
            measured[name] = len(context.captured_queries)
        return measured

    small = counts(build(1, 1))
    large = counts(build(4, 100))
    assert large == small


# --- the council's setting ------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "saved"), [("7", 7), ("0", None), ("31", None), ("", None)])
def test_leads_set_the_reminder_days_from_1_to_30(council: Council, lead: User, typed: str, saved: int | None) -> None:
    response = client_for(lead).post(
        "/councils/borsetshire/settings/", {"update_interval_months": "3", "reminder_days_before_due": typed}
    )
    council.refresh_from_db()
    if saved:
        assert response.status_code == 302 and council.reminder_days_before_due == saved
    else:
        page = response.content.decode()
        assert "<title>Error: Council settings" in page and "Enter a number of days" in page
        assert council.reminder_days_before_due == 5


# --- the admin ------------------------------------------------------------------------------------------


def test_staff_read_rounds_and_reminders_in_the_admin_but_cannot_change_them(
    council: Council, lead: User, plan: dict
) -> None:
    update_round = _open(council, lead)
    staff = UserFactory(email="staff@example.com", is_staff=True, is_superuser=True)
    client = client_for(staff)
    page = client.get(f"/admin/recommendations/updateround/{update_round.pk}/change/")
    assert page.status_code == 200 and "R1" in page.content.decode()
    assert client.get("/admin/recommendations/updateround/").status_code == 200
    assert client.get("/admin/recommendations/reminder/").status_code == 200
    assert client.get("/admin/recommendations/updateround/add/").status_code == 403
    assert (
        client.post(f"/admin/recommendations/updateround/{update_round.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    assert UpdateRound.objects.filter(pk=update_round.pk).exists()
