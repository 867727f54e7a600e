"""`manage.py seed_demo`: guarded, complete, idempotent, and true to the 2019–2021 timeline."""

import csv
import datetime as dt
import io
import re
from io import StringIO
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from nonprod.demo import DEMO_PASSWORD
from recommendations.models import (
    Action,
    Council,
    DueDateChange,
    Engagement,
    Evidence,
    Membership,
    Peer,
    ProgressUpdate,
    Rag,
    Recommendation,
    Status,
    User,
)
from recommendations.selectors import with_position

from ..conftest import client_for
from ..recommendations.test_dashboard import board, numbers, rows_in_table

pytestmark = pytest.mark.django_db

PANEL_DAY = dt.date(2020, 9, 28)
SUBJECTS = {
    "R1": "assistant chief executive",
    "R2": "distributed leadership",
    "R3": "culture",
    "R4": "children's services",
    "R5": "medium-term financial strategy",
    "R6": "corporately owned priorities",
    "R7": "external communications",
    "R8": "workforce engagement",
}


def seed(settings: Any) -> str:
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


# The tests below the first two read the demo seeded once for the module (`seeded_demo`, in conftest.py); the
# first two run before it exists and seed (or refuse to seed) an empty database themselves.


def st_helens_recommendations() -> Any:
    return Recommendation.objects.filter(engagement__council__slug="st-helens")


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (history and many-to-many tables included), in primary-key order."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values_list())
        for model in apps.get_models(include_auto_created=True)
    }


def test_refuses_without_debug(settings: Any) -> None:
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG") as error:
        call_command("seed_demo", stdout=StringIO())

    assert "--force" in str(error.value)
    assert not Council.objects.exists()
    assert not User.objects.exists()


def test_runs_without_debug_when_forced(settings: Any) -> None:
    settings.DEBUG = False
    out = StringIO()

    call_command("seed_demo", "--force", stdout=out)

    assert Council.objects.filter(slug="st-helens").exists()
    assert "DEBUG is off" in out.getvalue()


def test_builds_st_helens_and_its_2019_challenge(seeded_demo: str) -> None:
    council = Council.objects.get(slug="st-helens")
    assert (council.name, council.kind, council.region) == (
        "St Helens Borough Council",
        Council.Kind.METROPOLITAN_BOROUGH,
        "North West",
    )
    cpc = Engagement.objects.get(council=council, kind__slug="corporate-peer-challenge")
    assert (cpc.first_onsite_day, cpc.last_onsite_day, cpc.mode) == (
        dt.date(2019, 1, 15),
        dt.date(2019, 1, 18),
        Engagement.Mode.ONSITE,
    )
    assert (cpc.report_published.year, cpc.report_published.month) == (2019, 7)
    assert (cpc.action_plan_published.year, cpc.action_plan_published.month) == (2019, 7)
    assert cpc.themes.count() == 5
    assert cpc.peers.count() == 8
    assert all("(illustrative)" in peer.name for peer in Peer.objects.filter(engagements__council=council))


def test_builds_the_eight_recommendations_with_their_plan(seeded_demo: str) -> None:
    recommendations = {r.reference: r for r in st_helens_recommendations().select_related("theme", "owner")}
    assert set(SUBJECTS) <= set(recommendations)
    for reference, subject in SUBJECTS.items():
        recommendation = recommendations[reference]
        assert subject in f"{recommendation.heading} {recommendation.text}".lower(), reference
        assert "illustrative" in recommendation.source_note.lower()
        assert recommendation.theme is not None
        assert recommendation.lead_directorate is not None
        assert recommendation.owner is not None
        assert recommendation.due_date is not None
        assert recommendation.created_at.date() == dt.date(2019, 7, 17)
        assert recommendation.history.earliest().history_date.date() == dt.date(2019, 7, 17)

    actions = Action.objects.filter(recommendation__engagement__council__slug="st-helens")
    assert actions.count() == 12
    assert all(a.owner_id and a.start_date and a.due_date for a in actions)
    assert {a.reference for a in actions} >= {"1.1", "2.1", "2.2", "5.1", "8.1"}
    moved = DueDateChange.objects.filter(action__in=actions)
    assert moved.exists()
    assert all(change.reason and 2020 <= change.changed_at.year <= 2021 for change in moved)
    recruitment = actions.get(reference="1.1")
    assert recruitment.baseline_due_date < recruitment.due_date  # slippage keeps the first date


def test_records_approved_progress_from_2019_to_2021(seeded_demo: str) -> None:
    approved = ProgressUpdate.objects.filter(
        review_state=ProgressUpdate.ReviewState.APPROVED, recommendation__engagement__council__slug="st-helens"
    )
    assert {update.approved_at.year for update in approved} == {2019, 2020, 2021}
    assert approved.filter(source=ProgressUpdate.Source.LEAD).exists()
    assert approved.exclude(assurance_rag="").exists()
    narratives = " ".join(approved.values_list("narrative", flat=True))
    for fact in ("Ofsted", "five of the six senior officers", "Capital and Investment Strategy", "rebrand"):
        assert fact in narratives


def test_every_stored_position_matches_the_ordering_rule(seeded_demo: str) -> None:
    out = StringIO()
    call_command("check_positions", stdout=out)  # exits 1 on drift
    assert "No drift" in out.getvalue()
    r8 = Recommendation.objects.get(engagement__council__slug="st-helens", reference="R8")
    assert r8.position_update_id is not None
    assert (r8.status, r8.rag) == (r8.position_update.status, r8.position_update.effective_rag)


def test_leaves_updates_in_the_review_workflow_after_the_history(seeded_demo: str) -> None:
    pending = ProgressUpdate.objects.exclude(review_state=ProgressUpdate.ReviewState.APPROVED)
    states = sorted(pending.values_list("review_state", flat=True))
    assert states == ["draft", "returned", "submitted"]
    assert all(update.created_at.year > 2021 and update.approved_at is None for update in pending)
    assert pending.get(review_state=ProgressUpdate.ReviewState.RETURNED).review_comment


def test_adds_the_later_engagements_under_the_challenge(seeded_demo: str) -> None:
    cpc = Engagement.objects.get(council__slug="st-helens", kind__slug="corporate-peer-challenge")
    panel = Engagement.objects.get(council__slug="st-helens", kind__slug="recovery-and-renewal-panel")
    session = Engagement.objects.get(council__slug="st-helens", kind__slug="peer-support-session")
    assert panel.parent == cpc and session.parent == cpc
    assert (panel.mode, panel.first_onsite_day, panel.last_onsite_day) == (
        Engagement.Mode.REMOTE,
        PANEL_DAY,
        PANEL_DAY,
    )
    assert session.mode == Engagement.Mode.REMOTE
    assert (session.first_onsite_day.year, session.first_onsite_day.month) == (2021, 3)
    assert (session.report_published.year, session.report_published.month) == (2021, 3)


def test_adds_links_and_assessments_as_evidence(seeded_demo: str) -> None:
    evidence = Evidence.objects.filter(council__slug="st-helens")
    assert set(evidence.values_list("kind", flat=True)) == {Evidence.Kind.LINK, Evidence.Kind.ASSESSMENT}
    assert evidence.filter(internal=True).count() == 1
    ofsted = evidence.get(title__icontains="Ofsted")
    assert ofsted.kind == Evidence.Kind.ASSESSMENT
    assert ofsted.recommendations.filter(reference="R4").exists()
    assert ofsted.updates.filter(review_state=ProgressUpdate.ReviewState.APPROVED).exists()
    assert evidence.filter(title__icontains="budget", kind=Evidence.Kind.LINK).exists()
    assert evidence.filter(title__icontains="Ways of Working").exists()
    assert all(item.created_at.year in (2019, 2020, 2021) for item in evidence)


def test_gives_every_role_a_sign_in_and_adds_a_platform_administrator(seeded_demo: str) -> None:
    out = seeded_demo

    roles = set(Membership.objects.filter(council__slug="st-helens").values_list("role", flat=True))
    assert roles == set(Membership.Role.values)
    admin = User.objects.get(email="admin@council-improve.example")
    assert admin.is_staff and admin.is_superuser
    assert not admin.memberships.exists()
    for user in User.objects.all():
        assert user.check_password(DEMO_PASSWORD)
        assert user.first_name and user.last_name and user.job_title
        assert user.email in out
    assert DEMO_PASSWORD in out


def test_adds_a_fictional_second_council_with_its_own_members(seeded_demo: str) -> None:
    borsetshire = Council.objects.get(slug="borsetshire")
    assert borsetshire.kind == Council.Kind.COUNTY
    assert Recommendation.objects.filter(engagement__council=borsetshire).count() >= 2
    assert Action.objects.filter(recommendation__engagement__council=borsetshire).exists()
    assert ProgressUpdate.objects.filter(action__recommendation__engagement__council=borsetshire).count() == 1
    members = set(borsetshire.memberships.values_list("user__email", flat=True))
    st_helens_members = set(Membership.objects.filter(council__slug="st-helens").values_list("user__email", flat=True))
    assert "lead@borsetshire.example" in members
    assert not members & st_helens_members


def test_running_twice_changes_nothing(seeded_demo: str, settings: Any) -> None:
    before = snapshot()

    out = seed(settings)

    assert snapshot() == before
    assert "already present" in out
    assert "officer@st-helens.example" in out  # the sign-in table is printed on every run


def test_position_on_the_panel_day_differs_from_today(seeded_demo: str) -> None:
    then = {r.reference: r for r in with_position(st_helens_recommendations(), as_at=PANEL_DAY)}
    now = {r.reference: r for r in with_position(st_helens_recommendations())}

    assert set(then) == set(now) == set(SUBJECTS)
    finished = (Status.COMPLETE, Status.CLOSED)
    done_since = [
        ref for ref in now if then[ref].position_status not in finished and now[ref].position_status in finished
    ]
    assert len(done_since) >= 4
    assert (then["R1"].position_status, then["R1"].position_rag) == (Status.IN_PROGRESS, Rag.AMBER)
    assert (now["R1"].position_status, now["R1"].position_rag) == (Status.COMPLETE, Rag.GREEN)
    assert then["R5"].position_rag == Rag.RED  # the lead's assurance RAG, where the owner said amber
    assert {r.position_rag for r in then.values()} != {r.position_rag for r in now.values()}


def test_nothing_exists_before_the_action_plan_was_published(seeded_demo: str) -> None:
    assert not with_position(st_helens_recommendations(), as_at=dt.date(2019, 7, 16)).exists()
    assert with_position(st_helens_recommendations(), as_at=dt.date(2019, 7, 17)).count() == 8


def test_every_demo_user_can_sign_in(seeded_demo: str, settings: Any) -> None:
    from django.test import Client

    from nonprod.demo import USERS

    settings.DEBUG = False
    for person in USERS:
        client = Client()
        response = client.post("/accounts/login/", {"username": person["email"], "password": DEMO_PASSWORD})
        assert response.status_code == 302, f"{person['email']} could not sign in"
        landing = client.get("/", follow=True)
        assert landing.status_code == 200, person["email"]


def words(html: object) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", str(html)).split())


def test_st_helens_action_6_1_is_50_percent_complete_as_at_the_panel_on_every_view(seeded_demo: str) -> None:
    """Its history says 50% from 23 September 2020 until 24 February 2021, when it reached 100%: on the day of
    the Recovery and Renewal Panel (28 September 2020) every view says 50%."""
    action = Action.objects.get(recommendation__engagement__council__slug="st-helens", reference="6.1")
    client = client_for(User.objects.get(email="leadership@st-helens.example"))
    panel = "2020-09-28"

    table = client.get("/councils/st-helens/actions/", {"as_at": panel})
    assert [row.get_cell("percent_complete") for row in table.context["table"].rows if row.record.pk == action.pk] == [
        "50%"
    ]
    page = client.get(f"/councils/st-helens/actions/{action.pk}/", {"as_at": panel})
    assert "As at 28 September 2020" in words(page.content.decode())
    assert "Complete 50%" in words(page.content.decode())
    # Its record, evidence and history stop at that day too: nothing from February 2021 shows.
    assert "Approved 23 September 2020" in words(page.content.decode())
    assert "Approved 24 February 2021" not in words(page.content.decode())
    assert "Borough Strategy (Cabinet, 24 February 2021)" not in page.content.decode()
    history_days = [
        dt.datetime.strptime(re.search(r"\d{1,2} [A-Z][a-z]+ \d{4}", entry.heading).group(0), "%d %B %Y").date()  # noqa: DTZ007 - a day
        for entry in page.context["history"]
    ]
    assert history_days and max(history_days) <= dt.date(2020, 9, 28)
    book = load_workbook(io.BytesIO(client.get("/councils/st-helens/export.xlsx", {"as_at": panel}).content))
    headers, *rows = list(book["Actions"].iter_rows(values_only=True))
    sheet = [dict(zip(headers, row, strict=True)) for row in rows]
    assert [row["% complete"] for row in sheet if row["Reference"] == "6.1"] == [50]
    text = client.get("/councils/st-helens/export.csv", {"as_at": panel}).content.decode("utf-8-sig")
    assert [row["% complete"] for row in csv.DictReader(io.StringIO(text)) if row["Reference"] == "6.1"] == ["50"]
    # Today it is complete.
    assert client.get(f"/councils/st-helens/actions/{action.pk}/").context["item"].position_percent_complete == 100


def test_the_dashboard_on_the_recovery_panel_day_differs_from_today(seeded_demo: str) -> None:
    client = client_for(User.objects.get(email="leadership@st-helens.example"))
    panel = board(client.get("/councils/st-helens/", {"as_at": "2020-09-28"}))
    today = board(client.get("/councils/st-helens/"))
    assert panel.recommendations.value == today.recommendations.value == 8
    assert [t.number.value for t in panel.recommendation_statuses] != [
        t.number.value for t in today.recommendation_statuses
    ]
    assert panel.last_engagement.title == "Recovery and Renewal Panel"
    assert panel.next_engagement.title == "Peer support session 2021"
    [timetable] = panel.timetables
    assert timetable.title == "Corporate Peer Challenge 2019"
    assert [(m.name, m.state) for m in timetable.milestones] == [
        ("Feedback report published", "Met late"),
        ("Action plan published", "Met late"),
        ("Progress review held", "Met late"),
        ("Progress review report published", "Missed"),  # the panel's report came on 2 December 2020
    ]
    for number in numbers(panel):  # every number on the panel's day agrees with its table
        assert rows_in_table(client, number.url) == number.value, number.url
    assert [(m.name, m.state) for m in today.timetables[0].milestones][-1] == (
        "Progress review report published",
        "Met late",
    )
