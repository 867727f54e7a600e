"""Pages run the same number of queries whatever the size of the plan (exact equality at 1× and 4×: one row
against many shows any query per row)."""

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recommendations import services
from recommendations.models import Council, Rag, Recommendation, Status, User

from ..conftest import client_for
from ..factories import ActionFactory, EngagementFactory, EvidenceFactory, RecommendationFactory, at

pytestmark = pytest.mark.django_db


def build_plan(council: Council, lead: User, scale: int) -> Recommendation:
    """`scale` recommendations of `scale` actions each. Every item carries a moved due date, a submitted
    update and a draft; the first recommendation and its actions (the ones whose pages are measured)
    carry `scale` approved updates with evidence each, the others one, so every list on every page grows."""
    engagement = EngagementFactory(council=council)
    first = None
    for r in range(scale):
        recommendation = RecommendationFactory(engagement=engagement, owner=lead)
        first = first or recommendation
        items = [recommendation] + [
            ActionFactory(recommendation=recommendation, reference=f"{r + 1}.{a + 1}", owner=lead) for a in range(scale)
        ]
        for item in items:
            for day in range(scale if recommendation == first else 1):
                update = services.update_record(
                    item=item,
                    author=lead,
                    status=Status.IN_PROGRESS,
                    rag=Rag.AMBER,
                    rag_reason="Late",
                    at=at(2020, 1, 1 + day),
                )
                evidence = EvidenceFactory(council=council)
                update.evidence.add(evidence)
                item.evidence.add(evidence)
            services.due_date_move(item=item, new_due_date=dt.date(2030, 1, 1), reason="Later", by=lead)
            submitted = services.update_create(item=item, author=lead, status=Status.COMPLETE, rag=Rag.GREEN)
            services.update_submit(update=submitted, notify=False)
            services.update_create(item=item, author=lead, status=Status.COMPLETE, rag=Rag.GREEN)
    return first


def waiting(recommendation: Recommendation) -> object:
    return recommendation.updates.get(review_state="submitted")


def queries(get: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as context:
        response = get()
    assert response.status_code == 200
    return len(context.captured_queries)


PAGES = (
    "council_home",
    "dashboard_as_at",
    "dashboard_filtered",
    "recommendation_detail",
    "recommendation_detail_as_at",
    "action_detail",
    "action_detail_as_at",
    "my_work",
    "review_list",
    "review_detail",
)


def url(page: str, recommendation: Recommendation) -> str:
    slug = recommendation.engagement.council.slug
    action = recommendation.actions.first()
    return {
        "council_home": f"/councils/{slug}/",
        "dashboard_as_at": f"/councils/{slug}/?as_at=2020-01-05",
        "dashboard_filtered": f"/councils/{slug}/?engagement={recommendation.engagement_id}",
        "recommendation_detail": f"/councils/{slug}/recommendations/{recommendation.pk}/",
        "recommendation_detail_as_at": f"/councils/{slug}/recommendations/{recommendation.pk}/?as_at=2020-01-05",
        "action_detail": f"/councils/{slug}/actions/{action.pk}/",
        "action_detail_as_at": f"/councils/{slug}/actions/{action.pk}/?as_at=2020-01-05",
        "my_work": f"/councils/{slug}/my-work/",
        "review_list": f"/councils/{slug}/reviews/",
        "review_detail": f"/councils/{slug}/reviews/{waiting(recommendation).pk}/",
    }[page]


def test_page_queries_do_not_grow_with_the_data(council: Council, lead: User) -> None:
    """Every page, measured on the small plan, then again once the four-times plan is in the same council (the
    data are built once for all the pages: building them is what takes the time)."""
    client = client_for(lead)
    small = build_plan(council, lead, scale=1)
    at_small = {page: queries(lambda page=page: client.get(url(page, small))) for page in PAGES}
    large = build_plan(council, lead, scale=4)
    at_large = {page: queries(lambda page=page: client.get(url(page, large))) for page in PAGES}
    assert at_large == at_small


ITEM_PAGES = ("recommendation_detail", "recommendation_detail_as_at", "action_detail", "action_detail_as_at")


def test_the_item_pages_run_a_fixed_number_of_queries(council: Council, lead: User) -> None:
    """An item's page, as at today or a past date: what every signed-in page reads, then the item with its position,
    (a recommendation's) actions, the timeline's updates with the names of their people (joined, not a query of
    their own), their evidence, the item's evidence, its due date's moves and its change history."""
    recommendation = build_plan(council, lead, scale=2)
    client = client_for(lead)
    counts = {page: queries(lambda page=page: client.get(url(page, recommendation))) for page in ITEM_PAGES}
    assert counts == {
        "recommendation_detail": 15,
        "recommendation_detail_as_at": 15,
        "action_detail": 14,
        "action_detail_as_at": 14,
    }
