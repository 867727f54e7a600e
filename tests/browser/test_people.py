"""Given a lead, when they invite a new officer, then the officer sets a password through the e-mailed
link and reaches the council; and when someone leaves, the lead hands their work on. Every page, error
states included, passes axe with zero violations."""

import re

import pytest

from recommendations.models import Membership, Recommendation, User

from ..factories import ActionFactory, MembershipFactory, RecommendationFactory
from .conftest import assert_accessible, clicked

pytestmark = pytest.mark.django_db(transaction=True)

NEW_PASSWORD = "a-long-and-unusual-passphrase-42"


def test_a_lead_invites_a_new_officer_who_sets_a_password_and_signs_in(
    new_page: object, lead: User, live_server: object, settings: object, mailoutbox: list
) -> None:
    settings.SITE_URL = live_server.url

    # Given the lead on the council's People page
    page = new_page(lead)
    page.goto("/councils/borsetshire/people/")
    assert page.get_by_role("heading", level=1).inner_text() == "People"
    assert_accessible(page)

    # When they ask to invite someone and send the form empty, they see every error
    clicked(page.get_by_role("button", name="Invite someone"))
    assert page.title().startswith("Invite someone")
    assert_accessible(page)
    clicked(page.get_by_role("button", name="Send invitation"))
    assert page.title().startswith("Error: ")
    summary = page.locator(".govuk-error-summary")
    for message in ("Enter their first name", "Enter their last name", "Enter their email address", "Choose a role"):
        assert message in summary.inner_text()
    assert_accessible(page)

    # And when they fill it in, the officer is added and e-mailed
    page.get_by_label("First name").fill("Nell")
    page.get_by_label("Last name").fill("Gwynne")
    page.get_by_label("Email address").fill("nell.gwynne@borsetshire.example")
    page.get_by_label("Officer", exact=True).check()
    clicked(page.get_by_role("button", name="Send invitation"))
    page.wait_for_url("**/councils/borsetshire/people/")
    assert (
        "Nell Gwynne has been added as officer and sent an email"
        in page.locator(".govuk-notification-banner").inner_text()
    )
    assert "Invited" in page.get_by_role("row", name=re.compile("Nell Gwynne")).inner_text()
    assert_accessible(page)

    # Then the new officer opens the link from the e-mail in their own browser
    [message] = mailoutbox
    link = re.search(r"https?://\S+/accounts/invite/\S+/", message.body).group(0)
    officer_page = new_page()
    officer_page.goto(link)
    assert officer_page.get_by_role("heading", level=1).inner_text() == "Set your password for Council Improve"
    assert "/accounts/invite/" in officer_page.url and "set-password" in officer_page.url  # no token in the bar
    assert_accessible(officer_page)

    officer_page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    officer_page.get_by_label("Confirm the new password").fill("not the same password")
    clicked(officer_page.get_by_role("button", name="Set password and sign in"))
    assert officer_page.title().startswith("Error: ")
    assert "The two passwords do not match" in officer_page.locator(".govuk-error-summary").inner_text()
    assert_accessible(officer_page)

    officer_page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    officer_page.get_by_label("Confirm the new password").fill(NEW_PASSWORD)
    clicked(officer_page.get_by_role("button", name="Set password and sign in"))
    officer_page.wait_for_url("**/councils/borsetshire/")
    assert officer_page.get_by_role("heading", level=1).inner_text() == "Improvement plan dashboard"
    assert "Your password has been set and you are signed in" in officer_page.content()
    assert_accessible(officer_page)

    # And the link does not work a second time
    second = new_page()
    second.goto(link)
    assert second.get_by_role("heading", level=1).inner_text() == "This invitation link has expired"
    assert_accessible(second)


def test_a_lead_changes_a_role_and_hands_a_leavers_work_on(
    new_page: object, council: object, lead: User, officer: User
) -> None:
    recommendation = RecommendationFactory(engagement__council=council, owner=officer, heading="Refresh the plan")
    ActionFactory(recommendation=recommendation, owner=officer)
    successor = MembershipFactory(
        council=council, role=Membership.Role.OFFICER, user__first_name="Sam", user__last_name="Ng"
    ).user
    page = new_page(lead)
    page.goto("/councils/borsetshire/people/")

    # A role change
    clicked(page.get_by_role("link", name=f"Change role of {successor}"))
    assert page.get_by_role("heading", level=1).inner_text() == "Sam Ng"
    assert_accessible(page)
    page.get_by_label("Leadership").check()
    clicked(page.get_by_role("button", name="Save role"))
    page.wait_for_url("**/councils/borsetshire/people/")
    assert "Sam Ng is now leadership" in page.content()

    clicked(page.get_by_role("link", name=f"Change role of {successor}"))
    page.get_by_label("Officer", exact=True).check()
    clicked(page.get_by_role("button", name="Save role"))
    page.wait_for_url("**/councils/borsetshire/people/")

    # The leaver's page lists what they own and asks who takes it over
    clicked(page.get_by_role("link", name=f"Remove access for {officer}"))
    assert page.get_by_role("heading", level=1).inner_text() == f"Remove access for {officer}"
    assert "Refresh the plan" in page.content()
    assert_accessible(page)
    clicked(page.get_by_role("button", name="Remove access"))
    assert page.title().startswith("Error: ")
    assert "Choose who will take over" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)

    page.get_by_label("Sam Ng (Officer)").check()
    clicked(page.get_by_role("button", name="Remove access"))
    page.wait_for_url("**/councils/borsetshire/people/")
    assert "now belong to Sam Ng" in page.content()
    assert "Access removed" in page.get_by_role("row", name=re.compile(str(officer))).inner_text()
    assert_accessible(page)
    assert Recommendation.objects.get(pk=recommendation.pk).owner == successor
