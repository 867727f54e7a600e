"""Progress updates as each member may see them: the timeline, the reviews, my work."""

import datetime as dt

from django.db.models import (
    Case,
    CharField,
    DateTimeField,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf

from recommendations.models import (
    Action,
    Council,
    Evidence,
    Membership,
    ProgressUpdate,
    Recommendation,
    User,
)

from .councils import get_or_404, membership_get
from .position import end_of_day
from .statements import Statement


def _visible(membership: Membership) -> Q:
    """Approved updates: every member. Submitted and returned: their author and the council's leads.
    Drafts: their author only."""
    state = ProgressUpdate.ReviewState
    visible = Q(review_state=state.APPROVED) | Q(author_id=membership.user_id)
    if membership.role == Membership.Role.LEAD:
        visible |= Q(review_state__in=[state.SUBMITTED, state.RETURNED])
    return visible


def _updates_visible(membership: Membership) -> QuerySet[ProgressUpdate]:
    """The updates in the member's council that they may see (`_visible`). The council's items are found first
    (an update's item among them), not each update joined to its item's council through both kinds of item:
    that join read every council's items, so it grew with the whole service's plans."""
    council = membership.council
    in_council = Q(recommendation__in=Recommendation.objects.filter(engagement__council=council)) | Q(
        action__in=Action.objects.filter(recommendation__engagement__council=council)
    )
    return ProgressUpdate.objects.filter(in_council & _visible(membership))


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
    return get_or_404(queryset, pk=pk)


def timeline_for(
    *, user: User, council_slug: str, item: Recommendation | Action, as_at: dt.date | None = None
) -> list[ProgressUpdate]:
    """An item's updates as this user may see them: the pending ones first (drafts to their author;
    submitted and returned to their author and the leads), then the approved record in the order of the
    ordering rule (the update that sets the position first), each with its author and reviewer and, as a list
    (`evidence_shown`), the evidence on it the user may see. As at a past date: only the record as it stood at
    the end of that day (updates approved by then).

    Three queries whatever the number of updates: the updates, the people they name (a few, not joined to every
    update), and the evidence on the item's updates (by the item, not a list of ids). The item was reached
    through a scoped selector, so its updates are in the user's council: none of these joins the council again."""
    membership = membership_get(user=user, council_slug=council_slug)
    link = "recommendation" if isinstance(item, Recommendation) else "action"
    updates = ProgressUpdate.objects.filter(_visible(membership), **{link: item})
    if as_at is not None:
        updates = updates.filter(review_state=ProgressUpdate.ReviewState.APPROVED, approved_at__lt=end_of_day(as_at))
    timeline = list(
        updates.order_by(
            Case(When(review_state=ProgressUpdate.ReviewState.APPROVED, then=Value(1)), default=Value(0)),
            F("submitted_at").desc(nulls_first=True),
            "-created_at",
            "-pk",
        )
    )
    if not timeline:
        return timeline
    people = User.objects.in_bulk(
        {update.author_id for update in timeline} | {update.reviewer_id for update in timeline}
    )
    evidence = Evidence.objects.filter(council=membership.council, **{f"updates__{link}": item})
    if membership.role == Membership.Role.ADVISER:
        evidence = evidence.filter(internal=False)
    shown: dict[int, list[Evidence]] = {}
    for piece in evidence.annotate(update_pk=F("updates__id")).order_by("title", "pk"):
        shown.setdefault(piece.update_pk, []).append(piece)
    for update in timeline:
        update.author = people[update.author_id]
        update.reviewer = people.get(update.reviewer_id)
        update.evidence_shown = shown.get(update.pk, [])
    return timeline


def _position_before(field: str, output_field: object) -> Coalesce:
    """`field` of the approved update that sets the outer update's item's position now (the ordering rule):
    what approving the outer update would change from. NULL where the item has none."""
    approved = ProgressUpdate.objects.approved().annotate(
        effective_rag=Coalesce(NullIf("assurance_rag", Value("")), "rag")
    )
    of_recommendation = approved.filter(recommendation_id=OuterRef("recommendation_id")).values(field)[:1]
    of_action = approved.filter(action_id=OuterRef("action_id")).values(field)[:1]
    return Coalesce(Subquery(of_recommendation), Subquery(of_action), output_field=output_field)


def reviews_waiting(*, user: User, council_slug: str) -> QuerySet[ProgressUpdate]:
    """Submitted updates waiting for a lead's sign-off, oldest first, each with its item and author and the
    position it would change from (`before_status`, `before_rag`, and `before_submitted_at` and `before_pk`,
    the ordering key of the update that sets it; NULL where none does): a fixed number of queries."""
    membership = membership_get(user=user, council_slug=council_slug)
    queryset = _updates_visible(membership).filter(review_state=ProgressUpdate.ReviewState.SUBMITTED)
    return (
        _with_evidence(queryset, membership)
        .select_related("author", "recommendation", "action__recommendation")
        .annotate(
            before_status=_position_before("status", CharField()),
            before_rag=_position_before("effective_rag", CharField()),
            before_submitted_at=_position_before("submitted_at", DateTimeField()),
            before_pk=_position_before("pk", IntegerField()),
        )
        .order_by("submitted_at", "pk")
    )


def _waiting_counts(council: int, author: int | None = None) -> QuerySet:
    """The council's submitted updates (the author's alone where one is given), counted as the recommendations'
    and the actions'. An item has at most one submitted update (a unique index), so each count is of the
    council's items that have one, each looked up by the item in that index: the work is the council's items,
    however many updates wait in other councils."""
    waiting = ProgressUpdate.objects.filter(review_state=ProgressUpdate.ReviewState.SUBMITTED).order_by()
    if author is not None:
        waiting = waiting.filter(author_id=author)

    def counted(items: QuerySet, link: str, council_path: str) -> Subquery:
        waits = waiting.filter(**{f"{link}_id": OuterRef("pk")}).values("pk")[:1]  # one probe an item
        of_council = items.order_by().filter(**{council_path: OuterRef("pk")})
        of_council = of_council.annotate(waits=Subquery(waits)).filter(waits__isnull=False)
        # COUNT without GROUP BY: one row whatever matches.
        return Subquery(of_council.annotate(n=Func("pk", function="COUNT", output_field=IntegerField())).values("n"))

    counts = Council.objects.filter(pk=council).order_by()
    counts = counts.annotate(
        recommendations=counted(Recommendation.objects.all(), "recommendation", "engagement__council_id"),
        actions=counted(Action.objects.all(), "action", "recommendation__engagement__council_id"),
    )
    return counts.values_list("recommendations", "actions")


# A lead's every page shows the count (statements.py: compiled once a process).
_WAITING_FOR_LEAD = Statement(_waiting_counts, council=int)
_WAITING_OWN = Statement(_waiting_counts, council=int, author=int)


def reviews_waiting_count(*, membership: Membership) -> int:
    """How many updates wait for sign-off in the member's council (one query): for the Reviews tab. The updates
    they may see (`_updates_visible`) that are submitted: all of the council's for a lead, else their own. Counted
    as the recommendations' plus the actions', each starting from the council's own rows (an index read) rather
    than from every council's submitted updates."""
    if membership.role == Membership.Role.LEAD:
        [(recommendations, actions)] = _WAITING_FOR_LEAD.rows(council=membership.council_id)
    else:
        [(recommendations, actions)] = _WAITING_OWN.rows(council=membership.council_id, author=membership.user_id)
    return recommendations + actions


def my_updates_waiting(*, user: User, council_slug: str) -> QuerySet[ProgressUpdate]:
    """The user's drafts and returned updates: what waits for them to finish."""
    membership = membership_get(user=user, council_slug=council_slug)
    state = ProgressUpdate.ReviewState
    return (
        _updates_visible(membership)
        .filter(author=user, review_state__in=[state.DRAFT, state.RETURNED, state.SUBMITTED])
        .select_related(
            "reviewer", "recommendation__engagement__council", "action__recommendation__engagement__council"
        )
        .order_by("-created_at", "-pk")
    )
