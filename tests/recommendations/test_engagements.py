"""Engagements in the browser: every member reads them; leads add them, change them, their themes and their
peer team. GOV.UK error wording, nothing typed lost, other councils' objects out of reach."""

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recommendations import services
from recommendations.models import Council, Engagement, EngagementKind, Peer, Rag, Status, Theme, User

from ..conftest import client_for
from ..factories import (
    ActionFactory,
    EngagementFactory,
    RecommendationFactory,
    ThemeFactory,
    at,
)
from .plan_forms import date_parts, errors_of, form_data

pytestmark = pytest.mark.django_db

CPC = [
    "Local priorities and outcomes",
    "Organisational and place leadership",
    "Governance and culture",
    "Financial planning and management",
    "Capacity for improvement",
]


def cpc() -> EngagementKind:
    return EngagementKind.objects.get(slug="corporate-peer-challenge")


def new_engagement(council: Council, **overrides: str) -> dict[str, str]:
    data = {
        "title": "Corporate Peer Challenge 2024",
        "kind": str(cpc().pk),
        "parent": "",
        "mode": "onsite",
        **date_parts("first_onsite_day", dt.date(2024, 3, 4)),
        **date_parts("last_onsite_day", dt.date(2024, 3, 7)),
        **date_parts("report_received", None),
        **date_parts("report_published", None),
        **date_parts("action_plan_published", None),
        "report_url": "",
        "themes": "\n".join(CPC),
    }
    return {**data, **overrides}


# --- the list and the page of one engagement ---------------------------------------------------------


@pytest.mark.parametrize("persona", ["officer", "lead", "leadership", "adviser"])
def test_every_member_reads_the_engagements(persona: str, personas: object, council: Council) -> None:
    engagement = EngagementFactory(council=council, title="Corporate Peer Challenge 2019")
    ThemeFactory(engagement=engagement, name="Governance and culture")
    engagement.peers.create(name="Cllr Ann Example", role=Peer.Role.LEAD_PEER, organisation="Felpersham")
    RecommendationFactory(engagement=engagement, reference="R1")
    review = EngagementFactory(
        council=council,
        title="Progress review 2020",
        parent=engagement,
        first_onsite_day=dt.date(2020, 1, 7),
        last_onsite_day=dt.date(2020, 1, 8),
    )
    client = client_for(personas.get(persona))

    listing = client.get(f"/councils/{council.slug}/engagements/")
    assert listing.status_code == 200
    page = listing.content.decode()
    assert "Corporate Peer Challenge 2019" in page and "Progress review 2020" in page
    assert "Governance and culture" in page and "Cllr Ann Example" in page
    assert "1 recommendation," in page
    assert ("Add an engagement" in page) is (persona == "lead")

    detail = client.get(f"/councils/{council.slug}/engagements/{engagement.pk}/")
    assert detail.status_code == 200
    page = detail.content.decode()
    assert "Governance and culture" in page and "Cllr Ann Example" in page and "Lead peer" in page
    assert f"/councils/{council.slug}/engagements/{review.pk}/" in page  # its return visit
    assert "R1" in page
    assert ("Add a recommendation" in page) is (persona == "lead")


def test_the_outsider_gets_404_for_an_engagement(council: Council, outsider: User) -> None:
    engagement = EngagementFactory(council=council)
    client = client_for(outsider)
    assert client.get(f"/councils/{council.slug}/engagements/").status_code == 404
    assert client.get(f"/councils/{council.slug}/engagements/{engagement.pk}/").status_code == 404
    # nor through their own council's address
    assert client.get(f"/councils/felpersham/engagements/{engagement.pk}/").status_code == 404


def test_list_and_detail_answer_only_get(council: Council, lead: User) -> None:
    engagement = EngagementFactory(council=council)
    client = client_for(lead)
    assert client.post(f"/councils/{council.slug}/engagements/").status_code == 405
    assert client.post(f"/councils/{council.slug}/engagements/{engagement.pk}/").status_code == 405


def _build(council: Council, lead: User, scale: int) -> Engagement:
    """An engagement with `scale` themes, peers and recommendations, each recommendation carrying `scale`
    actions and `scale` approved updates; and `scale` return visits."""
    engagement = EngagementFactory(council=council)
    for n in range(scale):
        theme = ThemeFactory(engagement=engagement, name=f"Theme {n}")
        engagement.peers.create(name=f"Peer {n}", role=Peer.Role.MEMBER_PEER)
        recommendation = RecommendationFactory(engagement=engagement, theme=theme, owner=lead)
        for a in range(scale):
            ActionFactory(recommendation=recommendation, reference=f"{n}.{a}", owner=lead)
            services.update_record(
                item=recommendation, author=lead, status=Status.IN_PROGRESS, rag=Rag.GREEN, at=at(2020, 1, 1 + a)
            )
        EngagementFactory(council=council, parent=engagement, title=f"Review {engagement.pk}-{n}")
    return engagement


def _queries(get: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as context:
        response = get()
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("page", ["engagement_list", "engagement_detail"])
def test_engagement_pages_run_the_same_queries_at_1x_and_4x(page: str, council: Council, lead: User) -> None:
    client = client_for(lead)

    def url(engagement: Engagement) -> str:
        if page == "engagement_list":
            return f"/councils/{council.slug}/engagements/"
        return f"/councils/{council.slug}/engagements/{engagement.pk}/"

    small = _build(council, lead, scale=1)
    small_count = _queries(lambda: client.get(url(small)))
    large = _build(council, lead, scale=4)
    large_count = _queries(lambda: client.get(url(large)))
    assert large_count == small_count


# --- adding an engagement -------------------------------------------------------------------------------


def test_a_new_engagement_offers_todays_five_core_components(council: Council, lead: User) -> None:
    response = client_for(lead).get(f"/councils/{council.slug}/engagements/new/")
    assert response.status_code == 200
    assert response.context["form"]["themes"].value() == "\n".join(CPC)
    assert "<title>Add a peer challenge or return visit" in response.content.decode()


def test_a_lead_adds_an_engagement_with_its_themes(council: Council, lead: User) -> None:
    response = client_for(lead).post(f"/councils/{council.slug}/engagements/new/", new_engagement(council))
    engagement = Engagement.objects.get(council=council)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/councils/{council.slug}/engagements/{engagement.pk}/"
    assert (engagement.title, engagement.kind, engagement.first_onsite_day) == (
        "Corporate Peer Challenge 2024",
        cpc(),
        dt.date(2024, 3, 4),
    )
    assert list(engagement.themes.order_by("position").values_list("name", flat=True)) == CPC
    assert engagement.history.get().history_user == lead


def test_the_last_day_before_the_first_is_an_error_on_the_field(council: Council, lead: User) -> None:
    data = new_engagement(council, **date_parts("last_onsite_day", dt.date(2024, 3, 1)), title="Typed title")
    response = client_for(lead).post(f"/councils/{council.slug}/engagements/new/", data)
    assert response.status_code == 200
    assert errors_of(response) == {
        "last_onsite_day": ["The last day of the visit must be the same as or after the first day"]
    }
    page = response.content.decode()
    assert "<title>Error: " in page
    assert "govuk-error-summary" in page
    assert 'value="Typed title"' in page  # nothing typed is lost
    assert not Engagement.objects.exists()


def test_an_engagement_needs_a_title_a_kind_and_real_dates(council: Council, lead: User) -> None:
    data = new_engagement(council, title="", kind="", first_onsite_day_day="31", first_onsite_day_month="2")
    response = client_for(lead).post(f"/councils/{council.slug}/engagements/new/", data)
    assert errors_of(response) == {
        "title": ["Enter a title"],
        "kind": ["Choose the kind of engagement"],
        "first_onsite_day": ["First day of the visit must be a real date"],
    }


def test_a_report_published_before_the_visit_ended_is_refused(council: Council, lead: User) -> None:
    data = new_engagement(council, **date_parts("report_published", dt.date(2024, 3, 5)))
    response = client_for(lead).post(f"/councils/{council.slug}/engagements/new/", data)
    assert errors_of(response) == {
        "report_published": ["The report cannot be published before the last day of the visit"]
    }


def test_two_themes_with_one_name_are_refused(council: Council, lead: User) -> None:
    data = new_engagement(council, themes="Governance\nFinance\ngovernance")
    response = client_for(lead).post(f"/councils/{council.slug}/engagements/new/", data)
    assert errors_of(response) == {"themes": ["Theme names must be different: “governance” appears twice"]}


def test_a_return_visit_belongs_to_a_challenge_of_the_same_council(
    council: Council, other_council: Council, lead: User
) -> None:
    challenge = EngagementFactory(council=council)
    theirs = EngagementFactory(council=other_council)
    client = client_for(lead)
    data = new_engagement(council, title="Progress review", parent=str(theirs.pk))
    response = client.post(f"/councils/{council.slug}/engagements/new/", data)
    assert errors_of(response) == {"parent": ["Choose a peer challenge of this council"]}

    data["parent"] = str(challenge.pk)
    assert client.post(f"/councils/{council.slug}/engagements/new/", data).status_code == 302
    assert Engagement.objects.get(title="Progress review").parent == challenge


def test_the_services_refuse_another_councils_parent_and_a_non_lead(
    council: Council, other_council: Council, lead: User, officer: User
) -> None:
    theirs = EngagementFactory(council=other_council)
    with pytest.raises(ValidationError) as error:
        services.engagement_create(council=council, by=lead, title="Review", kind=cpc(), parent=theirs)
    assert error.value.message_dict == {"parent": ["Choose a peer challenge of this council"]}
    with pytest.raises(PermissionDenied):
        services.engagement_create(council=council, by=officer, title="Review", kind=cpc())
    with pytest.raises(PermissionDenied):
        services.engagement_create(council=other_council, by=lead, title="Review", kind=cpc())
    assert not Engagement.objects.filter(title="Review").exists()


# --- changing an engagement and its themes ---------------------------------------------------------------


@pytest.fixture
def engagement(council: Council) -> Engagement:
    engagement = EngagementFactory(council=council, title="CPC 2019")
    for position, name in enumerate(["Leadership of place", "Capacity to deliver", "Financial viability"]):
        ThemeFactory(engagement=engagement, name=name, position=position)
    return engagement


def edit_data(client: object, engagement: Engagement) -> dict[str, str]:
    response = client.get(f"/councils/{engagement.council.slug}/engagements/{engagement.pk}/edit/")
    assert response.status_code == 200
    return form_data(response.context["form"])


def theme(engagement: Engagement, name: str) -> Theme:
    return engagement.themes.get(name=name)


def test_renaming_a_theme_keeps_its_recommendations(engagement: Engagement, lead: User) -> None:
    leadership = theme(engagement, "Leadership of place")
    recommendation = RecommendationFactory(engagement=engagement, theme=leadership)
    client = client_for(lead)
    data = edit_data(client, engagement)
    data[f"theme_{leadership.pk}"] = "Organisational and place leadership"
    data["new_themes"] = "Governance and culture\n\n"
    data["title"] = "Corporate Peer Challenge 2019"
    response = client.post(f"/councils/{engagement.council.slug}/engagements/{engagement.pk}/edit/", data)
    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.theme.name == "Organisational and place leadership"
    assert recommendation.theme_id == leadership.pk
    assert list(engagement.themes.order_by("position").values_list("name", flat=True)) == [
        "Organisational and place leadership",
        "Capacity to deliver",
        "Financial viability",
        "Governance and culture",
    ]
    engagement.refresh_from_db()
    assert engagement.title == "Corporate Peer Challenge 2019"
    assert engagement.history.first().history_user == lead


def test_an_unused_theme_is_removed_by_clearing_its_box(engagement: Engagement, lead: User) -> None:
    unused = theme(engagement, "Financial viability")
    client = client_for(lead)
    data = {**edit_data(client, engagement), f"theme_{unused.pk}": ""}
    response = client.post(f"/councils/{engagement.council.slug}/engagements/{engagement.pk}/edit/", data)
    assert response.status_code == 302
    assert not Theme.objects.filter(pk=unused.pk).exists()


def test_a_theme_in_use_cannot_be_removed(engagement: Engagement, lead: User) -> None:
    used = theme(engagement, "Capacity to deliver")
    RecommendationFactory(engagement=engagement, theme=used, reference="R2")
    RecommendationFactory(engagement=engagement, theme=used, reference="R5")
    client = client_for(lead)
    data = {**edit_data(client, engagement), f"theme_{used.pk}": "", "title": "Changed title"}
    response = client.post(f"/councils/{engagement.council.slug}/engagements/{engagement.pk}/edit/", data)
    assert response.status_code == 200
    assert errors_of(response) == {
        f"theme_{used.pk}": [
            "You cannot remove the theme “Capacity to deliver” because R2, R5 use it: "
            "choose another theme for them first"
        ]
    }
    assert "<title>Error: " in response.content.decode()
    assert Theme.objects.filter(pk=used.pk).exists()
    engagement.refresh_from_db()
    assert engagement.title == "CPC 2019"  # nothing was saved


def test_two_themes_can_swap_names(engagement: Engagement, lead: User) -> None:
    first, second = theme(engagement, "Leadership of place"), theme(engagement, "Capacity to deliver")
    client = client_for(lead)
    data = {
        **edit_data(client, engagement),
        f"theme_{first.pk}": "Capacity to deliver",
        f"theme_{second.pk}": "Leadership of place",
    }
    assert (
        client.post(f"/councils/{engagement.council.slug}/engagements/{engagement.pk}/edit/", data).status_code == 302
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.name, second.name) == ("Capacity to deliver", "Leadership of place")


def test_theme_set_refuses_another_engagements_theme(engagement: Engagement, lead: User) -> None:
    elsewhere = ThemeFactory(engagement=EngagementFactory(council=engagement.council))
    with pytest.raises(ValidationError):
        services.theme_set(engagement=engagement, by=lead, themes=[(elsewhere.pk, "Stolen")])
    elsewhere.refresh_from_db()
    assert elsewhere.name != "Stolen"


def test_an_engagement_cannot_belong_to_itself_or_its_return_visit(engagement: Engagement, lead: User) -> None:
    review = EngagementFactory(council=engagement.council, parent=engagement, title="Review")
    client = client_for(lead)
    data = {**edit_data(client, engagement), "parent": str(engagement.pk)}
    url = f"/councils/{engagement.council.slug}/engagements/{engagement.pk}/edit/"
    assert errors_of(client.post(url, data)) == {"parent": ["Choose a peer challenge of this council"]}
    data["parent"] = str(review.pk)
    assert errors_of(client.post(url, data)) == {"parent": ["Choose a peer challenge of this council"]}
    with pytest.raises(ValidationError):
        services.engagement_update(engagement=engagement, by=lead, parent=review)


# --- the peer team ------------------------------------------------------------------------------------


def test_a_lead_adds_a_peer_and_takes_one_off(engagement: Engagement, lead: User) -> None:
    client = client_for(lead)
    base = f"/councils/{engagement.council.slug}/engagements/{engagement.pk}"
    response = client.post(
        f"{base}/peers/new/", {"name": "Cllr Ann Example", "role": "lead_peer", "organisation": "Felpersham"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"{base}/#peer-team"
    peer = engagement.peers.get()
    assert (peer.name, peer.role, peer.organisation) == ("Cllr Ann Example", "lead_peer", "Felpersham")

    # the same peer on a return visit is the same person, not a copy
    review = EngagementFactory(council=engagement.council, parent=engagement)
    client.post(
        f"/councils/{engagement.council.slug}/engagements/{review.pk}/peers/new/",
        {"name": "Cllr Ann Example", "role": "lead_peer", "organisation": "Felpersham"},
    )
    assert list(review.peers.all()) == [peer]

    response = client.post(f"{base}/peers/{peer.pk}/remove/")
    assert response.status_code == 302
    assert not engagement.peers.exists()
    assert list(review.peers.all()) == [peer]


def test_a_peer_needs_a_name_and_a_role(engagement: Engagement, lead: User) -> None:
    url = f"/councils/{engagement.council.slug}/engagements/{engagement.pk}/peers/new/"
    response = client_for(lead).post(url, {"name": "", "organisation": "Felpersham"})
    assert errors_of(response) == {"name": ["Enter the peer's name"], "role": ["Choose the peer's role on the team"]}
    assert "<title>Error: " in response.content.decode()
    assert 'value="Felpersham"' in response.content.decode()


def test_a_peer_of_another_engagement_cannot_be_removed_through_this_one(
    engagement: Engagement, lead: User, other_council: Council
) -> None:
    peer = EngagementFactory(council=other_council).peers.create(name="Someone", role="member_peer")
    url = f"/councils/{engagement.council.slug}/engagements/{engagement.pk}/peers/{peer.pk}/remove/"
    assert client_for(lead).post(url).status_code == 404


# --- who may do what ----------------------------------------------------------------------------------


LEAD_PAGES = ["new/", "{pk}/edit/", "{pk}/peers/new/"]


@pytest.mark.parametrize("persona", ["officer", "leadership", "adviser"])
@pytest.mark.parametrize("page", LEAD_PAGES)
def test_members_who_are_not_leads_get_403(persona: str, page: str, personas: object, engagement: Engagement) -> None:
    client = client_for(personas.get(persona))
    url = f"/councils/{engagement.council.slug}/engagements/" + page.format(pk=engagement.pk)
    assert client.get(url).status_code == 403
    assert client.post(url, new_engagement(engagement.council)).status_code == 403
    assert Engagement.objects.count() == 1


@pytest.mark.parametrize("page", LEAD_PAGES)
def test_the_outsider_gets_404_on_lead_pages(page: str, outsider: User, engagement: Engagement) -> None:
    url = f"/councils/{engagement.council.slug}/engagements/" + page.format(pk=engagement.pk)
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(outsider).post(url, new_engagement(engagement.council)).status_code == 404


@pytest.mark.parametrize("page", LEAD_PAGES)
def test_lead_pages_answer_only_get_and_post(page: str, lead: User, engagement: Engagement) -> None:
    url = f"/councils/{engagement.council.slug}/engagements/" + page.format(pk=engagement.pk)
    assert client_for(lead).put(url).status_code == 405


def test_removing_a_peer_is_a_post_for_leads_only(engagement: Engagement, lead: User, officer: User) -> None:
    peer = engagement.peers.create(name="Cllr Ann Example", role="lead_peer")
    url = f"/councils/{engagement.council.slug}/engagements/{engagement.pk}/peers/{peer.pk}/remove/"
    assert client_for(lead).get(url).status_code == 405
    assert client_for(officer).post(url).status_code == 403
    with pytest.raises(PermissionDenied):
        services.peer_remove(engagement=engagement, by=officer, peer=peer)
    assert engagement.peers.exists()
