"""Panel sessions: every member reads them; leads add and edit them, with findings by theme and next steps.
GOV.UK error wording, nothing typed lost, other councils' objects out of reach."""

import datetime as dt
from collections.abc import Callable, Sequence

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recommendations.models import Council, Engagement, Peer, Recommendation, User
from recommendations.services.plan import StaleEdit
from reports.forms import MAX_ROWS
from reports.models import Finding, PanelSession, SummaryReport
from reports.presenters import findings_by_theme
from reports.services.sessions import FindingRow, session_create, session_update

from ..conftest import client_for
from ..factories import EngagementFactory, PanelSessionFactory, RecommendationFactory
from ..recommendations.plan_forms import date_parts

pytestmark = pytest.mark.django_db

COMMENDED, FOCUS = Finding.Kind.COMMENDED, Finding.Kind.FURTHER_FOCUS
PANEL_DAY = dt.date(2020, 9, 28)


@pytest.fixture
def engagement(council: Council) -> Engagement:
    challenge = EngagementFactory(council=council, title="Corporate Peer Challenge 2019")
    panel = EngagementFactory(
        council=council,
        title="Recovery and Renewal Panel",
        parent=challenge,
        mode=Engagement.Mode.REMOTE,
        first_onsite_day=PANEL_DAY,
        last_onsite_day=PANEL_DAY,
    )
    challenge.peers.create(name="Cllr Ann Example", role=Peer.Role.LEAD_PEER, organisation="Felpersham")
    panel.peers.create(name="Sam Manager", role=Peer.Role.CHALLENGE_MANAGER, organisation="LGA")
    RecommendationFactory(engagement=challenge, reference="R1", heading="Senior capacity", position=1)
    RecommendationFactory(engagement=challenge, reference="R2", heading="Financial strategy", position=2)
    return panel


def peer(name: str) -> Peer:
    return Peer.objects.get(name=name)


def recommendation(reference: str) -> Recommendation:
    return Recommendation.objects.get(reference=reference)


def session_data(
    engagement: Engagement,
    *,
    held_on: dt.date | None = PANEL_DAY,
    mode: str = "remote",
    peers: Sequence[Peer] = (),
    recommendations: Sequence[Recommendation] = (),
    findings: Sequence[tuple[str, str, str]] = (),
    next_steps: Sequence[str] = (),
    finding_rows: int = 3,
    step_rows: int = 3,
    initial_rows: tuple[int, int] = (0, 0),
    version: int | None = None,
) -> dict[str, object]:
    """What the form posts back: its fields (an edit's with the version it was opened at), then the rows
    (blank past those given)."""
    data: dict[str, object] = {
        **({"version": str(version)} if version is not None else {}),
        "engagement": str(engagement.pk),
        **date_parts("held_on", held_on),
        "mode": mode,
        "peers": [str(p.pk) for p in peers],
        "recommendations": [str(r.pk) for r in recommendations],
    }
    for prefix, rows, total, initial in (
        ("findings", list(findings), max(finding_rows, len(findings)), initial_rows[0]),
        ("next_steps", [(text,) for text in next_steps], max(step_rows, len(next_steps)), initial_rows[1]),
    ):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": str(total),
                f"{prefix}-INITIAL_FORMS": str(initial),
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "40",
            }
        )
        for index in range(total):
            row = rows[index] if index < len(rows) else None
            if prefix == "findings":
                theme, kind, text = row or ("", "", "")
                data.update({f"findings-{index}-theme": theme, f"findings-{index}-text": text})
                if kind:
                    data[f"findings-{index}-kind"] = kind
            else:
                data[f"next_steps-{index}-text"] = row[0] if row else ""
    return data


def errors_of(response: object) -> list[str]:
    """The messages of the page's error summary, in order."""
    return [message for _anchor, message in response.context["errors"]]


def url(council: Council, path: str = "") -> str:
    return f"/councils/{council.slug}/sessions/{path}"


def recorded(engagement: Engagement, lead: User) -> PanelSession:
    return session_create(
        council=engagement.council,
        by=lead,
        engagement=engagement,
        held_on=PANEL_DAY,
        mode=Engagement.Mode.REMOTE,
        peers=[peer("Sam Manager")],
        recommendations=[recommendation("R1")],
        findings=[
            FindingRow("The financial position", FOCUS, "Close the shortfall."),
            FindingRow("Localities", COMMENDED, "A compelling vision for localities."),
            FindingRow("The financial position", COMMENDED, "An agreed budget."),
        ],
        next_steps=["Write the localities action plan.", "Revisit the investment plan."],
    )


# --- reading ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["officer", "lead", "leadership", "adviser"])
def test_every_member_reads_the_sessions(persona: str, personas: object, engagement: Engagement, lead: User) -> None:
    session = recorded(engagement, lead)
    client = client_for(personas.get(persona))

    listing = client.get(url(engagement.council))
    assert listing.status_code == 200
    page = listing.content.decode()
    assert "28 September 2020" in page and "Recovery and Renewal Panel" in page and "Remote" in page
    assert f"/councils/borsetshire/sessions/{session.pk}/" in page
    assert ("Add a session" in page) is (persona == "lead")

    detail = client.get(url(engagement.council, f"{session.pk}/"))
    assert detail.status_code == 200
    page = detail.content.decode()
    assert "Sam Manager (peer challenge manager)" in page
    assert f'href="/councils/borsetshire/recommendations/{recommendation("R1").pk}/">R1 Senior capacity</a>' in page
    assert "R2 Financial strategy" not in page  # not discussed
    assert "Write the localities action plan." in page and "Revisit the investment plan." in page
    themes = detail.context["themes"]
    assert [(group.theme, group.commended, group.further_focus) for group in themes] == [
        ("The financial position", ["An agreed budget."], ["Close the shortfall."]),
        ("Localities", ["A compelling vision for localities."], []),
    ]
    assert ("Edit the session" in page) is (persona == "lead")
    assert ("Create the summary report" in page) is (persona == "lead")


def test_the_navigation_offers_sessions_after_engagements(council: Council, officer: User) -> None:
    response = client_for(officer).get(url(council))
    labels = [item["label"] for item in response.context["navigation"]]
    assert labels[labels.index("Engagements") + 1] == "Sessions"
    assert next(item for item in response.context["navigation"] if item["label"] == "Sessions")["current"]


def test_sessions_are_listed_earliest_first(engagement: Engagement, lead: User) -> None:
    later = PanelSessionFactory(engagement=engagement, held_on=dt.date(2021, 3, 9))
    earlier = PanelSessionFactory(engagement=engagement, held_on=dt.date(2020, 9, 28))
    response = client_for(lead).get(url(engagement.council))
    assert list(response.context["sessions"]) == [earlier, later]


def test_a_session_lists_its_reports_in_place_of_the_button(engagement: Engagement, lead: User, officer: User) -> None:
    session = PanelSessionFactory(engagement=engagement)
    report = SummaryReport.objects.create(council=engagement.council, session=session)

    page = client_for(lead).get(url(engagement.council, f"{session.pk}/")).content.decode()
    assert f'href="/councils/borsetshire/reports/{report.pk}/"' in page
    assert "Draft" in page
    assert "Create the summary report" not in page

    page = client_for(officer).get(url(engagement.council, f"{session.pk}/")).content.decode()
    assert f"/reports/{report.pk}/" not in page  # not published: only leads see a draft


def test_the_create_report_button_posts_to_the_sessions_report(engagement: Engagement, lead: User) -> None:
    session = PanelSessionFactory(engagement=engagement)
    page = client_for(lead).get(url(engagement.council, f"{session.pk}/")).content.decode()
    assert f'action="/councils/borsetshire/sessions/{session.pk}/report/"' in page
    assert 'name="csrfmiddlewaretoken"' in page


def test_findings_are_grouped_by_theme_in_order_of_first_appearance() -> None:
    findings = [
        Finding(theme="One Council", kind=COMMENDED, text="a"),
        Finding(theme="Town Deal", kind=FOCUS, text="b"),
        Finding(theme="one  council", kind=FOCUS, text="c"),
        Finding(theme="One Council", kind=COMMENDED, text="d"),
    ]
    groups = findings_by_theme(findings)
    assert [(g.theme, g.commended, g.further_focus) for g in groups] == [
        ("One Council", ["a", "d"], ["c"]),
        ("Town Deal", [], ["b"]),
    ]


def _build(engagement: Engagement, lead: User, scale: int) -> PanelSession:
    """A session with `scale` peers, recommendations discussed, findings (in `scale` themes) and next steps."""
    peers, recommendations = [], []
    for n in range(scale):
        peers.append(engagement.peers.create(name=f"Peer {engagement.pk}-{n}", role=Peer.Role.MEMBER_PEER))
        recommendations.append(RecommendationFactory(engagement=engagement, reference=f"S{n}"))
    return session_create(
        council=engagement.council,
        by=lead,
        engagement=engagement,
        held_on=PANEL_DAY,
        mode="remote",
        peers=peers,
        recommendations=recommendations,
        findings=[FindingRow(f"Theme {n % max(scale // 2, 1)}", COMMENDED, f"Said {n}") for n in range(scale)],
        next_steps=[f"Step {n}" for n in range(scale)],
    )


def _queries(get: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as context:
        response = get()
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("page", ["list", "detail", "edit"])
def test_session_pages_run_the_same_queries_at_1x_and_4x(
    page: str, engagement: Engagement, council: Council, lead: User
) -> None:
    client = client_for(lead)
    paths = {"list": "", "detail": "{pk}/", "edit": "{pk}/edit/"}

    small = _build(engagement, lead, scale=1)
    small_count = _queries(lambda: client.get(url(council, paths[page].format(pk=small.pk))))
    other = EngagementFactory(council=council, title="Another panel")
    large = _build(other, lead, scale=4)
    large_count = _queries(lambda: client.get(url(council, paths[page].format(pk=large.pk))))
    assert large_count == small_count


# --- adding a session --------------------------------------------------------------------------------


def test_a_new_session_offers_three_rows_of_each(council: Council, lead: User) -> None:
    response = client_for(lead).get(url(council, "new/"))
    assert response.status_code == 200
    assert len(response.context["findings"].forms) == 3
    assert len(response.context["next_steps"].forms) == 3
    page = response.content.decode()
    assert "<title>Add a panel session" in page
    assert 'name="held_on_day"' in page and 'name="findings-2-theme"' in page and 'name="next_steps-2-text"' in page


def test_a_lead_adds_a_session_with_findings_and_next_steps(engagement: Engagement, lead: User) -> None:
    council = engagement.council
    version = council.data_version
    data = session_data(
        engagement,
        peers=[peer("Sam Manager"), peer("Cllr Ann Example")],
        recommendations=[recommendation("R2")],
        findings=[
            ("The financial position", FOCUS, "  Close the £17.12m shortfall.  "),
            ("", "", ""),  # blank: ignored
            ("One Council", COMMENDED, "A collective team spirit."),
        ],
        next_steps=["", "Revisit the Town Deal investment plan.", "Build on the Combined Authority relationship."],
    )
    client = client_for(lead)
    response = client.post(url(council, "new/"), data)

    session = PanelSession.objects.get()
    assert response.status_code == 302
    assert response.headers["Location"] == f"/councils/borsetshire/sessions/{session.pk}/"
    assert (session.engagement, session.held_on, session.mode) == (engagement, PANEL_DAY, "remote")
    assert set(session.peers.all()) == {peer("Sam Manager"), peer("Cllr Ann Example")}
    assert list(session.recommendations.all()) == [recommendation("R2")]
    assert list(session.findings.values_list("theme", "kind", "text", "position")) == [
        ("The financial position", FOCUS, "Close the £17.12m shortfall.", 0),
        ("One Council", COMMENDED, "A collective team spirit.", 1),
    ]
    assert list(session.next_steps.values_list("text", "position")) == [
        ("Revisit the Town Deal investment plan.", 0),
        ("Build on the Combined Authority relationship.", 1),
    ]
    assert session.history.get().history_user == lead
    assert {row.history_user for row in Finding.history.all()} == {lead}
    council.refresh_from_db()
    assert council.data_version > version  # the dashboard's cache knows
    page = client.get(response.headers["Location"]).content.decode()
    assert "The session on 28 September 2020 has been added" in page


def test_add_another_finding_shows_one_more_row_keeps_what_was_typed_and_saves_nothing(
    engagement: Engagement, lead: User
) -> None:
    data = session_data(
        engagement,
        held_on=None,  # not given yet: no error until the lead saves
        findings=[("Localities", "", "Half typed.")],
        next_steps=["A step."],
    )
    response = client_for(lead).post(url(engagement.council, "new/"), {**data, "add": "findings"})
    page = response.content.decode()
    assert response.status_code == 200
    assert len(response.context["findings"].forms) == 4 and len(response.context["next_steps"].forms) == 3
    assert response.context["errors"] == [] and "govuk-error" not in page and "<title>Error" not in page
    assert 'value="Localities"' in page and "Half typed." in page and "A step." in page
    assert 'id="finding-4"' in page and 'formaction="#finding-5"' in page
    assert not PanelSession.objects.exists()


def test_add_another_next_step_on_an_edit_then_save_keeps_them_all(engagement: Engagement, lead: User) -> None:
    session = recorded(engagement, lead)
    steps = ["One.", "Two.", "Three.", "Four."]
    data = session_data(engagement, next_steps=steps, step_rows=4, initial_rows=(0, 2), version=session.version)
    client = client_for(lead)
    response = client.post(url(engagement.council, f"{session.pk}/edit/"), {**data, "add": "next_steps"})
    assert len(response.context["next_steps"].forms) == 5
    assert 'formaction="#next-step-6"' in response.content.decode()
    session.refresh_from_db()
    assert session.next_steps.count() == 2  # nothing saved yet
    saved = client.post(url(engagement.council, f"{session.pk}/edit/"), {**data, "next_steps-TOTAL_FORMS": "5"})
    assert saved.status_code == 302
    assert list(session.next_steps.values_list("text", flat=True)) == steps


@pytest.mark.parametrize("count", ["²", "9" * 5000, "-1", ""])
def test_add_another_with_a_crafted_row_count_answers_with_the_page(
    engagement: Engagement, lead: User, count: str
) -> None:
    data = {**session_data(engagement), "findings-TOTAL_FORMS": count, "add": "findings"}
    assert client_for(lead).post(url(engagement.council, "new/"), data).status_code == 200


def test_the_form_posts_to_its_own_page_without_a_fragment_so_errors_are_in_view(council: Council, lead: User) -> None:
    page = client_for(lead).get(url(council, "new/")).content.decode()
    assert f'<form method="post" action="/councils/{council.slug}/sessions/new/" novalidate>' in page


def test_add_another_after_a_refusal_keeps_the_link_to_the_session_as_it_is_now(
    engagement: Engagement, lead: User
) -> None:
    session = recorded(engagement, lead)
    edit = url(engagement.council, f"{session.pk}/edit/")
    data = session_data(engagement, next_steps=["Mine."], version=session.version)
    session_update(
        session=session,
        by=lead,
        engagement=engagement,
        held_on=PANEL_DAY,
        mode=Engagement.Mode.REMOTE,
        expected_version=session.version,
    )
    client = client_for(lead)
    refused = client.post(edit, data)
    assert 'name="stale" value="yes"' in refused.content.decode()
    again = client.post(edit, {**data, "version": str(session.version + 1), "stale": "yes", "add": "next_steps"})
    assert "Read the session as it is now" in again.content.decode()


def test_no_row_is_added_past_the_limit(engagement: Engagement, lead: User) -> None:
    data = session_data(engagement, finding_rows=MAX_ROWS)
    response = client_for(lead).post(url(engagement.council, "new/"), {**data, "add": "findings"})
    assert len(response.context["findings"].forms) == MAX_ROWS
    assert "Add another finding" not in response.content.decode()
    assert "Add another next step" in response.content.decode()


def test_a_session_needs_a_date_and_nothing_typed_is_lost(engagement: Engagement, lead: User) -> None:
    data = session_data(
        engagement,
        held_on=None,
        findings=[("The financial position", FOCUS, "Typed finding")],
        next_steps=["Typed next step"],
    )
    response = client_for(lead).post(url(engagement.council, "new/"), data)

    assert response.status_code == 200
    assert errors_of(response) == ["Enter the date of the session"]
    page = response.content.decode()
    assert "<title>Error: " in page
    assert "govuk-error-summary" in page and 'href="#id_held_on_0"' in page
    assert 'value="The financial position"' in page and "Typed finding</textarea>" in page
    assert "Typed next step</textarea>" in page
    assert f'<option value="{engagement.pk}" selected>' in page
    assert not PanelSession.objects.exists()


def test_a_date_must_be_real(engagement: Engagement, lead: User) -> None:
    data = {**session_data(engagement), "held_on_day": "31", "held_on_month": "2"}
    response = client_for(lead).post(url(engagement.council, "new/"), data)
    assert errors_of(response) == ["Date of the session must be a real date"]


def test_a_date_far_in_the_future_is_refused_with_a_message(engagement: Engagement, lead: User) -> None:
    data = {**session_data(engagement), "held_on_day": "31", "held_on_month": "12", "held_on_year": "9999"}
    response = client_for(lead).post(url(engagement.council, "new/"), data)
    assert response.status_code == 200
    assert errors_of(response) == ["The date of the session must be between 1 January 2000 and 2 years from today"]
    assert not PanelSession.objects.exists()


def test_a_session_needs_an_engagement_and_a_mode(engagement: Engagement, lead: User) -> None:
    data = {**session_data(engagement), "engagement": "", "mode": ""}
    response = client_for(lead).post(url(engagement.council, "new/"), data)
    assert errors_of(response) == ["Choose the engagement", "Choose whether the session was remote or on site"]


def test_a_finding_needs_its_theme_its_kind_and_its_text(engagement: Engagement, lead: User) -> None:
    data = session_data(
        engagement,
        findings=[
            ("One Council", COMMENDED, "Fine"),
            ("", "", "Peers said this, under no theme"),
            ("Localities", FOCUS, ""),
        ],
    )
    response = client_for(lead).post(url(engagement.council, "new/"), data)

    assert response.status_code == 200
    assert errors_of(response) == [
        "Enter the theme of finding 2",
        "Choose whether peers commended finding 2 or urged further focus",
        "Enter what the peers said in finding 3",
    ]
    anchors = [anchor for anchor, _message in response.context["errors"]]
    assert anchors == ["id_findings-1-theme", "id_findings-1-kind_0", "id_findings-2-text"]
    page = response.content.decode()
    assert "<title>Error: " in page
    assert "Peers said this, under no theme</textarea>" in page
    assert "govuk-input--error" in page and "govuk-textarea--error" in page
    assert not PanelSession.objects.exists()


def test_another_councils_engagement_recommendation_or_peer_is_refused(
    engagement: Engagement, other_council: Council, lead: User
) -> None:
    theirs = EngagementFactory(council=other_council)
    their_recommendation = RecommendationFactory(engagement=theirs, reference="R9")
    their_peer = theirs.peers.create(name="Their peer", role=Peer.Role.MEMBER_PEER)
    client = client_for(lead)

    response = client.post(url(engagement.council, "new/"), session_data(theirs))
    assert errors_of(response) == ["Choose an engagement of this council"]
    response = client.post(
        url(engagement.council, "new/"),
        session_data(engagement, recommendations=[their_recommendation], peers=[their_peer]),
    )
    assert errors_of(response) == [
        "Choose peers from this council's peer teams",
        "Choose recommendations of this council",
    ]
    assert not PanelSession.objects.exists()


def test_the_services_refuse_another_councils_objects_and_a_non_lead(
    engagement: Engagement, other_council: Council, lead: User, officer: User, outsider: User
) -> None:
    theirs = EngagementFactory(council=other_council)
    their_recommendation = RecommendationFactory(engagement=theirs)
    their_peer = theirs.peers.create(name="Their peer", role=Peer.Role.MEMBER_PEER)
    council = engagement.council
    common = {"held_on": PANEL_DAY, "mode": "remote"}

    with pytest.raises(ValidationError) as error:
        session_create(council=council, by=lead, engagement=theirs, **common)
    assert error.value.message_dict == {"engagement": ["Choose an engagement of this council"]}
    with pytest.raises(ValidationError) as error:
        session_create(
            council=council,
            by=lead,
            engagement=engagement,
            recommendations=[their_recommendation],
            peers=[their_peer],
            findings=[FindingRow("Theme", "neither", "Text")],
            **common,
        )
    assert set(error.value.message_dict) == {"recommendations", "peers", "findings"}
    with pytest.raises(PermissionDenied):
        session_create(council=council, by=officer, engagement=engagement, **common)
    with pytest.raises(PermissionDenied):
        session_create(council=council, by=outsider, engagement=engagement, **common)
    assert not PanelSession.objects.exists()

    session = PanelSessionFactory(engagement=engagement)
    with pytest.raises(ValidationError):
        session_update(session=session, by=lead, engagement=theirs, **common)
    with pytest.raises(PermissionDenied):
        session_update(session=session, by=officer, engagement=engagement, **common)
    session.refresh_from_db()
    assert session.engagement == engagement


# --- editing a session -------------------------------------------------------------------------------


def test_the_edit_form_shows_the_session_with_two_more_rows(engagement: Engagement, lead: User) -> None:
    session = recorded(engagement, lead)
    response = client_for(lead).get(url(engagement.council, f"{session.pk}/edit/"))

    assert response.status_code == 200
    findings, next_steps = response.context["findings"], response.context["next_steps"]
    assert len(findings.forms) == 5 and len(next_steps.forms) == 4
    assert findings.forms[0]["theme"].value() == "The financial position"
    assert findings.forms[0]["kind"].value() == FOCUS
    assert next_steps.forms[1]["text"].value() == "Revisit the investment plan."
    form = response.context["form"]
    assert form["engagement"].value() == engagement.pk
    assert form["peers"].value() == [peer("Sam Manager").pk]
    assert form["recommendations"].value() == [recommendation("R1").pk]
    assert "<title>Edit the session of 28 September 2020" in response.content.decode()


def test_an_edit_replaces_findings_and_next_steps_in_order(engagement: Engagement, lead: User) -> None:
    session = recorded(engagement, lead)
    first_finding = session.findings.get(position=0)
    data = session_data(
        engagement,
        held_on=dt.date(2020, 9, 29),
        mode="onsite",
        peers=[],
        recommendations=[recommendation("R1"), recommendation("R2")],
        findings=[
            ("The financial position", FOCUS, "Close the shortfall."),  # unchanged
            ("", "", ""),  # cleared: the rows below move up
            ("The Town Deal", FOCUS, "Revisit the plan."),
        ],
        next_steps=["Build the Combined Authority relationship.", "", "Revisit the investment plan.", "A third step."],
        finding_rows=5,
        step_rows=4,
        initial_rows=(3, 2),
        version=session.version,
    )
    response = client_for(lead).post(url(engagement.council, f"{session.pk}/edit/"), data)

    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.held_on, session.mode) == (dt.date(2020, 9, 29), "onsite")
    assert not session.peers.exists()
    assert set(session.recommendations.all()) == {recommendation("R1"), recommendation("R2")}
    assert list(session.findings.values_list("theme", "kind", "text", "position")) == [
        ("The financial position", FOCUS, "Close the shortfall.", 0),
        ("The Town Deal", FOCUS, "Revisit the plan.", 1),
    ]
    assert session.findings.get(position=0).pk == first_finding.pk
    assert first_finding.history.count() == 1  # unchanged: no new history row
    assert Finding.history.filter(history_type="~").count() == 1
    assert Finding.history.filter(history_type="-").get().history_user == lead
    assert list(session.next_steps.values_list("text", "position")) == [
        ("Build the Combined Authority relationship.", 0),
        ("Revisit the investment plan.", 1),
        ("A third step.", 2),
    ]
    assert session.history.count() == 2
    assert session.history.first().history_user == lead


def test_an_edit_with_an_error_keeps_the_session_as_it_was(engagement: Engagement, lead: User) -> None:
    session = recorded(engagement, lead)
    data = session_data(
        engagement,
        held_on=dt.date(2020, 9, 29),
        findings=[("", FOCUS, "No theme")],
        finding_rows=5,
        step_rows=4,
        initial_rows=(3, 2),
        version=session.version,
    )
    response = client_for(lead).post(url(engagement.council, f"{session.pk}/edit/"), data)
    assert errors_of(response) == ["Enter the theme of finding 1"]
    assert "<title>Error: " in response.content.decode()
    session.refresh_from_db()
    assert session.held_on == PANEL_DAY
    assert session.findings.count() == 3


def test_an_edit_made_from_an_older_copy_is_refused_and_keeps_what_was_typed(
    engagement: Engagement, lead: User, second_lead: User, council: Council
) -> None:
    session = recorded(engagement, lead)
    second = second_lead
    opened = session.version
    edit = url(engagement.council, f"{session.pk}/edit/")
    assert f'name="version" value="{opened}"' in client_for(second).get(edit).content.decode()
    first_save = session_data(
        engagement, findings=[("Localities", COMMENDED, "The first lead's finding.")], version=opened
    )
    assert client_for(lead).post(edit, first_save).status_code == 302

    mine = session_data(engagement, findings=[("Localities", FOCUS, "The second lead's finding.")], version=opened)
    client = client_for(second)
    response = client.post(edit, mine)
    content = response.content.decode()
    assert response.status_code == 200
    assert errors_of(response) == [
        "Someone else changed this session while you were editing it. Your changes have not been saved. "
        "Read the session as it is now before you save yours again"
    ]
    assert "<title>Error: " in content
    assert f'href="/councils/{council.slug}/sessions/{session.pk}/"' in content and "opens in a new tab" in content
    assert "The second lead&#x27;s finding." in content  # nothing typed is lost
    assert list(session.findings.values_list("text", flat=True)) == ["The first lead's finding."]
    session.refresh_from_db()
    assert f'name="version" value="{session.version}"' in content  # saving again is a choice made knowingly
    assert client.post(edit, {**mine, "version": str(session.version)}).status_code == 302
    assert list(session.findings.values_list("text", flat=True)) == ["The second lead's finding."]


def test_an_edit_without_the_version_it_was_opened_at_is_refused(engagement: Engagement, lead: User) -> None:
    session = recorded(engagement, lead)
    data = session_data(engagement, findings=[("Localities", FOCUS, "Crafted.")])
    response = client_for(lead).post(url(engagement.council, f"{session.pk}/edit/"), data)
    assert response.status_code == 200
    assert errors_of(response)[0].startswith("Someone else changed this session while you were editing it")
    assert not session.findings.filter(text="Crafted.").exists()


def test_the_service_refuses_a_stale_version(engagement: Engagement, lead: User) -> None:
    session = recorded(engagement, lead)
    common = {"by": lead, "engagement": engagement, "held_on": PANEL_DAY, "mode": Engagement.Mode.REMOTE}
    session_update(session=session, expected_version=session.version, next_steps=["Saved first."], **common)
    with pytest.raises(StaleEdit) as caught:
        session_update(session=session, expected_version=session.version, next_steps=["Lost?"], **common)
    assert caught.value.current.version == session.version + 1
    assert list(session.next_steps.values_list("text", flat=True)) == ["Saved first."]


# --- who may do what ---------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["officer", "leadership", "adviser"])
def test_members_who_are_not_leads_get_403_on_create_and_edit(
    persona: str, personas: object, engagement: Engagement
) -> None:
    session = PanelSessionFactory(engagement=engagement)
    client = client_for(personas.get(persona))
    for path in ("new/", f"{session.pk}/edit/"):
        assert client.get(url(engagement.council, path)).status_code == 403
        assert client.post(url(engagement.council, path), session_data(engagement)).status_code == 403
    assert PanelSession.objects.count() == 1
    session.refresh_from_db()
    assert session.findings.count() == 0


def test_the_outsider_gets_404_for_every_session_page(engagement: Engagement, outsider: User) -> None:
    session = PanelSessionFactory(engagement=engagement)
    client = client_for(outsider)
    for path in ("", "new/", f"{session.pk}/", f"{session.pk}/edit/"):
        assert client.get(url(engagement.council, path)).status_code == 404, path
    assert client.post(url(engagement.council, "new/"), session_data(engagement)).status_code == 404
    # nor through their own council's address
    assert client.get(f"/councils/felpersham/sessions/{session.pk}/").status_code == 404
    assert client.get(f"/councils/felpersham/sessions/{session.pk}/edit/").status_code == 404


def test_a_session_of_another_council_is_404_for_a_lead(
    engagement: Engagement, other_council: Council, lead: User
) -> None:
    theirs = PanelSessionFactory(engagement=EngagementFactory(council=other_council))
    client = client_for(lead)
    assert client.get(url(engagement.council, f"{theirs.pk}/")).status_code == 404
    assert client.get(url(engagement.council, f"{theirs.pk}/edit/")).status_code == 404


def test_the_pages_answer_only_their_methods(engagement: Engagement, lead: User) -> None:
    session = PanelSessionFactory(engagement=engagement)
    client = client_for(lead)
    assert client.post(url(engagement.council)).status_code == 405
    assert client.post(url(engagement.council, f"{session.pk}/")).status_code == 405
    assert client.put(url(engagement.council, "new/")).status_code == 405
    assert client.delete(url(engagement.council, f"{session.pk}/edit/")).status_code == 405


def test_anonymous_users_are_asked_to_sign_in(engagement: Engagement) -> None:
    response = client_for(None).get(url(engagement.council))
    assert response.status_code == 302 and response.headers["Location"].startswith("/accounts/login/")


# --- the summary of the approach and the next steps' details -----------------------------------------------


def test_a_lead_records_the_approach_support_offer_adviser_and_next_check_in(
    engagement: Engagement, lead: User
) -> None:
    session = recorded(engagement, lead)
    data = {
        **session_data(engagement, version=session.version, initial_rows=(3, 2)),
        "scope": "  Progress since the challenge.  ",
        "met": "The Leader and the senior team.",
        "support_offer": "A progress review in six months.",
        "principal_adviser": "Ann Adviser",
        "principal_adviser_email": "ann.adviser@example.org",
        **date_parts("next_check_in", dt.date(2021, 3, 16)),
    }
    client = client_for(lead)
    assert client.post(url(engagement.council, f"{session.pk}/edit/"), data).status_code == 302

    session.refresh_from_db()
    assert (session.scope, session.met, session.support_offer) == (
        "Progress since the challenge.",
        "The Leader and the senior team.",
        "A progress review in six months.",
    )
    assert (session.principal_adviser, session.principal_adviser_email) == ("Ann Adviser", "ann.adviser@example.org")
    assert session.next_check_in == dt.date(2021, 3, 16)
    page = client.get(url(engagement.council, f"{session.pk}/edit/")).content.decode()
    assert "Progress since the challenge." in page and 'value="ann.adviser@example.org"' in page


def test_the_next_check_in_comes_after_the_session(engagement: Engagement, lead: User) -> None:
    data = {**session_data(engagement), **date_parts("next_check_in", PANEL_DAY)}
    response = client_for(lead).post(url(engagement.council, "new/"), data)
    assert response.status_code == 200
    assert "The next check-in must be after the date of the session" in errors_of(response)
    assert not PanelSession.objects.exists()
