"""Given a lead of Borsetshire, when they record a panel session in the browser with a finding and a next
step, add a fourth finding's row, forget the date and correct it, then they read the session's page; and
an adviser reads the St Helens panel session of the demo. Every page they see, the error state included,
passes axe."""

import datetime as dt

import pytest

from recommendations.models import Council, Engagement, EngagementKind, Peer, User
from reports.models import PanelSession
from reports.services.sessions import FindingRow, session_create, session_update

from ..factories import EngagementFactory, RecommendationFactory
from .conftest import assert_accessible
from .test_setup import fill_date, follow, submit

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def panel(council: Council) -> Engagement:
    """A challenge with a recommendation, and its Recovery and Renewal Panel with a peer team."""
    cpc, _ = EngagementKind.objects.get_or_create(
        slug="corporate-peer-challenge", defaults={"name": "Corporate peer challenge"}
    )
    challenge = EngagementFactory(council=council, kind=cpc, title="Corporate Peer Challenge 2019")
    RecommendationFactory(engagement=challenge, reference="R1", heading="Senior capacity")
    engagement = EngagementFactory(
        council=council,
        kind=cpc,
        title="Recovery and Renewal Panel",
        parent=challenge,
        mode=Engagement.Mode.REMOTE,
        first_onsite_day=dt.date(2020, 9, 28),
        last_onsite_day=dt.date(2020, 9, 28),
    )
    engagement.peers.create(name="Cllr Ann Example", role=Peer.Role.LEAD_PEER, organisation="Felpersham")
    return engagement


def test_a_lead_records_a_session_and_reads_it(new_page: object, panel: Engagement, lead: User) -> None:
    page = new_page(lead)

    # Given the sessions page, reached from the council's navigation
    page.goto("/councils/borsetshire/engagements/")
    follow(page, "link", "Sessions")
    assert page.get_by_role("heading", level=1).inner_text() == "Panel sessions"
    assert "No panel sessions have been recorded yet" in page.content()
    assert_accessible(page)

    # When the lead adds a session with a finding and a next step, but no date
    follow(page, "button", "Add a session")
    assert_accessible(page)
    page.get_by_label("Engagement").select_option(label="Recovery and Renewal Panel")
    page.get_by_label("Remote", exact=True).check()
    page.get_by_label("Cllr Ann Example (lead peer, Felpersham)").check()
    page.get_by_label("R1 Senior capacity").check()
    first = page.get_by_role("group", name="Finding 1")
    first.get_by_label("Theme").fill("The financial position")
    first.get_by_label("Commended", exact=True).check()
    first.get_by_label("What the peers said").fill("An agreed budget and a Medium-Term Financial Strategy.")
    page.get_by_label("Next step 1").fill("Revisit the Town Deal investment plan.")

    # And asks for a fourth finding: the page comes back with it, at it, everything typed kept and no error
    submit(page, "Add another finding")
    assert page.url.endswith("#finding-4")
    fourth = page.get_by_role("group", name="Finding 4")
    assert fourth.is_visible()
    assert first.get_by_label("Theme").input_value() == "The financial position"
    assert page.locator(".govuk-error-summary").count() == 0
    assert_accessible(page)
    fourth.get_by_label("Theme").fill("Localities")
    fourth.get_by_label("Further focus", exact=True).check()
    fourth.get_by_label("What the peers said").fill("Publish the localities plan.")
    with page.expect_navigation():  # Enter in a text box saves (it does not add yet another row)
        fourth.get_by_label("Theme").press("Enter")

    # Then the error is in the summary, on the field and in the title, and nothing typed is lost
    assert page.title().startswith("Error: ")
    assert "Enter the date of the session" in page.locator(".govuk-error-summary").inner_text()
    assert first.get_by_label("Theme").input_value() == "The financial position"
    assert page.get_by_label("Next step 1").input_value() == "Revisit the Town Deal investment plan."
    assert page.get_by_label("R1 Senior capacity").is_checked()
    assert_accessible(page)

    # When they give the date, the session is recorded and its page shows it
    fill_date(page, "held_on", dt.date(2020, 9, 28))
    submit(page, "Save")
    assert "The session on 28 September 2020 has been added" in page.content()
    assert page.get_by_role("heading", level=1).inner_text() == "Recovery and Renewal Panel, 28 September 2020"
    assert page.get_by_role("heading", name="The financial position").is_visible()
    assert "An agreed budget and a Medium-Term Financial Strategy." in page.content()
    assert "Revisit the Town Deal investment plan." in page.content()
    assert page.get_by_role("link", name="R1 Senior capacity").is_visible()
    assert page.get_by_role("button", name="Create the summary report").is_visible()
    assert_accessible(page)

    # And the list shows it
    follow(page, "link", "Panel sessions")
    assert page.get_by_role("link", name="28 September 2020").is_visible()
    assert_accessible(page)

    session = PanelSession.objects.get()
    assert (session.held_on, session.mode) == (dt.date(2020, 9, 28), Engagement.Mode.REMOTE)
    assert list(session.findings.values_list("theme", "kind")) == [
        ("The financial position", "commended"),
        ("Localities", "further_focus"),
    ]


def test_an_adviser_reads_the_st_helens_panel_session(new_page: object, demo: None) -> None:
    page = new_page(User.objects.get(email="adviser@st-helens.example"))

    # Given the St Helens sessions, when the adviser opens the Recovery and Renewal Panel's
    page.goto("/councils/st-helens/sessions/")
    assert_accessible(page)
    follow(page, "link", "28 September 2020")

    # Then they read its findings by theme and its next steps, and cannot change them
    assert page.get_by_role("heading", level=1).inner_text() == "Recovery and Renewal Panel, 28 September 2020"
    for theme in ("The new relationship with communities", "The financial position", "Localities"):
        assert page.get_by_role("heading", name=theme).is_visible()
    assert "#sthelenstogether crowd fund" in page.content()  # its sum was reported on 2 December 2020
    assert "reflect on the achievements and learning" in page.content()  # the scope
    assert page.get_by_role("link", name="Edit the session").count() == 0
    assert page.get_by_role("button", name="Create the summary report").count() == 0
    assert_accessible(page)


def test_a_lead_is_told_when_someone_else_saved_the_session_first(
    new_page: object, panel: Engagement, lead: User
) -> None:
    day = dt.date(2020, 9, 28)
    common = {"by": lead, "engagement": panel, "held_on": day, "mode": Engagement.Mode.REMOTE}
    session = session_create(
        council=panel.council, findings=[FindingRow("Localities", "commended", "First.")], **common
    )
    page = new_page(lead)

    # Given the lead's edit form, open while someone else saves the session
    page.goto(f"/councils/borsetshire/sessions/{session.pk}/edit/")
    finding = page.get_by_role("group", name="Finding 1")
    finding.get_by_label("What the peers said").fill("Mine.")
    theirs = [FindingRow("Localities", "commended", "Theirs.")]
    session_update(session=session, findings=theirs, expected_version=session.version, **common)

    # When the lead saves, they are told, with a link to the session as it is now, and keep what they typed
    submit(page, "Save")
    assert page.title().startswith("Error: ")
    assert "Someone else changed this session" in page.locator(".govuk-error-summary").inner_text()
    assert page.get_by_role("link", name="Read the session as it is now (opens in a new tab)").is_visible()
    assert finding.get_by_label("What the peers said").input_value() == "Mine."
    assert_accessible(page)

    # And saving again, knowingly, puts the lead's finding in place of theirs
    submit(page, "Save")
    assert "The session on 28 September 2020 has been updated" in page.content()
    assert list(session.findings.values_list("text", flat=True)) == ["Mine."]
