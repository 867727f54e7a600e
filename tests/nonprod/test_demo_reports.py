"""The report side of `seed_demo`: St Helens' two panel sessions with their findings and next steps, the
awards, the key figures exactly as published, the Leader's comments; and a second run adds nothing."""

import datetime as dt
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from recommendations.models import Council, Engagement
from reports.models import Achievement, Finding, KeyFigure, NextStep, PanelSession, Quote

from .test_seed_demo import snapshot

pytestmark = pytest.mark.django_db

PANEL_DAY = dt.date(2020, 9, 28)
RRP_THEMES = [
    "The new relationship with communities",
    "The financial position",
    "One Council",
    "Integrated health and social care",
    "The Town Deal",
    "The Combined Authority",
    "Localities",
]


@pytest.fixture
def seeded(seeded_demo: str, settings: Any) -> Council:
    """St Helens in the demo seeded once for the module (conftest.py); DEBUG on, for seed_demo again."""
    settings.DEBUG = True
    return Council.objects.get(slug="st-helens")


def session_of(council: Council, kind: str) -> PanelSession:
    return PanelSession.objects.get(engagement__council=council, engagement__kind__slug=kind)


def test_the_recovery_and_renewal_panel_session(seeded: Council) -> None:
    session = session_of(seeded, "recovery-and-renewal-panel")

    assert (session.held_on, session.mode) == (PANEL_DAY, Engagement.Mode.REMOTE)
    assert set(session.peers.all()) == set(session.engagement.peers.all())
    assert session.peers.exists()
    assert sorted(session.recommendations.values_list("reference", flat=True)) == [f"R{n}" for n in range(1, 9)]
    assert {r.engagement.kind.slug for r in session.recommendations.all()} == {"corporate-peer-challenge"}
    findings = list(session.findings.order_by("position"))
    assert list(dict.fromkeys(finding.theme for finding in findings)) == RRP_THEMES
    assert {finding.kind for finding in findings} == {Finding.Kind.COMMENDED, Finding.Kind.FURTHER_FOCUS}
    text = " ".join(finding.text for finding in findings)
    for fact in ("St Helens Together", "crowd fund", "one-year review settlement", "single care record", "partner"):
        assert fact in text
    for reported_later in ("£85,000", "£17.12m", "£20.4m", "£30.35m", "£13.2m"):  # reported on 2 December 2020
        assert reported_later not in text
    steps = " ".join(session.next_steps.values_list("text", flat=True))
    for subject in ("action plan for localities", "Combined Authority", "St Helens Together", "Town Deal"):
        assert subject in steps
    assert session.history.get().history_date.date() == PANEL_DAY  # recorded on the day, by the lead
    assert session.history.get().history_user.email == "lead@st-helens.example"


def test_the_2021_peer_support_session(seeded: Council) -> None:
    session = session_of(seeded, "peer-support-session")

    assert session.held_on == session.engagement.first_onsite_day
    assert (session.held_on.year, session.held_on.month) == (2021, 3)
    assert session.mode == Engagement.Mode.REMOTE
    text = " ".join(session.findings.values_list("text", flat=True))
    for fact in (
        "restructure",
        "Children's Services",
        "Medium-Term Financial Strategy",
        "corporately owned priorities",
        "external communications",
        "five of the six senior officers",
    ):
        assert fact in text
    assert set(session.findings.values_list("kind", flat=True)) == {Finding.Kind.COMMENDED}


def test_the_awards_the_lga_named(seeded: Council) -> None:
    awards = Achievement.objects.filter(council=seeded)
    assert {(a.awarded_by, a.awarded_on) for a in awards} == {("iNetwork Awards", dt.date(2021, 3, 11))}
    assert session_of(seeded, "peer-support-session").held_on > dt.date(2021, 3, 11)  # its report names them
    achievements = {a.title: a.description for a in awards}
    assert achievements == {
        "Transforming and Innovating Public Services Award": "For the Ways of Working programme.",
        "Covid-19 Response Award": "For the St Helens Together campaign.",
        "Partner Excellence Award": "For the St Helens Together campaign.",
    }


def test_the_key_figures_are_as_published(seeded: Council) -> None:
    figures = {f.key: f for f in KeyFigure.objects.filter(council=seeded)}
    assert {key: (f.value, f.period, f.unit) for key, f in figures.items()} == {
        "budget_requirement": (Decimal("20400000"), "2021/22", "gbp"),
        "covid_pressure": (Decimal("30350000"), "2020/21", "gbp"),
        "covid_funding": (Decimal("13200000"), "2020/21", "gbp"),
        "covid_shortfall": (Decimal("17120000"), "2020/21", "gbp"),  # not the £17.15m the formula gives
        "crowd_fund": (Decimal("85000"), "", "gbp"),
    }
    assert {f.reported_on for f in figures.values()} == {dt.date(2020, 12, 2)}  # at Cabinet, after the panel
    assert figures["covid_shortfall"].formula == "covid_pressure - covid_funding"
    assert figures["covid_pressure"].value - figures["covid_funding"].value == Decimal("17150000")
    assert "projected budget gap" in figures["budget_requirement"].note
    assert "More than" in figures["crowd_fund"].note
    assert [f.key for f in KeyFigure.objects.filter(council=seeded).order_by("position")][0] == "budget_requirement"


def test_the_leaders_comments(seeded: Council) -> None:
    quotes = list(Quote.objects.filter(council=seeded).order_by("said_on"))
    assert [(q.who, q.role) for q in quotes] == [("Cllr David Baines", "Leader of St Helens Borough Council")] * 2
    september, march = quotes
    assert (september.said_on, september.occasion) == (dt.date(2020, 12, 2), "at Cabinet")
    assert september.text.startswith("The LGA understands the challenges that councils face")
    assert september.text.endswith("clear actions to realise our goals.")
    assert march.said_on == session_of(seeded, "peer-support-session").engagement.report_published
    assert (march.said_on.year, march.said_on.month) == (2021, 3)
    paragraphs = march.text.split("\n\n")
    assert len(paragraphs) == 3
    assert paragraphs[0].startswith("The LGA have been clear")
    assert paragraphs[2].endswith("go from strength to strength.")
    assert "“" not in march.text and "”" not in march.text


def test_a_second_run_adds_nothing(seeded: Council, settings: Any) -> None:
    before = snapshot()
    counts = [model.objects.count() for model in (PanelSession, Finding, NextStep, Achievement, KeyFigure, Quote)]

    out = StringIO()
    call_command("seed_demo", stdout=out)

    assert snapshot() == before
    assert [model.objects.count() for model in (PanelSession, Finding, NextStep, Achievement, KeyFigure, Quote)] == (
        counts
    )
    assert "St Helens Borough Council reports: already present" in out.getvalue()


def test_what_is_missing_is_added_on_a_later_run(seeded: Council, settings: Any) -> None:
    Quote.objects.filter(council=seeded).delete()
    KeyFigure.objects.filter(council=seeded, key="crowd_fund").delete()
    sessions = PanelSession.objects.count()

    out = StringIO()
    call_command("seed_demo", stdout=out)

    assert Quote.objects.filter(council=seeded).count() == 2
    assert KeyFigure.objects.filter(council=seeded, key="crowd_fund").exists()
    assert PanelSession.objects.count() == sessions
    assert "added 0 panel sessions, 0 achievements, 1 key figure, 2 quotes" in out.getvalue()


def test_borsetshire_gets_no_report_data(seeded: Council) -> None:
    borsetshire = Council.objects.get(slug="borsetshire")
    assert not PanelSession.objects.filter(engagement__council=borsetshire).exists()
    assert not KeyFigure.objects.filter(council=borsetshire).exists()
