"""Reminders about update rounds and the LGA timetable, with the moment passed as an argument: which go when,
that each goes once however often the job runs, that a run after downtime sends the latest only, that a claim
left "sending" is taken over once, and that two workers on PostgreSQL send each reminder once."""

import datetime as dt
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import resolve

from councilimprove.jobs import SCHEDULE
from recommendations import services
from recommendations.models import (
    Council,
    Engagement,
    EngagementKind,
    Membership,
    Rag,
    Reminder,
    Status,
    UpdateRound,
    User,
)
from recommendations.services import reminders
from recommendations.tasks import reminders_send as reminders_task

from ..conftest import client_for
from ..factories import LONDON, ActionFactory, EngagementFactory, MembershipFactory, RecommendationFactory, UserFactory

SITE_URL = "http://127.0.0.1:8123"
Kind = Reminder.Kind


def moment(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _site_url(settings: object) -> None:
    settings.SITE_URL = SITE_URL


def kind_of(message: mail.EmailMessage) -> str:
    """The reminder's kind, read from its subject."""
    subject = message.subject
    for pattern, kind in (
        (r"^Progress updates needed by", Kind.ROUND_OPENED),
        (r"^Progress updates due in \d+ days?", Kind.BEFORE_DUE),
        (r"^Progress updates due today", Kind.DUE_TODAY),
        (r"^Progress updates .* overdue", Kind.OVERDUE),
        (r"updates in$", Kind.LEAD_DIGEST),
        (r"^Action plan", Kind.ACTION_PLAN_DUE),
        (r"^Progress review", Kind.PROGRESS_REVIEW_DUE),
    ):
        if re.search(pattern, subject):
            return kind
    raise AssertionError(f"not a reminder: {subject}")


def sent_by_kind(messages: list) -> Counter:
    return Counter((message.to[0], kind_of(message)) for message in messages)


def every(hours: int, start: dt.datetime, end: dt.datetime) -> Iterator[dt.datetime]:
    while start <= end:
        yield start
        start += dt.timedelta(hours=hours)


def _build_plan(council: Council, lead: User, officer: User) -> dict:
    """A plan with items owned by the officer (R1 and its action 1.1) and by a second owner (R2), and one whose
    owner is only a name from an imported plan (R3)."""
    owner = UserFactory(email="second.owner@borsetshire.example", first_name="Robin")
    MembershipFactory(council=council, user=owner, role=Membership.Role.OFFICER)
    engagement = EngagementFactory(council=council, title="Corporate Peer Challenge 2026")
    r1 = RecommendationFactory(engagement=engagement, reference="R1", heading="Strengthen scrutiny", owner=officer)
    a11 = ActionFactory(recommendation=r1, reference="1.1", description="Train scrutiny chairs", owner=officer)
    r2 = RecommendationFactory(engagement=engagement, reference="R2", heading="Plan the budget", owner=owner)
    r3 = RecommendationFactory(engagement=engagement, reference="R3", heading="Named only", owner_name="Head of HR")
    return {"owner": owner, "engagement": engagement, "r1": r1, "a11": a11, "r2": r2, "r3": r3}


@pytest.fixture
def plan(council: Council, lead: User, officer: User) -> dict:
    return _build_plan(council, lead, officer)


def _open(council: Council, lead: User, *, due: dt.date = dt.date(2027, 1, 25)) -> UpdateRound:
    """A round opened on Monday 4 January 2027 at 10am, due (by default) on Monday 25 January."""
    return services.round_open(
        by=lead, council=council, period_end=dt.date(2026, 12, 31), due_date=due, at=moment(2027, 1, 4, 10)
    )


def _update(item: object, author: User, at: dt.datetime) -> None:
    update = services.update_create(item=item, author=author, status=Status.IN_PROGRESS, rag=Rag.GREEN, at=at)
    services.update_submit(update=update, at=at, notify=False)


@pytest.mark.django_db
def test_a_round_sends_each_reminder_once_on_its_day_and_stops_for_an_owner_who_updates(
    council: Council, lead: User, officer: User, plan: dict, mailoutbox: list
) -> None:
    """Run six times a day (every four hours from midnight: each day's reminders are due at several runs) for five
    weeks from the Monday the round opened: the opening e-mail, the one five days before the due date, the due
    day's, and one each week overdue, once each; the second owner updates before the due date and hears nothing
    more; the lead gets the digest each Monday after the opening."""
    _open(council, lead)
    owner = plan["owner"]
    for at in every(4, moment(2027, 1, 4, 0), moment(2027, 2, 8, 20)):
        if at == moment(2027, 1, 22, 8):
            _update(plan["r2"], owner, at)  # all of the second owner's items are in
        if at == moment(2027, 1, 28, 8):
            _update(plan["a11"], officer, at)  # one of the officer's two
        reminders.reminders_send(at=at)

    assert sent_by_kind(mailoutbox) == {
        (officer.email, Kind.ROUND_OPENED): 1,
        (officer.email, Kind.BEFORE_DUE): 1,
        (officer.email, Kind.DUE_TODAY): 1,
        (officer.email, Kind.OVERDUE): 2,  # 1 and 8 February
        (owner.email, Kind.ROUND_OPENED): 1,
        (owner.email, Kind.BEFORE_DUE): 1,
        (lead.email, Kind.LEAD_DIGEST): 5,  # Mondays 11, 18, 25 January, 1 and 8 February
    }
    days = {(row.recipient_id, row.kind): [] for row in Reminder.objects.all()}
    for row in Reminder.objects.order_by("due_on"):
        assert row.state == Reminder.State.SENT and row.attempts == 1
        days[(row.recipient_id, row.kind)].append(row.due_on)
    assert days[(officer.pk, Kind.ROUND_OPENED)] == [dt.date(2027, 1, 4)]
    assert days[(officer.pk, Kind.BEFORE_DUE)] == [dt.date(2027, 1, 20)]  # the council's 5 days before
    assert days[(officer.pk, Kind.DUE_TODAY)] == [dt.date(2027, 1, 25)]
    assert days[(officer.pk, Kind.OVERDUE)] == [dt.date(2027, 2, 1), dt.date(2027, 2, 8)]
    assert days[(lead.pk, Kind.LEAD_DIGEST)][0] == dt.date(2027, 1, 11)

    overdue = [m for m in mailoutbox if kind_of(m) == Kind.OVERDUE]
    assert "R1 Strengthen scrutiny" in overdue[0].body and "1.1" not in overdue[0].body  # only what is not in
    assert "were due on 25 January 2027 and are now 14 days overdue" in overdue[1].body
    assert overdue[1].subject == "Progress updates 14 days overdue – Progress to 31 December 2026"


@pytest.mark.parametrize(
    ("due", "today", "step"),
    [
        (dt.date(2027, 1, 25), dt.date(2027, 1, 19), (Kind.ROUND_OPENED, dt.date(2027, 1, 4))),
        (dt.date(2027, 1, 25), dt.date(2027, 1, 20), (Kind.BEFORE_DUE, dt.date(2027, 1, 20))),
        (dt.date(2027, 1, 25), dt.date(2027, 1, 31), (Kind.DUE_TODAY, dt.date(2027, 1, 25))),
        (dt.date(2027, 1, 25), dt.date(2027, 2, 14), (Kind.OVERDUE, dt.date(2027, 2, 8))),
        # due within the five days after opening: no "due soon" (the opening e-mail gives the date)
        (dt.date(2027, 1, 7), dt.date(2027, 1, 6), (Kind.ROUND_OPENED, dt.date(2027, 1, 4))),
        (dt.date(2027, 1, 7), dt.date(2027, 1, 7), (Kind.DUE_TODAY, dt.date(2027, 1, 7))),
        # due on the day it opened: the opening e-mail, then weekly overdue
        (dt.date(2027, 1, 4), dt.date(2027, 1, 10), (Kind.ROUND_OPENED, dt.date(2027, 1, 4))),
        (dt.date(2027, 1, 4), dt.date(2027, 1, 11), (Kind.OVERDUE, dt.date(2027, 1, 11))),
        (dt.date(2027, 1, 25), dt.date(2027, 1, 3), None),
    ],
)
def test_an_owners_latest_step(due: dt.date, today: dt.date, step: tuple | None) -> None:
    update_round = UpdateRound(council=Council(reminder_days_before_due=5), opened_at=moment(2027, 1, 4, 10))
    update_round.due_date = due
    assert reminders.owner_step(update_round, today=today) == step


@pytest.mark.django_db
def test_the_opening_email_waits_for_the_moment_the_round_opened(
    council: Council, lead: User, officer: User, plan: dict, mailoutbox: list
) -> None:
    _open(council, lead)
    assert reminders.reminders_send(at=moment(2027, 1, 4, 9)) == 0  # the round opens at 10am
    assert reminders.reminders_send(at=moment(2027, 1, 4, 11)) == 2  # the officer and the second owner
    assert reminders.reminders_send(at=moment(2027, 1, 4, 12)) == 0


@pytest.mark.django_db
def test_a_closed_round_stops_everything(
    council: Council, lead: User, officer: User, plan: dict, mailoutbox: list
) -> None:
    update_round = _open(council, lead)
    reminders.reminders_send(at=moment(2027, 1, 4, 11))
    services.round_close(by=lead, update_round=update_round, at=moment(2027, 1, 6))
    for day in range(7, 28):
        assert reminders.reminders_send(at=moment(2027, 1, day)) == 0
    assert len(mailoutbox) == 2


@pytest.mark.django_db
def test_after_downtime_only_the_latest_reminder_of_each_goes(
    council: Council, lead: User, officer: User, plan: dict, mailoutbox: list
) -> None:
    """Nothing ran from the opening to Thursday 11 February: the officer gets one e-mail (the overdue one of
    Monday 8 February, not the four missed), the lead one digest (the latest Monday's)."""
    _open(council, lead)
    assert reminders.reminders_send(at=moment(2027, 2, 11, 9)) == 3
    assert sent_by_kind(mailoutbox) == {
        (officer.email, Kind.OVERDUE): 1,
        (plan["owner"].email, Kind.OVERDUE): 1,
        (lead.email, Kind.LEAD_DIGEST): 1,
    }
    assert set(Reminder.objects.values_list("due_on", flat=True)) == {dt.date(2027, 2, 8)}
    assert reminders.reminders_send(at=moment(2027, 2, 11, 10)) == 0


@pytest.mark.django_db
def test_the_digest_counts_what_is_in_waiting_and_missing_and_respects_the_preference(
    council: Council, lead: User, second_lead: User, officer: User, plan: dict, mailoutbox: list
) -> None:
    second_lead.wants_lead_digest = False
    second_lead.save(update_fields=["wants_lead_digest"])
    update_round = _open(council, lead)
    reminders.reminders_send(at=moment(2027, 1, 4, 11))  # the opening e-mails
    _update(plan["r1"], officer, moment(2027, 1, 5))
    services.update_approve(update=plan["r1"].updates.get(), reviewer=lead, at=moment(2027, 1, 6))
    _update(plan["a11"], officer, moment(2027, 1, 7))
    mailoutbox.clear()

    assert reminders.reminders_send(at=moment(2027, 1, 11, 8)) == 1
    [digest] = mailoutbox
    assert digest.to == [lead.email]
    assert digest.subject == "Progress to 31 December 2026: 2 of 4 updates in"
    assert "Updated and signed off: 1" in digest.body
    assert "Waiting for your sign-off: 1" in digest.body
    assert "No update yet: 2 (from 1 owner)" in digest.body
    assert "1 item has no owner in the service to remind" in digest.body  # R3, a name from the imported plan
    assert f"{SITE_URL}/councils/borsetshire/rounds/{update_round.pk}/" in digest.body
    assert f"{SITE_URL}/accounts/preferences/" in digest.body


@pytest.fixture
def challenge(council: Council) -> Engagement:
    """A peer challenge that ended on 15 October 2026: its action plan is expected by 15 January 2027 (at the
    latest by 15 March), its progress review by 15 August 2027."""
    kind = EngagementKind.objects.filter(is_peer_challenge=True).first()
    return EngagementFactory(
        council=council,
        kind=kind,
        title="Corporate Peer Challenge 2026",
        first_onsite_day=dt.date(2026, 10, 12),
        last_onsite_day=dt.date(2026, 10, 15),
    )


@pytest.mark.django_db
def test_leads_are_reminded_of_the_timetable_once_unless_they_turned_it_off(
    council: Council, lead: User, second_lead: User, officer: User, challenge: Engagement, mailoutbox: list
) -> None:
    second_lead.wants_timetable_reminders = False
    second_lead.save(update_fields=["wants_timetable_reminders"])
    sent_on = []
    day = dt.date(2026, 12, 1)
    while day <= dt.date(2027, 9, 30):
        if reminders.reminders_send(at=moment(day.year, day.month, day.day, 7)):
            sent_on.append(day)
        day += dt.timedelta(days=1)

    assert sent_by_kind(mailoutbox) == {
        (lead.email, Kind.ACTION_PLAN_DUE): 1,
        (lead.email, Kind.PROGRESS_REVIEW_DUE): 1,
    }
    assert sent_on == [dt.date(2027, 1, 10), dt.date(2027, 8, 10)]  # the council's 5 days before each
    plan_due = mailoutbox[0]
    assert plan_due.subject == "Action plan expected by 15 January 2027 – Corporate Peer Challenge 2026"
    assert "at the latest by 15 March 2027" in plan_due.body


@pytest.mark.django_db
def test_no_timetable_reminder_for_a_milestone_already_met(
    council: Council, lead: User, challenge: Engagement, mailoutbox: list
) -> None:
    challenge.action_plan_published = dt.date(2027, 1, 8)
    challenge.save()
    for day in range(1, 32):
        reminders.reminders_send(at=moment(2027, 1, day))
    assert mailoutbox == []


@pytest.mark.django_db
def test_a_claim_left_sending_is_taken_over_once_after_ten_minutes(
    council: Council, lead: User, officer: User, plan: dict, mailoutbox: list
) -> None:
    """A worker claimed the officer's opening e-mail at 11:00 and died: at 11:09 it is left alone, at 11:11 one
    run takes it over and sends it, and it is not sent again."""
    update_round = _open(council, lead)
    stuck = Reminder.objects.create(
        round=update_round, recipient=officer, kind=Kind.ROUND_OPENED, due_on=dt.date(2027, 1, 4),
        claimed_at=moment(2027, 1, 4, 11),
    )  # fmt: skip
    reminders.reminders_send(at=moment(2027, 1, 4, 11, 9))
    assert sent_by_kind(mailoutbox) == {(plan["owner"].email, Kind.ROUND_OPENED): 1}

    assert reminders.reminders_send(at=moment(2027, 1, 4, 11, 11)) == 1
    assert reminders.reminders_send(at=moment(2027, 1, 4, 11, 30)) == 0
    assert sent_by_kind(mailoutbox)[(officer.email, Kind.ROUND_OPENED)] == 1
    stuck.refresh_from_db()
    assert (stuck.state, stuck.attempts, stuck.sent_at) == (Reminder.State.SENT, 2, moment(2027, 1, 4, 11, 11))


@pytest.mark.django_db
def test_a_failed_send_stays_sending_is_logged_and_goes_on_a_later_run(
    council: Council,
    lead: User,
    officer: User,
    plan: dict,
    mailoutbox: list,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    _open(council, lead)

    def refused(email: object) -> None:
        raise ConnectionRefusedError("the mail server is down")

    monkeypatch.setattr(reminders, "email_deliver", refused)
    assert reminders.reminders_send(at=moment(2027, 1, 4, 11)) == 0
    assert set(Reminder.objects.values_list("state", flat=True)) == {Reminder.State.SENDING}
    assert "could not be sent" in caplog.text
    monkeypatch.undo()

    assert reminders.reminders_send(at=moment(2027, 1, 4, 11, 5)) == 0  # not ten minutes yet
    assert reminders.reminders_send(at=moment(2027, 1, 4, 11, 15)) == 2
    assert set(Reminder.objects.values_list("state", "attempts")) == {(Reminder.State.SENT, 2)}
    assert len(mailoutbox) == 2


@pytest.mark.django_db
def test_a_worker_that_dies_after_sending_repeats_that_message_once_and_skips_none(
    council: Council, lead: User, officer: User, plan: dict, mailoutbox: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The mail server accepted the first e-mail, then the worker died before recording it: the next run after
    ten minutes sends it again (the one repeat), and the e-mail the dead worker never reached goes too."""
    _open(council, lead)

    def dies(reminder: Reminder, *, at: dt.datetime) -> None:
        raise SystemExit("killed")

    monkeypatch.setattr(reminders, "reminder_mark_sent", dies)
    with pytest.raises(SystemExit):
        reminders.reminders_send(at=moment(2027, 1, 4, 11))
    monkeypatch.undo()
    assert len(mailoutbox) == 1
    first = mailoutbox[0].to

    assert reminders.reminders_send(at=moment(2027, 1, 4, 11, 1)) == 1  # the one never claimed
    assert reminders.reminders_send(at=moment(2027, 1, 4, 11, 11)) == 1  # the stale claim, again
    assert sorted(message.to[0] for message in mailoutbox) == sorted([first[0], officer.email, plan["owner"].email])
    assert set(Reminder.objects.values_list("state", flat=True)) == {Reminder.State.SENT}


@pytest.mark.django_db
def test_a_claim_left_sending_that_is_no_longer_due_is_left_alone(
    council: Council, lead: User, officer: User, plan: dict, mailoutbox: list
) -> None:
    """The officer's claim of 20 January was superseded by the due date's reminder; the second owner's, by their
    updates: neither is sent late, when it would no longer be true."""
    update_round = _open(council, lead)
    for owner, kind, day in ((officer, Kind.BEFORE_DUE, 20), (plan["owner"], Kind.DUE_TODAY, 25)):
        Reminder.objects.create(
            round=update_round, recipient=owner, kind=kind, due_on=dt.date(2027, 1, day),
            claimed_at=moment(2027, 1, day, 8),
        )  # fmt: skip
    _update(plan["r2"], plan["owner"], moment(2027, 1, 25, 9))

    assert reminders.reminders_send(at=moment(2027, 1, 25, 11)) == 2  # the officer's due-day one, the digest
    assert sent_by_kind(mailoutbox) == {(officer.email, Kind.DUE_TODAY): 1, (lead.email, Kind.LEAD_DIGEST): 1}
    assert Reminder.objects.filter(state=Reminder.State.SENDING, attempts=1).count() == 2


@pytest.mark.django_db
def test_an_inactive_owner_gets_nothing(
    council: Council, lead: User, officer: User, plan: dict, mailoutbox: list
) -> None:
    Membership.objects.filter(user=plan["owner"]).update(is_active=False)
    _open(council, lead)
    reminders.reminders_send(at=moment(2027, 1, 4, 11))
    assert [message.to for message in mailoutbox] == [[officer.email]]


@pytest.mark.django_db
def test_the_owners_email_links_to_each_item_and_my_work_and_the_recipient_gets_the_pages(
    council: Council, lead: User, officer: User, plan: dict, mailoutbox: list
) -> None:
    _open(council, lead)
    reminders.reminders_send(at=moment(2027, 1, 4, 11))
    [message] = [m for m in mailoutbox if m.to == [officer.email]]
    assert message.subject == "Progress updates needed by 25 January 2027 – Progress to 31 December 2026"
    html = message.alternatives[0][0]
    links = re.findall(r"https?://\S+", message.body)
    assert sorted(links) == sorted(re.findall(r'href="([^"]+)"', html))
    paths = sorted(urlsplit(link).path for link in links)
    assert paths == [
        f"/councils/borsetshire/actions/{plan['a11'].pk}/updates/new/",
        "/councils/borsetshire/my-work/",
        f"/councils/borsetshire/recommendations/{plan['r1'].pk}/updates/new/",
    ]
    client = client_for(officer)
    for link in links:
        assert link.startswith(SITE_URL)
        resolve(urlsplit(link).path)
        assert client.get(urlsplit(link).path).status_code == 200, link


@pytest.mark.django_db
def test_working_out_what_is_due_takes_the_same_queries_for_ten_times_the_owners(
    council: Council, lead: User, officer: User, plan: dict
) -> None:
    _open(council, lead)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert reminders.reminders_due(moment(2027, 1, 11, 11))
        return len(captured)

    small = queries()
    for n in range(20):
        owner = MembershipFactory(council=council, role=Membership.Role.OFFICER).user
        item = RecommendationFactory(engagement=plan["engagement"], reference=f"X{n}", owner=owner)
        ActionFactory(recommendation=item, reference=f"X{n}.1", owner=owner)
    UpdateRound.objects.all().delete()
    _open(council, lead)
    assert queries() == small


@pytest.mark.django_db
def test_the_digest_and_timetable_emails_link_to_pages_the_lead_gets(
    council: Council, lead: User, officer: User, plan: dict, challenge: Engagement, mailoutbox: list
) -> None:
    """Each link starts with SITE_URL and answers the lead (the round's own page, added with the round pages,
    is checked by its path in the digest's test)."""
    _open(council, lead)
    reminders.reminders_send(at=moment(2027, 1, 11, 11))  # a Monday, and the action plan is due on the 15th
    by_kind = {kind_of(message): message for message in mailoutbox if message.to == [lead.email]}
    assert set(by_kind) == {Kind.LEAD_DIGEST, Kind.ACTION_PLAN_DUE}
    client = client_for(lead)
    for kind, message in by_kind.items():
        links = re.findall(r"https?://\S+", message.body)
        assert sorted(links) == sorted(re.findall(r'href="([^"]+)"', message.alternatives[0][0])), kind
        for link in links:
            assert link.startswith(SITE_URL), link
            if "/rounds/" not in link:
                assert client.get(urlsplit(link).path).status_code == 200, link
    assert f"/councils/borsetshire/engagements/{challenge.pk}/" in by_kind[Kind.ACTION_PLAN_DUE].body


def test_the_job_is_on_the_schedule_hourly() -> None:
    [job] = [job for job in SCHEDULE if job.name == "reminders_send"]
    assert job.task == "recommendations.tasks.reminders_send" and job.every == dt.timedelta(hours=1)


@pytest.mark.django_db
def test_the_task_takes_its_moment_as_a_string(
    council: Council, lead: User, officer: User, plan: dict, mailoutbox: list
) -> None:
    _open(council, lead)
    assert reminders_task.call(at=moment(2027, 1, 4, 11).isoformat()) == 2
    assert reminders_task.call(at=moment(2027, 1, 4, 11).isoformat()) == 0


# --- two workers at once, on PostgreSQL ---------------------------------------------------------------------


def _two_workers(run: Callable[[], int]) -> list[int]:
    """Run `run` in two threads, each with its own database connection, started together."""
    results: list[int] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            results.append(run())
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return results


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two connections racing need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_workers_processing_the_same_due_reminders_send_each_once(
    reference_data: None, monkeypatch: pytest.MonkeyPatch, mailoutbox: list
) -> None:
    """Both workers work out the same reminders (a barrier holds each until the other has), then both try to
    claim every one: each e-mail goes once, counted around the sending function."""
    council = Council.objects.create(name="Borsetshire County Council", slug="borsetshire", kind=Council.Kind.COUNTY)
    lead = MembershipFactory(council=council, role=Membership.Role.LEAD, user__email="lead@borsetshire.example").user
    officer = MembershipFactory(council=council, role=Membership.Role.OFFICER).user
    plan = _build_plan(council, lead, officer)
    for n in range(8):  # more owners, so the race has more to claim
        owner = MembershipFactory(council=council, role=Membership.Role.OFFICER).user
        RecommendationFactory(engagement=plan["engagement"], reference=f"X{n}", owner=owner)
    _open(council, lead)

    together = threading.Barrier(2, timeout=30)
    due_of = reminders.reminders_due
    deliver = reminders.email_deliver
    lock = threading.Lock()
    sends: Counter = Counter()

    def due_then_wait(at: dt.datetime) -> list:
        found = due_of(at)
        together.wait()  # both have the same list before either claims anything
        return found

    def counted(email: object) -> None:
        with lock:
            sends[email.to[0]] += 1  # type: ignore[attr-defined]
        deliver(email)  # type: ignore[arg-type]

    claim = reminders.reminder_claim
    claims: Counter = Counter()

    def claim_counted(due: object, *, at: dt.datetime) -> object:
        won = claim(due, at=at)  # type: ignore[arg-type]
        with lock:
            claims["won" if won else "lost"] += 1
        return won

    monkeypatch.setattr(reminders, "reminders_due", due_then_wait)
    monkeypatch.setattr(reminders, "email_deliver", counted)
    monkeypatch.setattr(reminders, "reminder_claim", claim_counted)

    at = moment(2027, 1, 11, 11)  # a Monday: every owner's opening e-mail (caught up) and the lead's digest
    results = _two_workers(lambda: reminders.reminders_send(at=at))

    owners = 10  # the officer, the second owner and eight more
    assert sum(results) == owners + 1  # and the lead's digest
    assert claims == {"won": owners + 1, "lost": owners + 1}  # each worker tried every one
    assert set(sends.values()) == {1} and len(sends) == owners + 1
    assert len(mailoutbox) == owners + 1
    assert Reminder.objects.filter(state=Reminder.State.SENT).count() == owners + 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two connections racing need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_workers_taking_over_the_same_stale_claims_send_each_once(
    reference_data: None, monkeypatch: pytest.MonkeyPatch, mailoutbox: list
) -> None:
    council = Council.objects.create(name="Borsetshire County Council", slug="borsetshire", kind=Council.Kind.COUNTY)
    lead = MembershipFactory(council=council, role=Membership.Role.LEAD, user__email="lead@borsetshire.example").user
    officer = MembershipFactory(council=council, role=Membership.Role.OFFICER).user
    plan = _build_plan(council, lead, officer)
    update_round = _open(council, lead)
    for owner in (officer, plan["owner"]):
        Reminder.objects.create(
            round=update_round, recipient=owner, kind=Kind.ROUND_OPENED, due_on=dt.date(2027, 1, 4),
            claimed_at=moment(2027, 1, 4, 10, 30),
        )  # fmt: skip
    together = threading.Barrier(2, timeout=30)
    due_of = reminders.reminders_due

    def due_then_wait(at: dt.datetime) -> list:
        found = due_of(at)
        together.wait()
        return found

    monkeypatch.setattr(reminders, "reminders_due", due_then_wait)
    results = _two_workers(lambda: reminders.reminders_send(at=moment(2027, 1, 4, 11)))

    assert sorted(results) in ([0, 2], [1, 1])
    assert sent_by_kind(mailoutbox) == {
        (officer.email, Kind.ROUND_OPENED): 1,
        (plan["owner"].email, Kind.ROUND_OPENED): 1,
    }
    assert set(Reminder.objects.values_list("state", "attempts")) == {(Reminder.State.SENT, 2)}
