"""Scoping: selectors return only what the user's memberships allow; anything else is a 404."""

import pytest
from django.http import Http404

from recommendations import selectors
from recommendations.models import Council, Membership, User

from ..factories import ActionFactory, EvidenceFactory, RecommendationFactory

pytestmark = pytest.mark.django_db


def test_an_outsider_cannot_reach_another_councils_recommendation(council: Council, outsider: User) -> None:
    recommendation = RecommendationFactory(engagement__council=council)
    with pytest.raises(Http404):
        selectors.recommendation_get(user=outsider, council_slug=council.slug, pk=recommendation.pk)


def test_a_member_cannot_reach_another_councils_object_through_their_own_slug(
    council: Council, other_council: Council, lead: User
) -> None:
    elsewhere = ActionFactory(recommendation__engagement__council=other_council)
    with pytest.raises(Http404):
        selectors.action_get(user=lead, council_slug=council.slug, pk=elsewhere.pk)


def test_a_deactivated_member_sees_nothing(council: Council, officer: User) -> None:
    Membership.objects.filter(user=officer).update(is_active=False)
    with pytest.raises(Http404):
        selectors.membership_get(user=officer, council_slug=council.slug)
    assert list(selectors.councils_for(user=officer)) == []


def test_advisers_do_not_see_internal_evidence(council: Council, adviser: User, lead: User) -> None:
    public = EvidenceFactory(council=council, title="Cabinet report")
    internal = EvidenceFactory(council=council, title="Draft restructure paper", internal=True)
    assert set(selectors.evidence_for(user=lead, council_slug=council.slug)) == {public, internal}
    assert list(selectors.evidence_for(user=adviser, council_slug=council.slug)) == [public]
    with pytest.raises(Http404):
        selectors.evidence_get(user=adviser, council_slug=council.slug, pk=internal.pk)


def test_lists_hold_only_the_councils_own_items(council: Council, other_council: Council, leadership: User) -> None:
    ours = RecommendationFactory(engagement__council=council)
    RecommendationFactory(engagement__council=other_council)
    assert list(selectors.recommendations_for(user=leadership, council_slug=council.slug)) == [ours]


def test_the_selectors_package_offers_every_selector_of_its_modules() -> None:
    import importlib
    import inspect
    import pkgutil

    from recommendations import selectors as package

    missing = [
        f"{module.name}.{name}"
        for module in pkgutil.iter_modules(package.__path__)
        for name, value in inspect.getmembers(importlib.import_module(f"{package.__name__}.{module.name}"))
        if inspect.isfunction(value) and not name.startswith("_") and value.__module__.endswith(module.name)
        if getattr(package, name, None) is not value
    ]
    assert missing == []
