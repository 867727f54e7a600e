"""A lead manages the council's people: invites them (a one-time link to set a password), changes their
role, and removes a leaver's access, handing what they own to someone else. Platform staff add councils
and their first lead in the admin."""

import re
from collections.abc import Callable

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.html import escape
from django.utils.http import urlsafe_base64_encode

from recommendations import services
from recommendations.models import Action, Council, Membership, Recommendation, User

from ..conftest import client_for
from ..factories import PASSWORD, ActionFactory, MembershipFactory, RecommendationFactory, UserFactory, at

pytestmark = pytest.mark.django_db

Role = Membership.Role
NEW_PASSWORD = "a-long-and-unusual-passphrase-42"


@pytest.fixture(autouse=True)
def _links_on_the_test_server(settings: object) -> None:
    settings.SITE_URL = "http://testserver"


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks: Callable) -> Callable:
    """E-mails go once the transaction commits; the tests' transaction never does, so run them."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def membership(user: User, council: Council) -> Membership:
    return Membership.objects.get(user=user, council=council)


def invite_link(message: mail.EmailMessage) -> str:
    match = re.search(r"http://testserver(/accounts/invite/[^/\s]+/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def invite(client: Client, council: Council, **data: str) -> object:
    fields = {
        "first_name": "Nell",
        "last_name": "Gwynne",
        "email": "nell.gwynne@borsetshire.example",
        "role": "officer",
    }
    return client.post(reverse("people_invite", args=[council.slug]), {**fields, **data})


# --- invitations ----------------------------------------------------------------------------------


def test_a_lead_invites_a_new_officer_who_gets_an_account_and_a_one_time_link(
    council: Council, lead: User, mailoutbox: list, on_commit: Callable
) -> None:
    client = client_for(lead)
    with on_commit():
        response = invite(client, council, email="Nell.Gwynne@Borsetshire.example")
    assert response.status_code == 302
    assert response.headers["Location"] == "/councils/borsetshire/people/"
    user = User.objects.get(email="nell.gwynne@borsetshire.example")
    assert (user.first_name, user.last_name, user.has_usable_password()) == ("Nell", "Gwynne", False)
    member = membership(user, council)
    assert (member.role, member.is_active) == (Role.OFFICER, True)
    assert member.history.latest().history_user == lead
    [message] = mailoutbox
    assert message.to == ["nell.gwynne@borsetshire.example"]
    assert message.subject == "You have been invited to Borsetshire County Council on Council Improve"
    assert "as officer" in message.body and "expires after 3 days" in message.body
    page = client.get(response.headers["Location"])
    assert "Nell Gwynne has been added as officer and sent an email" in page.content.decode()


def test_the_link_sets_a_password_signs_them_in_and_works_only_once(
    council: Council, lead: User, mailoutbox: list, on_commit: Callable
) -> None:
    with on_commit():
        invite(client_for(lead), council)
    link = invite_link(mailoutbox[0])
    visitor = Client()
    form_page = visitor.get(link, follow=True)
    assert form_page.status_code == 200
    assert "Set your password for Council Improve" in form_page.content.decode()
    assert "nell.gwynne@borsetshire.example" in form_page.content.decode()
    set_password_url = form_page.redirect_chain[-1][0]
    assert set_password_url.endswith("/set-password/")  # the token left the address bar

    response = visitor.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert visitor.get("/", follow=True).redirect_chain[-1][0] == "/councils/borsetshire/"  # signed in
    user = User.objects.get(email="nell.gwynne@borsetshire.example")
    assert user.check_password(NEW_PASSWORD)

    again = Client().get(link, follow=True)
    assert "This invitation link has expired" in again.content.decode()
    assert "Set your password" not in again.content.decode()


def test_the_set_password_form_shows_errors_and_keeps_the_link(
    council: Council, lead: User, mailoutbox: list, on_commit: Callable
) -> None:
    with on_commit():
        invite(client_for(lead), council)
    visitor = Client()
    url = visitor.get(invite_link(mailoutbox[0]), follow=True).redirect_chain[-1][0]
    response = visitor.post(url, {"new_password1": NEW_PASSWORD, "new_password2": "something else entirely"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Set your password" in page
    assert "The two passwords do not match" in page and "govuk-error-summary" in page
    assert visitor.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}).status_code == 302


@pytest.mark.parametrize("token", ["not-a-token", "set-password"])
def test_an_invalid_link_says_it_has_expired(council: Council, token: str) -> None:
    user = UserFactory()
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    response = Client().get(reverse("invite_accept", args=[uidb64, token]), follow=True)
    assert response.status_code == 200
    assert "This invitation link has expired" in response.content.decode()


def test_an_expired_link_says_so(council: Council, lead: User, settings: object) -> None:
    user = User.objects.create_user("late@borsetshire.example")
    token = default_token_generator.make_token(user)
    settings.PASSWORD_RESET_TIMEOUT = -1  # every token is already too old
    response = Client().get(reverse("invite_accept", args=[urlsafe_base64_encode(force_bytes(user.pk)), token]))
    assert "This invitation link has expired" in response.content.decode()


def test_someone_who_already_has_an_account_is_added_and_told_to_sign_in(
    council: Council, lead: User, outsider: User, mailoutbox: list, on_commit: Callable
) -> None:
    with on_commit():
        response = invite(client_for(lead), council, email="LEAD@felpersham.example", role="adviser", first_name="X")
    assert response.status_code == 302
    outsider.refresh_from_db()
    assert outsider.first_name != "X"  # their name stays as they have it
    assert membership(outsider, council).role == Role.ADVISER
    assert outsider.check_password(PASSWORD)
    [message] = mailoutbox
    assert "/accounts/login/" in message.body and "/accounts/invite/" not in message.body


def test_a_former_member_is_reactivated_with_the_new_role(
    council: Council, lead: User, mailoutbox: list, on_commit: Callable
) -> None:
    leaver = MembershipFactory(council=council, role=Role.LEADERSHIP, is_active=False)
    with on_commit():
        services.member_invite(
            council=council, email=leaver.user.email, first_name="", last_name="", role="officer", by=lead
        )
    leaver.refresh_from_db()
    assert (leaver.is_active, leaver.role) == (True, Role.OFFICER)
    assert len(mailoutbox) == 1


def test_an_active_member_cannot_be_invited_again(council: Council, lead: User, officer: User) -> None:
    response = invite(client_for(lead), council, email="OFFICER@borsetshire.example")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in page
    assert "officer@borsetshire.example is already a member of Borsetshire County Council" in page
    assert 'href="#id_email"' in page  # the summary links to the field
    assert 'value="Nell"' in page  # nothing typed is lost


def test_the_invite_form_shows_every_error_and_keeps_what_was_typed(council: Council, lead: User) -> None:
    client = client_for(lead)
    empty = client.post(reverse("people_invite", args=[council.slug]), {}).content.decode()
    for message in ("Enter their first name", "Enter their last name", "Enter their email address", "Choose a role"):
        assert message in empty
    assert "<title>Error: Invite someone" in empty
    assert 'href="#id_role_0"' in empty
    bad = invite(client, council, email="not-an-address", role="overlord").content.decode()
    assert "Enter an email address in the correct format, like name@example.gov.uk" in bad
    assert "Choose a role" in bad
    assert 'value="not-an-address"' in bad and 'value="Gwynne"' in bad
    assert not User.objects.filter(last_name="Gwynne").exists()


def test_the_role_radios_describe_each_role(council: Council, lead: User) -> None:
    page = client_for(lead).get(reverse("people_invite", args=[council.slug])).content.decode()
    assert 'aria-describedby="id_role_0-hint"' in page
    assert "Records progress on the recommendations and actions they own" in page
    assert "<title>Invite someone" in page


def test_a_closed_account_cannot_be_invited(council: Council, lead: User) -> None:
    UserFactory(email="closed@borsetshire.example", is_active=False)
    page = invite(client_for(lead), council, email="closed@borsetshire.example").content.decode()
    assert "The account for closed@borsetshire.example has been closed" in page


def test_only_a_lead_of_the_council_can_invite(council: Council, officer: User, outsider: User) -> None:
    for user in (officer, outsider):
        with pytest.raises(PermissionDenied):
            services.member_invite(
                council=council, email="x@borsetshire.example", first_name="X", last_name="Y", role="officer", by=user
            )
    assert not User.objects.filter(email="x@borsetshire.example").exists()


def test_the_invitation_can_be_sent_again_until_they_set_a_password(
    council: Council, lead: User, mailoutbox: list, on_commit: Callable
) -> None:
    with on_commit():
        invite(client_for(lead), council)
    member = Membership.objects.get(user__email="nell.gwynne@borsetshire.example")
    url = reverse("people_resend", args=[council.slug, member.pk])
    assert client_for(lead).get(url).status_code == 405
    with on_commit():
        response = client_for(lead).post(url, follow=True)
    assert "The invitation has been sent to nell.gwynne@borsetshire.example again" in response.content.decode()
    assert len(mailoutbox) == 2 and invite_link(mailoutbox[1])

    with pytest.raises(ValidationError, match="has set a password already"):
        services.member_invite_resend(membership=membership(lead, council), by=lead)


# --- roles ----------------------------------------------------------------------------------------


def test_a_lead_changes_a_role(council: Council, lead: User, officer: User) -> None:
    member = membership(officer, council)
    url = reverse("people_edit", args=[council.slug, member.pk])
    page = client_for(lead).get(url).content.decode()
    assert 'value="officer"' in page and "checked" in page
    response = client_for(lead).post(url, {"role": "leadership"})
    assert response.status_code == 302 and response.headers["Location"] == "/councils/borsetshire/people/"
    member.refresh_from_db()
    assert member.role == Role.LEADERSHIP
    assert member.history.latest().history_user == lead


def test_the_role_form_says_choose_a_role(council: Council, lead: User, officer: User) -> None:
    url = reverse("people_edit", args=[council.slug, membership(officer, council).pk])
    page = client_for(lead).post(url, {"role": ""}).content.decode()
    assert "<title>Error: " in page and "Choose a role" in page


def test_the_last_lead_cannot_be_demoted(council: Council, lead: User) -> None:
    url = reverse("people_edit", args=[council.slug, membership(lead, council).pk])
    response = client_for(lead).post(url, {"role": "officer"})
    assert response.status_code == 200
    assert "is the council&#x27;s only improvement lead. Make someone else a lead first" in response.content.decode()
    assert membership(lead, council).role == Role.LEAD


def test_a_lead_may_step_down_when_another_lead_remains(council: Council, lead: User) -> None:
    MembershipFactory(council=council, role=Role.LEAD)
    url = reverse("people_edit", args=[council.slug, membership(lead, council).pk])
    response = client_for(lead).post(url, {"role": "officer"})
    assert response.headers["Location"] == "/councils/borsetshire/"  # they no longer manage people
    assert membership(lead, council).role == Role.OFFICER


def test_a_lead_of_another_council_does_not_count(council: Council, lead: User, other_council: Council) -> None:
    MembershipFactory(council=other_council, role=Role.LEAD)
    MembershipFactory(council=council, role=Role.LEAD, is_active=False)
    with pytest.raises(ValidationError, match="only improvement lead"):
        services.membership_change_role(membership=membership(lead, council), role="officer", by=lead)


# --- leavers --------------------------------------------------------------------------------------


@pytest.fixture
def leavers_items(council: Council, officer: User, other_council: Council) -> dict[str, object]:
    recommendation = RecommendationFactory(engagement__council=council, owner=officer)
    action = ActionFactory(recommendation=recommendation, owner=officer)
    other_action = ActionFactory(recommendation__engagement__council=council, owner=officer)
    elsewhere = RecommendationFactory(engagement__council=other_council, owner=officer)
    return {"recommendation": recommendation, "actions": [action, other_action], "elsewhere": elsewhere}


def test_the_confirmation_page_lists_what_they_own_and_changes_nothing(
    council: Council, lead: User, officer: User, leavers_items: dict
) -> None:
    successor = MembershipFactory(council=council, role=Role.OFFICER, user__first_name="Sam", user__last_name="Ng")
    MembershipFactory(council=council, role=Role.ADVISER, user__first_name="Ada", user__last_name="Peer")
    member = membership(officer, council)
    page = client_for(lead).get(reverse("people_deactivate", args=[council.slug, member.pk])).content.decode()
    assert leavers_items["recommendation"].reference in page
    for action in leavers_items["actions"]:
        assert action.reference in page
    assert leavers_items["elsewhere"].heading not in page
    assert f'value="{successor.user_id}"' in page and "Sam Ng (Officer)" in page
    assert escape(f"{lead} (Improvement lead)") in page and "Ada Peer" not in page  # advisers cannot own items
    member.refresh_from_db()
    assert member.is_active


def test_deactivating_a_leaver_hands_everything_they_own_to_the_successor(
    council: Council, lead: User, officer: User, leavers_items: dict
) -> None:
    successor = MembershipFactory(council=council, role=Role.OFFICER).user
    member = membership(officer, council)
    response = client_for(lead).post(
        reverse("people_deactivate", args=[council.slug, member.pk]), {"reassign_to": successor.pk}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/councils/borsetshire/people/"
    assert escape(f"Their 1 recommendation and 2 actions now belong to {successor}") in response.content.decode()
    member.refresh_from_db()
    assert not member.is_active
    assert member.history.latest().history_user == lead
    recommendation = Recommendation.objects.get(pk=leavers_items["recommendation"].pk)
    assert recommendation.owner == successor
    for action in Action.objects.filter(pk__in=[a.pk for a in leavers_items["actions"]]):
        assert action.owner == successor
        record = action.history.latest()
        assert (record.history_user, record.owner_id, record.prev_record.owner_id) == (lead, successor.pk, officer.pk)
    assert recommendation.history.latest().history_user == lead
    assert Recommendation.objects.get(pk=leavers_items["elsewhere"].pk).owner == officer  # another council's
    assert User.objects.get(pk=officer.pk).is_active  # the account stays


def test_a_long_list_of_successors_is_a_select(
    council: Council, lead: User, officer: User, leavers_items: dict
) -> None:
    others = [MembershipFactory(council=council, role=Role.OFFICER).user for _ in range(11)]
    url = reverse("people_deactivate", args=[council.slug, membership(officer, council).pk])
    page = client_for(lead).get(url).content.decode()
    assert '<select name="reassign_to"' in page and "Choose someone" in page
    client_for(lead).post(url, {"reassign_to": others[-1].pk})
    assert Recommendation.objects.get(pk=leavers_items["recommendation"].pk).owner == others[-1]


def test_the_leaver_sees_nothing_of_the_council_afterwards(council: Council, lead: User, officer: User) -> None:
    services.membership_deactivate(membership=membership(officer, council), by=lead, reassign_to=None)
    client = client_for(officer)
    assert client.get("/councils/borsetshire/").status_code == 404
    assert client.get("/", follow=True).status_code == 200  # their home lists no council


def test_a_successor_is_required_when_the_leaver_owns_something(
    council: Council, lead: User, officer: User, leavers_items: dict
) -> None:
    member = membership(officer, council)
    response = client_for(lead).post(reverse("people_deactivate", args=[council.slug, member.pk]), {})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in page
    assert "Choose who will take over their recommendations and actions" in page
    member.refresh_from_db()
    assert member.is_active


def test_the_successor_must_be_an_active_officer_or_lead_of_the_same_council(
    council: Council, lead: User, officer: User, outsider: User, adviser: User, leavers_items: dict
) -> None:
    former = MembershipFactory(council=council, role=Role.OFFICER, is_active=False).user
    member = membership(officer, council)
    for user in (outsider, adviser, former, officer):
        with pytest.raises(ValidationError, match="who still has access"):
            services.membership_deactivate(membership=member, by=lead, reassign_to=user)
        response = client_for(lead).post(
            reverse("people_deactivate", args=[council.slug, member.pk]), {"reassign_to": user.pk}
        )
        assert "Choose who will take over their recommendations and actions" in response.content.decode()
    member.refresh_from_db()
    assert member.is_active
    assert Recommendation.objects.get(pk=leavers_items["recommendation"].pk).owner == officer


def test_the_last_lead_cannot_remove_their_own_access(council: Council, lead: User) -> None:
    member = membership(lead, council)
    response = client_for(lead).post(reverse("people_deactivate", args=[council.slug, member.pk]), {})
    assert "is the council&#x27;s only improvement lead" in response.content.decode()
    assert membership(lead, council).is_active


def test_a_lead_may_leave_when_another_lead_remains(council: Council, lead: User) -> None:
    MembershipFactory(council=council, role=Role.LEAD)
    response = client_for(lead).post(reverse("people_deactivate", args=[council.slug, membership(lead, council).pk]))
    assert response.headers["Location"] == "/"
    assert not membership(lead, council).is_active


def test_a_deactivated_membership_shows_as_such_and_cannot_be_changed(
    council: Council, lead: User, officer: User
) -> None:
    member = membership(officer, council)
    services.membership_deactivate(membership=member, by=lead, reassign_to=None)
    client = client_for(lead)
    listing = client.get(reverse("people_list", args=[council.slug])).content.decode()
    assert "Access removed" in listing
    edit = client.get(reverse("people_edit", args=[council.slug, member.pk])).content.decode()
    assert "no longer has access" in edit
    assert client.post(reverse("people_deactivate", args=[council.slug, member.pk])).status_code == 200
    with pytest.raises(ValidationError):
        services.membership_change_role(membership=member, role="lead", by=lead)


# --- the people page ------------------------------------------------------------------------------


def test_the_people_page_lists_members_with_role_access_and_what_they_own(
    council: Council, lead: User, officer: User, leavers_items: dict
) -> None:
    MembershipFactory(council=council, user=User.objects.create_user("new@borsetshire.example"))
    MembershipFactory(council=council, is_active=False, user__email="gone@borsetshire.example")
    page = client_for(lead).get(reverse("people_list", args=[council.slug])).content.decode()
    assert "officer@borsetshire.example" in page and "Improvement lead" in page
    assert "1 recommendation,\n              2 actions" in page
    assert "Invited" in page and "Access removed" in page and "Active" in page
    assert "lead@felpersham.example" not in page


def test_the_people_page_runs_the_same_queries_whatever_the_numbers(council: Council, lead: User) -> None:
    client = client_for(lead)
    url = reverse("people_list", args=[council.slug])

    def add_people(count: int) -> None:
        for _ in range(count):
            owner = MembershipFactory(council=council).user
            recommendation = RecommendationFactory(engagement__council=council, owner=owner)
            for _ in range(count):
                ActionFactory(recommendation=recommendation, owner=owner)

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    add_people(1)
    small = queries()
    add_people(10)
    assert queries() == small


# --- permissions ----------------------------------------------------------------------------------


def _people_urls(council: Council, officer: User) -> list[tuple[str, str]]:
    pk = membership(officer, council).pk
    return [
        ("get", reverse("people_list", args=[council.slug])),
        ("get", reverse("people_invite", args=[council.slug])),
        ("post", reverse("people_invite", args=[council.slug])),
        ("get", reverse("people_edit", args=[council.slug, pk])),
        ("post", reverse("people_edit", args=[council.slug, pk])),
        ("get", reverse("people_deactivate", args=[council.slug, pk])),
        ("post", reverse("people_deactivate", args=[council.slug, pk])),
        ("post", reverse("people_resend", args=[council.slug, pk])),
    ]


@pytest.mark.parametrize("persona", ["officer", "leadership", "adviser"])
def test_members_who_are_not_leads_get_403(persona: str, personas: object, council: Council) -> None:
    client = client_for(personas.get(persona))
    for method, url in _people_urls(council, personas.officer):
        assert getattr(client, method)(url, {"role": "lead"}).status_code == 403, url
    assert membership(personas.officer, council).is_active


def test_an_outsider_gets_404_and_anonymous_users_are_asked_to_sign_in(
    council: Council, officer: User, outsider: User
) -> None:
    for method, url in _people_urls(council, officer):
        assert getattr(client_for(outsider), method)(url).status_code == 404, url
        response = getattr(Client(), method)(url)
        assert response.status_code == 302 and response.headers["Location"].startswith("/accounts/login/")


def test_a_lead_cannot_reach_a_membership_of_another_council(
    council: Council, lead: User, outsider: User, other_council: Council
) -> None:
    pk = membership(outsider, other_council).pk
    for name in ("people_edit", "people_deactivate"):
        assert client_for(lead).get(reverse(name, args=[council.slug, pk])).status_code == 404
    assert client_for(lead).post(reverse("people_deactivate", args=[council.slug, pk])).status_code == 404
    assert membership(outsider, other_council).is_active


def test_wrong_methods_get_405(council: Council, lead: User, officer: User) -> None:
    client = client_for(lead)
    pk = membership(officer, council).pk
    assert client.post(reverse("people_list", args=[council.slug])).status_code == 405
    assert client.put(reverse("people_invite", args=[council.slug])).status_code == 405
    assert client.delete(reverse("people_edit", args=[council.slug, pk])).status_code == 405
    assert client.put(reverse("people_deactivate", args=[council.slug, pk])).status_code == 405
    assert client.get(reverse("people_resend", args=[council.slug, pk])).status_code == 405


# --- platform staff -------------------------------------------------------------------------------


@pytest.fixture
def staff(db: None) -> User:
    return User.objects.create_superuser("staff@platform.example", PASSWORD)


def test_staff_add_a_council_and_invite_its_first_lead_in_the_admin(
    staff: User, mailoutbox: list, on_commit: Callable
) -> None:
    client = client_for(staff)
    url = reverse("admin:recommendations_council_add")
    form = client.get(url).content.decode()
    assert "First improvement lead" in form and "first_lead_email" in form
    with on_commit():
        response = client.post(
            url,
            {
                "name": "Ambridge Borough Council",
                "slug": "ambridge",
                "kind": "district",
                "region": "West Midlands",
                "first_lead_first_name": "Jill",
                "first_lead_last_name": "Archer",
                "first_lead_email": "Jill.Archer@ambridge.example",
            },
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    council = Council.objects.get(slug="ambridge")
    first_lead = Membership.objects.get(council=council)
    assert (first_lead.user.email, first_lead.role, first_lead.user.first_name) == (
        "jill.archer@ambridge.example",
        Role.LEAD,
        "Jill",
    )
    [message] = mailoutbox
    assert message.to == ["jill.archer@ambridge.example"] and "/accounts/invite/" in message.body
    assert "as improvement lead" in message.body
    assert client.get(reverse("admin:recommendations_council_change", args=[council.pk])).status_code == 200


def test_the_admin_add_form_refuses_bad_input_without_an_error_page(staff: User, council: Council) -> None:
    response = client_for(staff).post(
        reverse("admin:recommendations_council_add"),
        {"name": "Borsetshire County Council", "slug": "borsetshire", "kind": "county", "first_lead_email": "nope"},
    )
    assert response.status_code == 200
    assert Council.objects.count() == 1
    assert not User.objects.filter(email="nope").exists()


def test_only_platform_staff_can_create_a_council(lead: User) -> None:
    with pytest.raises(PermissionDenied):
        services.council_create(
            name="Ambridge",
            slug="ambridge",
            kind="district",
            first_lead_email="jill@ambridge.example",
            first_lead_first_name="Jill",
            first_lead_last_name="Archer",
            by=lead,
        )


def test_council_create_records_history_and_sends_one_invitation(
    staff: User, mailoutbox: list, on_commit: Callable
) -> None:
    with on_commit():
        council = services.council_create(
            name="Ambridge Borough Council",
            slug="ambridge",
            kind="district",
            first_lead_email="jill@ambridge.example",
            first_lead_first_name="Jill",
            first_lead_last_name="Archer",
            by=staff,
            at=at(2021, 4, 1),
        )
    record = Membership.objects.get(council=council).history.latest()
    assert (record.history_user, record.history_date) == (staff, at(2021, 4, 1))
    assert len(mailoutbox) == 1
