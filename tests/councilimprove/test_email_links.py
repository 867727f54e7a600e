"""Every e-mail, of each kind and in each state, rendered through the flow that sends it: its links start with
SITE_URL (scheme, host and port), their paths resolve, and the recipient, signed in, gets the page."""

import datetime as dt
import re
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone

from recommendations import services
from recommendations.models import Council, ProgressUpdate, Rag, Status, User

from ..conftest import client_for
from ..factories import ActionFactory, RecommendationFactory, UserFactory

pytestmark = pytest.mark.django_db

SITE_URL = "http://127.0.0.1:8123"
LONG_HEADING = "Organisational culture and the way the council works with its partners across the borough"


@pytest.fixture(autouse=True)
def _site_url(settings: object) -> None:
    settings.SITE_URL = SITE_URL


@pytest.fixture
def sent(mailoutbox: list, django_capture_on_commit_callbacks: Callable) -> Callable:
    """Run a flow and hand back the one e-mail it sent."""

    def run(flow: Callable[[], object]) -> mail.EmailMultiAlternatives:
        before = len(mailoutbox)
        with django_capture_on_commit_callbacks(execute=True):
            flow()
        [message] = mailoutbox[before:]
        return message

    return run


def _submitted(item: object, author: User, *, at: dt.datetime, rag: str = Rag.GREEN) -> ProgressUpdate:
    update = services.update_create(item=item, author=author, status=Status.IN_PROGRESS, rag=rag, narrative="Done")
    return services.update_submit(update=update, at=at, notify=False)


def _emails(council: Council, lead: User, officer: User, sent: Callable) -> Iterator[tuple[str, object]]:
    now = timezone.now()
    recommendation = RecommendationFactory(
        engagement__council=council, owner=officer, reference="R8", heading=LONG_HEADING
    )
    action = ActionFactory(recommendation=recommendation, owner=officer, reference="8.1", description=LONG_HEADING)

    yield (
        "invitation, new account",
        sent(
            lambda: services.member_invite(
                council=council,
                email="new@borsetshire.example",
                first_name="Nell",
                last_name="New",
                role="officer",
                by=lead,
            )
        ),
    )
    other = UserFactory(email="known@felpersham.example")
    yield (
        "invitation, existing account",
        sent(
            lambda: services.member_invite(
                council=council, email=other.email, first_name="", last_name="", role="leadership", by=lead
            )
        ),
    )
    yield "password reset", sent(lambda: Client().post(reverse("password_reset"), {"email": officer.email}))

    update = services.update_create(
        item=action, author=officer, status=Status.IN_PROGRESS, rag=Rag.GREEN, narrative="Begun"
    )
    yield "waiting for review", sent(lambda: services.update_submit(update=update, at=now - dt.timedelta(days=3)))
    yield "approved", sent(lambda: services.update_approve(update=update, reviewer=lead, at=now - dt.timedelta(days=3)))

    assured = _submitted(recommendation, officer, at=now - dt.timedelta(days=2))
    yield (
        "approved, the lead's own RAG",
        sent(
            lambda: services.update_approve(
                update=assured, reviewer=lead, assurance_rag=Rag.AMBER, assurance_reason="Waiting for the board", at=now
            )
        ),
    )
    returned = _submitted(recommendation, officer, at=now - dt.timedelta(days=1))
    yield "returned", sent(lambda: services.update_return(update=returned, reviewer=lead, comment="Add the date"))

    # Submitted before a lead's direct change, approved after it: it moves nothing, and says so.
    older = _submitted(action, officer, at=now - dt.timedelta(hours=12))
    services.update_record(item=action, author=lead, status=Status.IN_PROGRESS, rag=Rag.GREEN, at=now)
    yield (
        "approved after a later change",
        sent(lambda: services.update_approve(update=older, reviewer=lead, at=now + dt.timedelta(minutes=1))),
    )


def _links(message: mail.EmailMultiAlternatives) -> list[str]:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    in_text = re.findall(r"https?://\S+", message.body)
    in_html = re.findall(r'href="([^"]+)"', html)
    assert in_text and sorted(in_text) == sorted(in_html)
    return in_text


def test_every_email_links_to_the_site_url_and_the_recipient_gets_the_page(
    council: Council, lead: User, officer: User, sent: Callable
) -> None:
    site = urlsplit(SITE_URL)
    kinds = []
    for kind, message in _emails(council, lead, officer, sent):
        kinds.append(kind)
        [recipient] = message.to
        user = User.objects.get(email=recipient)
        for link in _links(message):
            parts = urlsplit(link)
            assert (parts.scheme, parts.hostname, parts.port) == (site.scheme, site.hostname, site.port), kind
            resolve(parts.path)
            response = client_for(user).get(parts.path, follow=True)
            assert response.status_code == 200, (kind, link, response.redirect_chain)
    assert len(kinds) == 8


def test_emails_name_the_item_once_shortened_at_a_word(
    council: Council, lead: User, officer: User, sent: Callable
) -> None:
    messages = dict(_emails(council, lead, officer, sent))
    for kind in ("waiting for review", "approved", "returned"):
        body = messages[kind].body
        assert "R8 R8" not in body and "8.1 8.1" not in body, kind
        [shortened] = re.findall(r"(?:R8|8\.1) (Organisational[^…]*)…", body)
        assert LONG_HEADING.startswith(shortened) and LONG_HEADING[len(shortened)] == " ", body  # at a word
    assert "/councils/borsetshire/reviews/" in messages["waiting for review"].body


def test_an_approval_gives_the_leads_rag_and_reason_and_says_when_it_moved_nothing(
    council: Council, lead: User, officer: User, sent: Callable
) -> None:
    messages = dict(_emails(council, lead, officer, sent))
    assured = messages["approved, the lead's own RAG"]
    assert "They rated it Amber" in assured.body and "Waiting for the board" in assured.body
    assert "Waiting for the board" in assured.alternatives[0][0]
    late = messages["approved after a later change"].body
    assert "A later update" in late and "does not change its status or RAG" in late
    assert "A later update" not in messages["approved"].body and "They rated it" not in messages["approved"].body
