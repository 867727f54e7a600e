"""Reads. Every look-up of council data starts from the user's memberships, so nothing outside a
user's councils can be reached: it answers 404, which does not confirm that it exists."""

import datetime as dt
from collections.abc import Iterable
from typing import TypeVar

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Model,
    OuterRef,
    Prefetch,
    Q,
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
    Directorate,
    DueDateChange,
    Engagement,
    EngagementKind,
    Evidence,
    Membership,
    Peer,
    ProgressUpdate,
    Recommendation,
    Theme,
    User,
)

from .position import end_of_day as end_of_day
from .position import latest_approved as latest_approved
from .position import local_today as local_today
from .position import position_update_get as position_update_get
from .position import with_position as with_position
from .position import with_position_text as with_position_text
from .position import with_rag_sign_off as with_rag_sign_off

M = TypeVar("M", bound=Model)
Item = TypeVar("Item", Recommendation, Action)


# --- councils and roles -------------------------------------------------------------------------


def councils_for(*, user: User) -> QuerySet[Council]:
    """The councils the user is an active member of."""
    if not user.is_authenticated or not user.is_active:
        return Council.objects.none()
    return Council.objects.filter(memberships__user=user, memberships__is_active=True).distinct()


def membership_get(*, user: User, council_slug: str) -> Membership:
    """The user's active membership of the council, or 404."""
    if not user.is_authenticated or not user.is_active:
        raise Http404("No such council")
    try:
        return Membership.objects.select_related("council").get(user=user, council__slug=council_slug, is_active=True)
    except Membership.DoesNotExist as exc:
        raise Http404("No such council") from exc


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
    return _get_or_404(members_for(user=user, council_slug=council_slug), pk=pk)


def _get_or_404(queryset: QuerySet[M], **lookup: object) -> M:
    try:
        return queryset.get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404(f"No such {queryset.model._meta.verbose_name}") from exc


# --- plan items ---------------------------------------------------------------------------------


def engagements_for(*, user: User, council_slug: str) -> QuerySet[Engagement]:
    membership = membership_get(user=user, council_slug=council_slug)
    return Engagement.objects.filter(council=membership.council).select_related("kind", "parent")


def recommendations_for(*, user: User, council_slug: str, as_at: dt.date | None = None) -> QuerySet[Recommendation]:
    membership = membership_get(user=user, council_slug=council_slug)
    queryset = Recommendation.objects.filter(engagement__council=membership.council).select_related(
        "engagement", "theme", "owner", "lead_directorate"
    )
    return with_position(queryset, as_at=as_at)


def recommendation_get(*, user: User, council_slug: str, pk: int, as_at: dt.date | None = None) -> Recommendation:
    """One recommendation as at the end of `as_at` (today by default), or 404 (also where it did not exist yet)."""
    return _get_or_404(recommendations_for(user=user, council_slug=council_slug, as_at=as_at), pk=pk)


def actions_for(*, user: User, council_slug: str, as_at: dt.date | None = None) -> QuerySet[Action]:
    membership = membership_get(user=user, council_slug=council_slug)
    queryset = Action.objects.filter(recommendation__engagement__council=membership.council).select_related(
        "recommendation", "recommendation__engagement", "owner"
    )
    return with_position(queryset, as_at=as_at)


def action_get(*, user: User, council_slug: str, pk: int, as_at: dt.date | None = None) -> Action:
    """One action as at the end of `as_at` (today by default), or 404 (also where it did not exist yet)."""
    return _get_or_404(actions_for(user=user, council_slug=council_slug, as_at=as_at), pk=pk)


def approved_updates_for(*, user: User, council_slug: str, item: Recommendation | Action) -> QuerySet[ProgressUpdate]:
    """The record: approved updates, newest first, with the evidence this user may see."""
    link = "recommendation" if isinstance(item, Recommendation) else "action"
    evidence = evidence_for(user=user, council_slug=council_slug)
    return (
        ProgressUpdate.objects.approved()
        .filter(**{link: item})
        .select_related("author", "reviewer")
        .prefetch_related(Prefetch("evidence", queryset=evidence))
    )


# --- progress updates ---------------------------------------------------------------------------


def _updates_visible(membership: Membership) -> QuerySet[ProgressUpdate]:
    """Approved updates: every member. Submitted and returned: their author and the council's leads.
    Drafts: their author only."""
    council = membership.council
    in_council = Q(recommendation__engagement__council=council) | Q(action__recommendation__engagement__council=council)
    state = ProgressUpdate.ReviewState
    visible = Q(review_state=state.APPROVED) | Q(author=membership.user)
    if membership.role == Membership.Role.LEAD:
        visible |= Q(review_state__in=[state.SUBMITTED, state.RETURNED])
    return ProgressUpdate.objects.filter(in_council & visible)


def _with_evidence(queryset: QuerySet[ProgressUpdate], membership: Membership) -> QuerySet[ProgressUpdate]:
    evidence = Evidence.objects.filter(council=membership.council).order_by("title", "pk")
    if membership.role == Membership.Role.ADVISER:
        evidence = evidence.filter(internal=False)
    return queryset.prefetch_related(Prefetch("evidence", queryset=evidence))


def update_get(*, user: User, council_slug: str, pk: int) -> ProgressUpdate:
    """One update the user may see, with its item, or 404."""
    membership = membership_get(user=user, council_slug=council_slug)
    queryset = _with_evidence(_updates_visible(membership), membership).select_related(
        "author",
        "reviewer",
        "recommendation__engagement__council",
        "recommendation__owner",
        "action__recommendation__engagement__council",
        "action__owner",
    )
    return _get_or_404(queryset, pk=pk)


def timeline_for(*, user: User, council_slug: str, item: Recommendation | Action) -> QuerySet[ProgressUpdate]:
    """An item's updates as this user may see them: the pending ones first (drafts to their author;
    submitted and returned to their author and the leads), then the approved record in the order of the
    ordering rule (the update that sets the position first)."""
    membership = membership_get(user=user, council_slug=council_slug)
    link = "recommendation" if isinstance(item, Recommendation) else "action"
    return (
        _with_evidence(_updates_visible(membership).filter(**{link: item}), membership)
        .select_related("author", "reviewer")
        .order_by(
            Case(When(review_state=ProgressUpdate.ReviewState.APPROVED, then=Value(1)), default=Value(0)),
            F("submitted_at").desc(nulls_first=True),
            "-created_at",
            "-pk",
        )
    )


def reviews_waiting(*, user: User, council_slug: str) -> QuerySet[ProgressUpdate]:
    """Submitted updates waiting for a lead's sign-off, oldest first."""
    membership = membership_get(user=user, council_slug=council_slug)
    queryset = _updates_visible(membership).filter(review_state=ProgressUpdate.ReviewState.SUBMITTED)
    return (
        _with_evidence(queryset, membership)
        .select_related("author", "recommendation", "action__recommendation")
        .order_by("submitted_at", "pk")
    )


def my_updates_waiting(*, user: User, council_slug: str) -> QuerySet[ProgressUpdate]:
    """The user's drafts and returned updates: what waits for them to finish."""
    membership = membership_get(user=user, council_slug=council_slug)
    state = ProgressUpdate.ReviewState
    return (
        _updates_visible(membership)
        .filter(author=user, review_state__in=[state.DRAFT, state.RETURNED, state.SUBMITTED])
        .select_related("reviewer", "recommendation", "action__recommendation")
        .order_by("-created_at", "-pk")
    )


def evidence_supporting(*, user: User, council_slug: str, item: Recommendation | Action) -> QuerySet[Evidence]:
    """The evidence that supports an item (from its approved updates, or linked directly)."""
    link = "recommendations" if isinstance(item, Recommendation) else "actions"
    return evidence_for(user=user, council_slug=council_slug).filter(**{link: item}).order_by("-created_at", "pk")


def due_date_changes_for(*, item: Recommendation | Action, as_at: dt.date | None = None) -> QuerySet[DueDateChange]:
    """The moves of an item's due date, oldest first (those made by the end of `as_at`, where given; the item
    was reached through a scoped selector)."""
    link = "recommendation" if isinstance(item, Recommendation) else "action"
    moves = DueDateChange.objects.filter(**{link: item})
    if as_at is not None:
        moves = moves.filter(changed_at__lt=end_of_day(as_at))
    return moves.select_related("changed_by").order_by("changed_at", "pk")


def evidence_for(*, user: User, council_slug: str) -> QuerySet[Evidence]:
    """Evidence the user may see: advisers do not see internal items."""
    membership = membership_get(user=user, council_slug=council_slug)
    queryset = Evidence.objects.filter(council=membership.council)
    if membership.role == Membership.Role.ADVISER:
        queryset = queryset.filter(internal=False)
    return queryset


def evidence_get(*, user: User, council_slug: str, pk: int) -> Evidence:
    """One piece of evidence the user may open: it supports an item (it was approved), or it is on an
    update the user may see, or they added it. A draft's file is its author's alone."""
    membership = membership_get(user=user, council_slug=council_slug)
    visible = (
        Q(recommendations__isnull=False)
        | Q(actions__isnull=False)
        | Q(added_by=user)
        | Q(updates__in=_updates_visible(membership))
    )
    queryset = evidence_for(user=user, council_slug=council_slug).filter(visible).distinct()
    return _get_or_404(queryset, pk=pk)


def _is_id(value: object) -> bool:
    text = str(value)
    return text.isascii() and text.isdigit() and len(text) <= 18


def evidence_kept_for(
    *, user: User, council_slug: str, ids: Iterable[int | str], update: ProgressUpdate | None = None
) -> QuerySet[Evidence]:
    """Of `ids`, the evidence this user added in this council that no update carries yet (or only
    `update`, the draft being changed): the uploads a rejected form kept, safe to show again. Anything
    else, or an id that is not a number, is left out."""
    membership = membership_get(user=user, council_slug=council_slug)
    wanted = {int(value) for value in ids if _is_id(value)}
    free = Q(updates__isnull=True) | Q(updates=update) if update is not None else Q(updates__isnull=True)
    return (
        Evidence.objects.filter(free, council=membership.council, added_by=user, pk__in=wanted)
        .distinct()
        .order_by("created_at", "pk")
    )


# --- setting up the plan: engagements, their themes and peers, who can own an item ----------------


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
    return _get_or_404(queryset, pk=pk)


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
    return _get_or_404(engagement.peers.all(), pk=pk)


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


def themes_by_id(*, ids: Iterable[int | None]) -> dict[int, Theme]:
    """Themes by id, with their engagement: what a page shows for the theme ids it read (ids that came
    through a scoped selector). One query."""
    wanted = {pk for pk in ids if pk is not None}
    return {theme.pk: theme for theme in Theme.objects.filter(pk__in=wanted).select_related("engagement")}


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


def item_history_at_version(*, item: Recommendation | Action, version: int) -> Model | None:
    """The item as it stood at `version` (its latest history record with that version), or None: what
    an edit form loaded at that version showed (the item was reached through a scoped selector)."""
    return item.history.filter(version=version).order_by("-history_date", "-history_id").first()
