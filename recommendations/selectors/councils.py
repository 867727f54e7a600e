"""Councils, memberships and roles: where every scoped read starts."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.db.models import (
    Case,
    Count,
    Func,
    IntegerField,
    Model,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from recommendations.models import (
    Action,
    Council,
    Membership,
    ProgressUpdate,
    Recommendation,
    User,
)

from .statements import Statement

M = TypeVar("M", bound=Model)


def councils_for(*, user: User) -> QuerySet[Council]:
    """The councils the user is an active member of."""
    if not user.is_authenticated or not user.is_active:
        return Council.objects.none()
    return Council.objects.filter(memberships__user=user, memberships__is_active=True).distinct()


def memberships_for(*, user: User) -> QuerySet[Membership]:
    """The user's active memberships, with their councils."""
    if not user.is_authenticated or not user.is_active:
        return Membership.objects.none()
    return Membership.objects.filter(user=user, is_active=True).select_related("council").order_by("council__name")


# The membership a council page resolved first (`membership_known`): the selectors the page then calls each
# resolve it again from (user, slug), and would each run the same query.
_known: ContextVar[Membership | None] = ContextVar("known_membership", default=None)


@contextmanager
def membership_known(membership: Membership) -> Iterator[None]:
    """Within the block (one request's view), `membership_get` answers for this membership's user and
    council without a query."""
    token = _known.set(membership)
    try:
        yield
    finally:
        _known.reset(token)


def waiting_counted(council: Any, *, author: int | None = None) -> tuple[Subquery, Subquery]:
    """How many of the council's (`council`: its id, or a reference to it) recommendations and actions have an
    update waiting for sign-off (the author's, where one is given), as two subqueries. An item has at most one
    submitted update (a unique index), so each count is of the council's items that have one, each looked up by
    the item in that index: the work is the council's items, however many updates wait in other councils."""
    waiting = ProgressUpdate.objects.filter(review_state=ProgressUpdate.ReviewState.SUBMITTED).order_by()
    if author is not None:
        waiting = waiting.filter(author_id=author)

    def counted(items: QuerySet, link: str, council_path: str) -> Subquery:
        waits = waiting.filter(**{f"{link}_id": OuterRef("pk")}).values("pk")[:1]  # one probe an item
        of_council = items.order_by().filter(**{council_path: council})
        of_council = of_council.annotate(waits=Subquery(waits)).filter(waits__isnull=False)
        # COUNT without GROUP BY: one row whatever matches.
        return Subquery(of_council.annotate(n=Func("pk", function="COUNT", output_field=IntegerField())).values("n"))

    return (
        counted(Recommendation.objects.all(), "recommendation", "engagement__council_id"),
        counted(Action.objects.all(), "action", "recommendation__engagement__council_id"),
    )


def _membership_rows(user: int, slug: str) -> QuerySet[Membership]:
    """The membership, with its council and, for a lead, how many updates wait for their sign-off (the Reviews tab
    shows it on every page: read here, it costs no query of its own)."""
    recommendations, actions = waiting_counted(OuterRef("council_id"))
    lead = Membership.Role.LEAD
    return (
        Membership.objects.filter(user_id=user, council__slug=slug, is_active=True)
        .select_related("council")
        .annotate(
            reviews_waiting=Case(
                When(role=lead, then=recommendations + actions), default=None, output_field=IntegerField()
            )
        )
    )


# A council page's first read, on every request: compiling it cost 0.5 ms of CPU, three times what running it
# costs (statements.py).
_MEMBERSHIP = Statement(_membership_rows, user=int, slug=str)


def membership_get(*, user: User, council_slug: str) -> Membership:
    """The user's active membership of the council, with the council, or 404."""
    if not user.is_authenticated or not user.is_active:
        raise Http404("No such council")
    known = _known.get()
    if known is not None and known.user_id == user.pk and known.council.slug == council_slug:
        return known
    found = _MEMBERSHIP.instances(user=user.pk, slug=council_slug)
    if not found:
        raise Http404("No such council")
    membership = found[0]
    membership.user = user  # the user who asked: `membership.user` costs no second query
    return membership


def _owned_count(model: type[Recommendation] | type[Action], council_path: str) -> Coalesce:
    """How many of `model` the member owns in their council, as a subquery (no query per row)."""
    owned = (
        model.objects.filter(owner=OuterRef("user_id"), **{council_path: OuterRef("council_id")})
        .order_by()
        .values("owner")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(owned[:1]), Value(0), output_field=IntegerField())


def members_for(*, user: User, council_slug: str) -> QuerySet[Membership]:
    """The council's memberships, active and not, with the user and how many recommendations and actions
    each owns in the council (`owned_recommendations`, `owned_actions`). Active members first."""
    membership = membership_get(user=user, council_slug=council_slug)
    return (
        Membership.objects.filter(council=membership.council)
        .select_related("user", "council")
        .annotate(
            owned_recommendations=_owned_count(Recommendation, "engagement__council"),
            owned_actions=_owned_count(Action, "recommendation__engagement__council"),
        )
        .order_by("-is_active", "user__first_name", "user__last_name", "user__email")
    )


def member_get(*, user: User, council_slug: str, pk: int) -> Membership:
    """One membership of the council (by its id), or 404."""
    return get_or_404(members_for(user=user, council_slug=council_slug), pk=pk)


def get_or_404(queryset: QuerySet[M], **lookup: object) -> M:
    try:
        return queryset.get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404(f"No such {queryset.model._meta.verbose_name}") from exc
