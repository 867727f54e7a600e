"""The layout's `once` parts (councilimprove/templatetags/layout.py): rendered at a process's first request and
then served as they are, they see nothing of the page, and a changed setting renders them again."""

import re

import pytest
from django.template import Context, Template
from django.test import override_settings

from recommendations.models import User

from ..conftest import client_for

pytestmark = pytest.mark.django_db


def test_a_once_part_sees_only_what_depends_on_the_settings() -> None:
    template = Template("{% load layout %}{% once %}[{{ council }}|{{ service_name }}]{% endonce %}")
    assert template.render(Context({"council": "Borsetshire"})) == "[|Council Improve]"
    assert template.render(Context({"council": "Felpersham"})) == "[|Council Improve]"


def test_a_changed_setting_renders_the_once_parts_again(officer: User) -> None:
    client = client_for(officer)
    assert 'data-idle-seconds="1800"' in client.get("/councils/borsetshire/my-work/").content.decode()
    with override_settings(SESSION_COOKIE_AGE=600, SESSION_TIMEOUT_WARNING=60):
        page = client.get("/councils/borsetshire/my-work/").content.decode()
    assert 'data-idle-seconds="600"' in page
    assert re.search(r"data-countdown>60 seconds</strong>", page)


def test_each_page_has_its_own_council_user_and_tokens_around_the_once_parts(officer: User, lead: User) -> None:
    officer_page = client_for(officer).get("/councils/borsetshire/my-work/").content.decode()
    lead_page = client_for(lead).get("/councils/borsetshire/").content.decode()
    assert f'data-user="{officer.pk}"' in officer_page
    assert f'data-user="{lead.pk}"' in lead_page
    assert '<span class="app-header__council">Borsetshire County Council</span>' in lead_page
    assert officer_page.count('name="csrfmiddlewaretoken"') == 3  # sign out in the header; the dialog's two forms
