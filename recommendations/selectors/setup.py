"""Setting up the plan: engagements, their themes and peers, directorates, who can own an item."""

from django.db.models import (
    Count,
    F,
    Prefetch,
    Q,
    QuerySet,
)

from recommendations.models import (
    Action,
    Directorate,
    Engagement,
    EngagementKind,
    Membership,
    Peer,
    Recommendation,
    Theme,
    User,
)

from .councils import get_or_404, membership_get
from .items import engagements_for, recommendations_for
from .position import with_position


def _themes_in_order() -> Prefetch:
    return Prefetch("themes", queryset=Theme.objects.order_by("position", "name", "pk"))


def _peers_in_order() -> Prefetch:
    return Prefetch("peers", queryset=Peer.objects.order_by("name", "pk"))


def engagements_listed(*, user: User, council_slug: str) -> QuerySet[Engagement]:
    """The council's engagements for their list, earliest first: kind, parent, themes, peer team, and
    how many recommendations and actions each carries."""
    return (
        engagements_for(user=user, council_slug=council_slug)
        .annotate(
            recommendation_count=Count("recommendations", distinct=True),
            action_count=Count("recommendations__actions", distinct=True),
        )
        .prefetch_related(_themes_in_order(), _peers_in_order())
        .order_by(F("first_onsite_day").asc(nulls_last=True), "title", "pk")
    )


def engagement_get(*, user: User, council_slug: str, pk: int) -> Engagement:
    """One of the council's engagements, with its themes, peer team and return visits, or 404."""
    children = Engagement.objects.select_related("kind").order_by(F("first_onsite_day").asc(nulls_last=True), "pk")
    queryset = engagements_for(user=user, council_slug=council_slug).prefetch_related(
        _themes_in_order(), _peers_in_order(), Prefetch("children", queryset=children)
    )
    return get_or_404(queryset, pk=pk)


def engagement_plan(*, user: User, council_slug: str, engagement: Engagement) -> QuerySet[Recommendation]:
    """The engagement's recommendations in order, each with its position today and its actions (with
    theirs), for the engagement's page."""
    actions = with_position(Action.objects.select_related("owner")).order_by("position", "reference", "pk")
    return (
        recommendations_for(user=user, council_slug=council_slug)
        .filter(engagement=engagement)
        .prefetch_related(Prefetch("actions", queryset=actions))
        .order_by("position", "reference", "pk")
    )


def engagements_in_order(*, user: User, council_slug: str) -> QuerySet[Engagement]:
    """The council's engagements, earliest first (those without dates last)."""
    return engagements_for(user=user, council_slug=council_slug).order_by(
        F("first_onsite_day").asc(nulls_last=True), "title", "pk"
    )


def engagement_parent_choices(
    *, user: User, council_slug: str, engagement: Engagement | None = None
) -> QuerySet[Engagement]:
    """What an engagement can belong to: the council's engagements, except itself and its return visits."""
    queryset = engagements_in_order(user=user, council_slug=council_slug)
    if engagement is not None:
        queryset = queryset.exclude(pk=engagement.pk).exclude(parent=engagement)
    return queryset


def engagement_kinds() -> QuerySet[EngagementKind]:
    """The kinds of engagement (reference data, the same for every council)."""
    return EngagementKind.objects.order_by("position", "name")


def engagement_peer_get(*, engagement: Engagement, pk: int) -> Peer:
    """A peer on the engagement's team (the engagement was reached through a scoped selector), or 404."""
    return get_or_404(engagement.peers.all(), pk=pk)


def peers_for(*, user: User, council_slug: str) -> QuerySet[Peer]:
    """The peers on any of the council's engagements, by name."""
    membership = membership_get(user=user, council_slug=council_slug)
    return Peer.objects.filter(engagements__council=membership.council).distinct().order_by("name", "pk")


def recommendation_choices_for(*, user: User, council_slug: str) -> QuerySet[Recommendation]:
    """The council's recommendations, engagement by engagement in the plan's order, to choose from (without
    their position, which a list of choices does not show)."""
    membership = membership_get(user=user, council_slug=council_slug)
    return (
        Recommendation.objects.filter(engagement__council=membership.council)
        .select_related("engagement")
        .order_by(
            F("engagement__first_onsite_day").asc(nulls_last=True), "engagement_id", "position", "reference", "pk"
        )
    )


def themes_of(*, engagement: Engagement) -> QuerySet[Theme]:
    """The engagement's themes in order, each with how many recommendations use it (the engagement was
    reached through a scoped selector)."""
    return (
        Theme.objects.filter(engagement=engagement)
        .annotate(recommendation_count=Count("recommendations"))
        .order_by("position", "name", "pk")
    )


def directorates_for(*, user: User, council_slug: str) -> QuerySet[Directorate]:
    membership = membership_get(user=user, council_slug=council_slug)
    return Directorate.objects.filter(council=membership.council).order_by("name")


def plan_owners_for(*, user: User, council_slug: str, keep: User | None = None) -> QuerySet[User]:
    """Who can own a recommendation or action: the council's active officers and leads (and `keep`, an
    item's current owner, even after they left, so that an edit does not have to change it)."""
    membership = membership_get(user=user, council_slug=council_slug)
    owners = Membership.objects.filter(
        council=membership.council,
        is_active=True,
        user__is_active=True,
        role__in=[Membership.Role.OFFICER, Membership.Role.LEAD],
    ).values("user_id")
    wanted = Q(pk__in=owners)
    if keep is not None:
        wanted |= Q(pk=keep.pk)
    return User.objects.filter(wanted).order_by("first_name", "last_name", "email")
