"""Progress updates as each member may see them: the timeline, the reviews, my work."""

import dataclasses
import datetime as dt
import functools
from dataclasses import dataclass

from django.db.models import (
    Case,
    CharField,
    DateTimeField,
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

from .councils import get_or_404, membership_get, waiting_counted
from .position import end_of_day
from .statements import Statement


def _visible(membership: Membership) -> Q:
    """Approved updates: every member. Submitted and returned: their author and the council's leads.
    Drafts: their author only."""
    return _visible_to(membership.user_id, lead=membership.role == Membership.Role.LEAD)


def _visible_to(user: int, *, lead: bool) -> Q:
    state = ProgressUpdate.ReviewState
    visible = Q(review_state=state.APPROVED) | Q(author_id=user)
    if lead:
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


_PEOPLE = ("first_name", "last_name", "email")


def columns_of(model: type[Model], key: str, parts: tuple[str, ...]) -> dict[str, Subquery]:
    """Columns (`<key>_<part>`; NULL where none) of the row of `model` that a row's `key` names, each read by that
    row's primary key, an index probe a row. Joined instead, the planner hashes the whole table (every user of
    the service, say) for a page's few dozen rows: a cost that grows with the service, not with the page."""
    return {
        f"{key}_{part}": Subquery(model._default_manager.filter(pk=OuterRef(f"{key}_id")).order_by().values(part)[:1])
        for part in parts
    }


def person_columns(key: str) -> dict[str, Subquery]:
    """The columns of the name of the user a row's `key` names (`columns_of`), for `person_name`."""
    return columns_of(User, key, _PEOPLE)


def person_name(first_name: str | None, last_name: str | None, email: str | None) -> str | None:
    """A user's name as `User.__str__` gives it (full name, else e-mail), from `person_columns`; None where there
    is no user."""
    if email is None:
        return None
    return f"{first_name} {last_name}".strip() or email


# What the timeline shows of an update: the columns read, in the order `TimelineUpdate` takes them.
_TIMELINE_FIELDS = (
    "id",
    "review_state",
    "status",
    "rag",
    "assurance_rag",
    "source",
    "rag_reason",
    "narrative",
    "review_comment",
    "assurance_reason",
    "created_at",
    "submitted_at",
    "approved_at",
    "reviewed_at",
    "author_id",
    "reviewer_id",
)


@dataclass(slots=True)
class TimelineUpdate:
    """An update as the item's timeline shows it: its values, the names of its author and reviewer (None where
    there is none), and what the page adds (`evidence_shown`, `approved_after_later_change`). Read as values:
    the page shows them and changes nothing."""

    pk: int
    review_state: str
    status: str
    rag: str
    assurance_rag: str
    source: str
    rag_reason: str
    narrative: str
    review_comment: str
    assurance_reason: str
    created_at: dt.datetime
    submitted_at: dt.datetime | None
    approved_at: dt.datetime | None
    reviewed_at: dt.datetime | None
    author_id: int
    reviewer_id: int | None
    author_name: str
    reviewer_name: str | None
    evidence_shown: list[Evidence] = dataclasses.field(default_factory=list)
    approved_after_later_change: bool = False

    @property
    def position_key(self) -> tuple[dt.datetime, int]:
        """As `ProgressUpdate.position_key`: the ordering rule's key."""
        return (self.submitted_at or self.approved_at, self.pk)  # type: ignore[return-value]

    @property
    def effective_rag(self) -> str:
        """The reviewer's assurance RAG where recorded, else the owner's."""
        return self.assurance_rag or self.rag


def _timeline_rows(*, link: str, lead: bool, item: int, user: int) -> QuerySet:
    """An item's updates that the user may see (`_TIMELINE_FIELDS`), in the timeline's order, each with the
    names of its author and reviewer (`person_columns`: in the same read, where a second query cost more to build
    than to run)."""
    updates = ProgressUpdate.objects.filter(_visible_to(user, lead=lead), **{f"{link}_id": item})
    updates = updates.annotate(**person_columns("author"), **person_columns("reviewer"))
    return updates.order_by(
        Case(When(review_state=ProgressUpdate.ReviewState.APPROVED, then=Value(1)), default=Value(0)),
        F("submitted_at").desc(nulls_first=True),
        "-created_at",
        "-pk",
    ).values_list(
        *_TIMELINE_FIELDS,
        *(f"author_{name}" for name in _PEOPLE),
        *(f"reviewer_{name}" for name in _PEOPLE),
    )


def _timeline_evidence(*, link: str, adviser: bool, council: int, item: int) -> QuerySet:
    """The evidence on an item's updates (each piece once an update it is on: `update_pk`), what the member may
    see of it, by title."""
    evidence = Evidence.objects.filter(council_id=council, **{f"updates__{link}_id": item})
    if adviser:
        evidence = evidence.filter(internal=False)
    return evidence.annotate(update_pk=F("updates__id")).order_by("title", "pk")


# An item page's reads, the same SQL for every item but for the kind of item and the member's role
# (statements.py: compiled once a process).
_TIMELINE = {
    (link, lead): Statement(functools.partial(_timeline_rows, link=link, lead=lead), item=int, user=int)
    for link in ("recommendation", "action")
    for lead in (False, True)
}
_TIMELINE_EVIDENCE = {
    (link, adviser): Statement(functools.partial(_timeline_evidence, link=link, adviser=adviser), council=int, item=int)
    for link in ("recommendation", "action")
    for adviser in (False, True)
}


def timeline_for(
    *, user: User, council_slug: str, item: Recommendation | Action, as_at: dt.date | None = None
) -> list[TimelineUpdate]:
    """An item's updates as this user may see them: the pending ones first (drafts to their author;
    submitted and returned to their author and the leads), then the approved record in the order of the
    ordering rule (the update that sets the position first), each (`TimelineUpdate`) with the names of its author
    and reviewer and, as a list (`evidence_shown`), the evidence on it the user may see. As at a past date: only
    the record as it stood at the end of that day (updates approved by then).

    Two queries whatever the number of updates, each compiled once a process: the updates with the names of the
    people they name, and the evidence on the item's updates (by the item, not a list of ids). The item was
    reached through a scoped selector, so its updates are in the user's council: none of these joins the council
    again."""
    membership = membership_get(user=user, council_slug=council_slug)
    link = "recommendation" if isinstance(item, Recommendation) else "action"
    lead = membership.role == Membership.Role.LEAD
    split = len(_TIMELINE_FIELDS)
    timeline = [
        TimelineUpdate(*row[:split], person_name(*row[split : split + 3]), person_name(*row[split + 3 :]))
        for row in _TIMELINE[link, lead].records(item=item.pk, user=membership.user_id)
    ]
    if as_at is not None:
        approved, cutoff = ProgressUpdate.ReviewState.APPROVED, end_of_day(as_at)
        timeline = [update for update in timeline if update.review_state == approved and update.approved_at < cutoff]
    if not timeline:
        return timeline
    adviser = membership.role == Membership.Role.ADVISER
    shown: dict[int, list[Evidence]] = {}
    for piece in _TIMELINE_EVIDENCE[link, adviser].instances(council=membership.council_id, item=item.pk):
        shown.setdefault(piece.update_pk, []).append(piece)
    for update in timeline:
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
    and the actions' (`waiting_counted`)."""
    counts = Council.objects.filter(pk=council).order_by()
    recommendations, actions = waiting_counted(OuterRef("pk"), author=author)
    return counts.annotate(recommendations=recommendations, actions=actions).values_list("recommendations", "actions")


# A lead's every page shows the count (statements.py: compiled once a process).
_WAITING_FOR_LEAD = Statement(_waiting_counts, council=int)
_WAITING_OWN = Statement(_waiting_counts, council=int, author=int)


def reviews_waiting_count(*, membership: Membership, read_with_it: bool = False) -> int:
    """How many updates wait for sign-off in the member's council (one query): for the Reviews tab. The updates
    they may see (`_updates_visible`) that are submitted: all of the council's for a lead, else their own. Counted
    as the recommendations' plus the actions', each starting from the council's own rows (an index read) rather
    than from every council's submitted updates. `read_with_it`: the count the membership was read with, where it
    was (`membership_get` reads a lead's with it: no query), for a request that has changed nothing since."""
    if read_with_it and getattr(membership, "reviews_waiting", None) is not None:
        return membership.reviews_waiting
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
