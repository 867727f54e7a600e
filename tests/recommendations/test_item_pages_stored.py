"""An item's page as at today reads the stored position with the row and works out what stands out in Python
(selectors.recommendation_stored_get, action_stored_get, actions_stored_under): the values must be those the
annotations give (with_position and with_attention_flags), whatever the item's shape."""

import datetime as dt

import pytest
from django.http import Http404
from django.utils import timezone

from recommendations import selectors, services
from recommendations.models import Action, Council, Membership, Rag, Recommendation, Status, User

from ..conftest import client_for
from ..factories import ActionFactory, DirectorateFactory, EngagementFactory, RecommendationFactory, ThemeFactory, at

pytestmark = pytest.mark.django_db

VALUES = (
    "position_status",
    "position_rag",
    "position_due_date",
    "position_updated_at",
    "position_owner_id",
    "position_owner_name",
    "position_owner_email",
    "position_theme_id",
    "position_theme_name",
    "position_lead_directorate_id",
    "position_lead_directorate_name",
    "is_overdue",
    "is_overdue_green",
    "is_stale",
    "last_approved_at",
)


def values(item: Recommendation | Action) -> dict[str, object]:
    names = (*VALUES, "position_percent_complete") if isinstance(item, Action) else VALUES
    return {name: getattr(item, name) for name in names}


@pytest.fixture
def plan(council: Council, lead: User) -> Recommendation:
    """Items of every shape: overdue and rated Green, overdue and finished, updated lately or long ago or never,
    due today, with and without an owner (one with no name), a theme and a directorate."""
    today = timezone.localdate()
    engagement = EngagementFactory(council=council)
    nameless = User.objects.create_user(email="nameless@borsetshire.example", password="x")  # noqa: S106
    Membership.objects.create(user=nameless, council=council, role=Membership.Role.OFFICER)
    recommendation = RecommendationFactory(
        engagement=engagement,
        theme=ThemeFactory(engagement=engagement),
        lead_directorate=DirectorateFactory(council=council),
        owner=lead,
        due_date=today - dt.timedelta(days=1),
    )
    services.update_record(
        item=recommendation, author=lead, status=Status.IN_PROGRESS, rag=Rag.GREEN, at=at(2020, 2, 1)
    )
    shapes = [
        (lead, today - dt.timedelta(days=10), Status.IN_PROGRESS, Rag.GREEN, timezone.now() - dt.timedelta(days=2)),
        (nameless, today - dt.timedelta(days=3), Status.IN_PROGRESS, Rag.RED, timezone.now() - dt.timedelta(days=2)),
        (None, today - dt.timedelta(days=400), Status.COMPLETE, Rag.GREEN, at(2020, 2, 1)),
        (None, None, None, None, None),
        (lead, today, Status.IN_PROGRESS, Rag.AMBER, at(2021, 1, 1)),
    ]
    for number, (owner, due, status, rag, when) in enumerate(shapes, start=1):
        action = ActionFactory(recommendation=recommendation, reference=f"1.{number}", owner=owner, due_date=due)
        if status is not None:
            reason = "" if rag == Rag.GREEN else "Late"
            services.update_record(item=action, author=lead, status=status, rag=rag, rag_reason=reason, at=when)
    return recommendation


@pytest.mark.parametrize("persona", ["lead", "officer", "adviser"])
def test_the_stored_reads_give_what_the_annotations_give(
    plan: Recommendation, persona: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(persona)
    read = {"user": user, "council_slug": "borsetshire"}
    membership = selectors.membership_get(**read)
    stored = selectors.recommendation_stored_get(**read, pk=plan.pk)
    assert values(stored) == values(selectors.recommendation_get(**read, pk=plan.pk))
    annotated = list(selectors.actions_for(**read).filter(recommendation=plan))
    under = selectors.actions_stored_under(recommendation=stored, membership=membership)
    assert [values(action) for action in under] == [values(action) for action in annotated]
    assert [action.pk for action in under] == [action.pk for action in annotated]
    for action in annotated:
        assert values(selectors.action_stored_get(**read, pk=action.pk)) == values(action)
    # every shape is there: each flag both ways
    assert {action.is_overdue for action in under} == {True, False}
    assert {action.is_overdue_green for action in under} == {True, False}
    assert {action.is_stale for action in under} == {True, False}


def test_the_stored_reads_are_scoped_to_the_council(plan: Recommendation, outsider: User) -> None:
    with pytest.raises(Http404):
        selectors.recommendation_stored_get(user=outsider, council_slug="borsetshire", pk=plan.pk)


def test_a_page_with_no_updates_evidence_or_actions_says_so(council: Council, lead: User) -> None:
    recommendation = RecommendationFactory(engagement=EngagementFactory(council=council))
    for query in ("", "?as_at=2019-06-01"):
        response = client_for(lead).get(f"/councils/{council.slug}/recommendations/{recommendation.pk}/{query}")
        html = response.content.decode()
        assert "No progress has been recorded yet." in html and "govuk-summary-card" not in html
        assert "No evidence has been approved for this yet." in html
        assert "There are no actions under this recommendation yet." in html
