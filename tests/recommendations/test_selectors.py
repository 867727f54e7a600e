"""Scoping: selectors return only what the user's memberships allow; anything else is a 404."""

import datetime as dt

import pytest
from django.http import Http404

from recommendations import selectors
from recommendations.models import Council, Membership, User

from ..factories import ActionFactory, EvidenceFactory, RecommendationFactory, at

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


def test_an_items_evidence_is_as_each_member_may_see_it_and_as_it_stood(
    council: Council, adviser: User, lead: User
) -> None:
    """An item page's evidence (`evidence_supporting`, a compiled read): the item's own, newest first; an adviser
    without the internal pieces; as at a past date, only what had been added by the end of it."""
    action = ActionFactory(recommendation__engagement__council=council)
    older = EvidenceFactory(council=council, title="Cabinet report", created_at=at(2021, 1, 5))
    internal = EvidenceFactory(council=council, title="Draft paper", internal=True, created_at=at(2021, 2, 5))
    newer = EvidenceFactory(council=council, title="Board minutes", created_at=at(2021, 3, 5))
    EvidenceFactory(council=council, title="Another action's")  # not this item's
    action.evidence.add(older, internal, newer)

    def shown(user: User, as_at: dt.date | None = None) -> list[str]:
        found = selectors.evidence_supporting(user=user, council_slug=council.slug, item=action, as_at=as_at)
        return [piece.title for piece in found]

    assert shown(lead) == ["Board minutes", "Draft paper", "Cabinet report"]
    assert shown(adviser) == ["Board minutes", "Cabinet report"]
    assert shown(lead, dt.date(2021, 2, 28)) == ["Draft paper", "Cabinet report"]
    assert shown(adviser, dt.date(2021, 2, 28)) == ["Cabinet report"]


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
