"""/accounts/preferences/: a signed-in person turns the optional reminders (the leads' weekly digest and the
LGA timetable's) on or off; those about their own items in an update round cannot be turned off, and the page
says so. Anonymous visitors are sent to sign in (tests/test_url_walk.py)."""

import pytest
from django.urls import reverse

from recommendations.models import User

from ..conftest import client_for

pytestmark = pytest.mark.django_db

URL = "/accounts/preferences/"


def test_the_page_shows_both_choices_as_they_stand_and_says_what_cannot_be_turned_off(lead: User) -> None:
    lead.wants_timetable_reminders = False
    lead.save(update_fields=["wants_timetable_reminders"])
    response = client_for(lead).get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Email preferences" in page
    assert 'type="checkbox" name="wanted" value="lead_digest"' in page
    assert 'value="lead_digest" class="govuk-checkboxes__input" id="id_wanted_0" checked' in page
    assert 'value="timetable" class="govuk-checkboxes__input" id="id_wanted_1">' in page  # not checked
    assert "You cannot turn those emails off" in page
    assert "These go to improvement leads." in page


def test_saving_turns_them_off_and_on_and_says_so(lead: User) -> None:
    client = client_for(lead)
    response = client.post(URL, {"wanted": ["timetable"]}, follow=True)
    assert response.redirect_chain == [(URL, 302)]
    assert "Email preferences saved" in response.content.decode()
    lead.refresh_from_db()
    assert (lead.wants_lead_digest, lead.wants_timetable_reminders) == (False, True)

    client.post(URL, {})  # nothing ticked: both off
    lead.refresh_from_db()
    assert (lead.wants_lead_digest, lead.wants_timetable_reminders) == (False, False)

    client.post(URL, {"wanted": ["lead_digest", "timetable"]})
    lead.refresh_from_db()
    assert (lead.wants_lead_digest, lead.wants_timetable_reminders) == (True, True)


def test_a_choice_not_on_the_list_is_refused_and_nothing_changes(lead: User) -> None:
    response = client_for(lead).post(URL, {"wanted": ["overdue"]})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error: Email preferences" in page
    assert "Select the emails you want from the list" in page
    lead.refresh_from_db()
    assert (lead.wants_lead_digest, lead.wants_timetable_reminders) == (True, True)


def test_only_get_and_post(officer: User) -> None:
    assert client_for(officer).put(URL).status_code == 405


def test_each_person_changes_only_their_own(lead: User, officer: User) -> None:
    client_for(officer).post(URL, {})
    lead.refresh_from_db()
    officer.refresh_from_db()
    assert lead.wants_lead_digest and not officer.wants_lead_digest


def test_the_header_links_to_it(officer: User) -> None:
    page = client_for(officer).get(reverse("my_work", args=["borsetshire"])).content.decode()
    assert f'href="{URL}">Email preferences</a>' in page
