"""Pages run the same number of queries whatever the size of the plan (exact equality at 1× and 10×)."""

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
    """`scale` recommendations, each carrying `scale` actions and `scale` approved updates with evidence."""
    engagement = EngagementFactory(council=council)
    first = None
    for r in range(scale):
        recommendation = RecommendationFactory(engagement=engagement, owner=lead)
        first = first or recommendation
        for a in range(scale):
            ActionFactory(recommendation=recommendation, reference=f"{r + 1}.{a + 1}", owner=lead)
            update = services.update_record(
                item=recommendation, author=lead, status=Status.IN_PROGRESS, rag=Rag.GREEN, at=at(2020, 1, 1 + a)
            )
            update.evidence.add(EvidenceFactory(council=council))
    return first


def queries(get: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as context:
        response = get()
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("page", ["council_home", "recommendation_detail", "action_detail"])
def test_page_queries_do_not_grow_with_the_data(page: str, council: Council, lead: User) -> None:
    client = client_for(lead)

    def url(recommendation: Recommendation) -> str:
        return {
            "council_home": f"/councils/{council.slug}/",
            "recommendation_detail": f"/councils/{council.slug}/recommendations/{recommendation.pk}/",
            "action_detail": f"/councils/{council.slug}/actions/{recommendation.actions.first().pk}/",
        }[page]

    small = build_plan(council, lead, scale=1)
    small_count = queries(lambda: client.get(url(small)))
    large = build_plan(council, lead, scale=10)
    assert queries(lambda: client.get(url(large))) == small_count
