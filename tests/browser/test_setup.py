"""Given a lead of Borsetshire, when they set up a peer challenge in the browser (an engagement, a
recommendation, an action with an owner) and move the action's due date with a reason, then every page
they see, error states included, passes axe."""

import datetime as dt

import pytest

from recommendations.models import Action, Council, DueDateChange, EngagementKind, Membership, User

from ..factories import EngagementFactory, MembershipFactory, RecommendationFactory, ThemeFactory
from .conftest import assert_accessible, clicked

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def kinds() -> None:
    """The kinds come from a data migration, which a transactional test's flush empties."""
    for position, (name, slug) in enumerate(
        [("Corporate peer challenge", "corporate-peer-challenge"), ("Progress review", "progress-review")]
    ):
        EngagementKind.objects.get_or_create(slug=slug, defaults={"name": name, "position": position})


def follow(page: object, role: str, name: str) -> None:
    """Press a button or follow a link, and wait for the page that answers."""
    clicked(page.get_by_role(role, name=name))


def submit(page: object, button: str) -> None:
    follow(page, "button", button)


def fill_date(page: object, field: str, day: dt.date) -> None:
    for part, value in (("day", day.day), ("month", day.month), ("year", day.year)):
        page.fill(f"input[name={field}_{part}]", str(value))


def test_a_lead_sets_up_a_challenge_and_moves_a_date(new_page: object, kinds: None, lead: User, officer: User) -> None:
    page = new_page(lead)

    # Given the engagements page
    page.goto("/councils/borsetshire/engagements/")
    assert page.get_by_role("heading", level=1).inner_text() == "Peer challenges and return visits"
    assert_accessible(page)

    # When the lead adds a challenge whose last day comes before its first
    follow(page, "button", "Add an engagement")
    assert "Governance and culture" in page.get_by_label("Themes").input_value()
    assert_accessible(page)
    page.get_by_label("Title").fill("Corporate Peer Challenge 2024")
    page.get_by_label("Corporate peer challenge").check()
    fill_date(page, "first_onsite_day", dt.date(2024, 3, 4))
    fill_date(page, "last_onsite_day", dt.date(2024, 3, 1))
    submit(page, "Save")

    # Then the error is on the field, in the summary, and in the page title
    assert page.title().startswith("Error: ")
    summary = page.locator(".govuk-error-summary")
    assert "The last day of the visit must be the same as or after the first day" in summary.inner_text()
    assert page.get_by_label("Title").input_value() == "Corporate Peer Challenge 2024"
    assert_accessible(page)

    # When they correct it, the engagement is added with today's five core components
    fill_date(page, "last_onsite_day", dt.date(2024, 3, 7))
    submit(page, "Save")
    assert page.get_by_role("heading", level=1).inner_text() == "Corporate Peer Challenge 2024"
    assert "Capacity for improvement" in page.content()
    assert_accessible(page)

    # And a recommendation, owned by the officer
    follow(page, "button", "Add a recommendation")
    assert_accessible(page)
    submit(page, "Save")  # nothing typed: the errors, accessibly
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    page.get_by_label("Reference").fill("R1")
    page.get_by_role("textbox", name="Recommendation", exact=True).fill("Develop a shared understanding of priorities.")
    page.get_by_label("Theme (optional)").select_option(label="Governance and culture")
    page.get_by_label("Owner (optional)").select_option(label=f"{officer.get_full_name()} ({officer.email})")
    fill_date(page, "due_date", dt.date(2025, 3, 31))
    submit(page, "Save")
    assert "Recommendation R1 has been added" in page.content()
    assert_accessible(page)

    # And an action under it, with an owner and dates
    follow(page, "link", "Add an action to recommendation R1")
    assert_accessible(page)
    page.get_by_label("Reference").fill("1.1")
    page.get_by_role("textbox", name="Action", exact=True).fill("Agree a corporate plan with three priorities.")
    page.get_by_label("Owner (optional)").select_option(label=f"{officer.get_full_name()} ({officer.email})")
    fill_date(page, "start_date", dt.date(2024, 4, 1))
    fill_date(page, "due_date", dt.date(2024, 12, 31))
    submit(page, "Save")
    assert "Action 1.1 has been added to R1" in page.content()
    assert_accessible(page)

    # When they move the action's due date without a reason, they are asked for one
    follow(page, "link", "Change action 1.1")
    assert page.get_by_role("heading", level=1).inner_text() == "Change action 1.1"
    assert_accessible(page)
    fill_date(page, "due_date", dt.date(2025, 6, 30))
    submit(page, "Save")
    assert page.title().startswith("Error: ")
    assert "Enter the reason for moving the date" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)

    # And with the reason, the move is recorded and the first date kept
    page.get_by_label("Reason for the new due date").fill("The supplier delivered late")
    submit(page, "Save")
    assert "Action 1.1 has been updated" in page.content()
    assert_accessible(page)

    action = Action.objects.get(reference="1.1")
    assert (action.owner, action.due_date, action.baseline_due_date) == (
        officer,
        dt.date(2025, 6, 30),
        dt.date(2024, 12, 31),
    )
    assert DueDateChange.objects.get(action=action).reason == "The supplier delivered late"


def test_a_second_lead_is_refused_and_sees_the_latest_version(
    new_page: object, kinds: None, lead: User, council: Council
) -> None:
    other = MembershipFactory(council=council, role=Membership.Role.LEAD).user
    engagement = EngagementFactory(council=council, title="Corporate Peer Challenge 2019")
    recommendation = RecommendationFactory(engagement=engagement, reference="R1", heading="As published")
    url = f"/councils/borsetshire/recommendations/{recommendation.pk}/edit/"

    # Given two leads with the same recommendation open
    first, second = new_page(lead), new_page(other)
    first.goto(url)
    second.goto(url)
    assert_accessible(first)

    # When the first saves, then the second
    first.get_by_label("Heading (optional)").fill("The first lead's heading")
    submit(first, "Save")
    assert "Recommendation R1 has been updated" in first.content()
    second.get_by_label("Heading (optional)").fill("The second lead's heading")
    submit(second, "Save")

    # Then the second is refused, keeps what they typed, and sees the latest version
    assert second.title().startswith("Error: ")
    assert "Someone else changed this recommendation while you were editing it" in second.content()
    assert second.get_by_role("heading", name="Here is the latest version").is_visible()
    assert second.get_by_label("Heading (optional)").input_value() == "The second lead's heading"
    assert_accessible(second)
    recommendation.refresh_from_db()
    assert recommendation.heading == "The first lead's heading"


def test_a_lead_changes_themes_and_the_peer_team(new_page: object, kinds: None, lead: User, council: Council) -> None:
    engagement = EngagementFactory(council=council, title="Corporate Peer Challenge 2019")
    used = ThemeFactory(engagement=engagement, name="Leadership of place")
    RecommendationFactory(engagement=engagement, reference="R1", theme=used)
    page = new_page(lead)

    page.goto(f"/councils/borsetshire/engagements/{engagement.pk}/edit/")
    assert_accessible(page)
    page.get_by_label("Theme 1").fill("")  # used by R1: refused
    submit(page, "Save")
    assert page.title().startswith("Error: ")
    assert "because R1 use" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)

    page.get_by_label("Theme 1").fill("Organisational and place leadership")
    submit(page, "Save")
    assert "Organisational and place leadership" in page.content()

    follow(page, "link", "Add a peer to the team")
    submit(page, "Add peer")
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    page.get_by_label("Name").fill("Cllr Ann Example")
    page.get_by_label("Lead peer").check()
    submit(page, "Add peer")
    assert "Cllr Ann Example has been added to the peer team" in page.content()
    assert_accessible(page)
    submit(page, "Remove Cllr Ann Example from the peer team")
    assert "No peers have been recorded for this engagement" in page.content()
