"""Reads. Every look-up of council data starts from the user's memberships, so nothing outside a
user's councils can be reached: it answers 404, which does not confirm that it exists."""

import datetime as dt
from typing import TypeVar
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    DateField,
    DateTimeField,
    Exists,
    F,
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
from django.http import Http404
from django.utils import timezone

from .models import (
    FINISHED_STATUSES,
    Action,
    Council,
    DueDateChange,
    Engagement,
    Evidence,
    Membership,
    ProgressUpdate,
    Recommendation,
    Status,
    User,
)

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


def _get_or_404(queryset: QuerySet[M], **lookup: object) -> M:
    try:
        return queryset.get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404(f"No such {queryset.model._meta.verbose_name}") from exc


# --- position at a date -------------------------------------------------------------------------


def end_of_day(day: dt.date) -> dt.datetime:
    """The first instant after `day` ends in the service's time zone (Europe/London)."""
    zone = ZoneInfo(settings.TIME_ZONE)
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=zone)


def local_today() -> dt.date:
    return timezone.localdate()


def with_position(queryset: QuerySet[Item], *, as_at: dt.date | None = None) -> QuerySet[Item]:
    """Annotate each item with its position as at the end of `as_at` (today by default).

    Only items that existed by then are kept. Each gets `position_status`, `position_rag` (the
    assurance RAG where recorded, else the owner's; empty when never assessed), `position_updated_at`
    (when that update was approved), `position_due_date` (the due date in force), and `is_overdue`.
    An update approved after `as_at` never counts.
    """
    day = as_at or local_today()
    cutoff = end_of_day(day)
    link = "recommendation" if queryset.model is Recommendation else "action"
    latest = ProgressUpdate.objects.filter(
        **{link: OuterRef("pk")}, review_state=ProgressUpdate.ReviewState.APPROVED, approved_at__lt=cutoff
    ).order_by("-approved_at", "-pk")
    # The due date in force at the cut-off is the one the first later move replaced, else today's.
    later_moves = DueDateChange.objects.filter(**{link: OuterRef("pk")}, changed_at__gte=cutoff).order_by(
        "changed_at", "pk"
    )
    effective_rag = latest.annotate(effective_rag=Coalesce(NullIf("assurance_rag", Value("")), "rag"))
    return (
        queryset.filter(created_at__lt=cutoff)
        .annotate(
            position_status=Coalesce(
                Subquery(latest.values("status")[:1]), Value(Status.NOT_STARTED), output_field=CharField()
            ),
            position_rag=Coalesce(
                Subquery(effective_rag.values("effective_rag")[:1]), Value(""), output_field=CharField()
            ),
            position_updated_at=Subquery(latest.values("approved_at")[:1], output_field=DateTimeField()),
            position_due_date=Case(
                When(Exists(later_moves), then=Subquery(later_moves.values("previous_due_date")[:1])),
                default=F("due_date"),
                output_field=DateField(),
            ),
        )
        .annotate(
            is_overdue=Case(
                When(
                    Q(position_due_date__lt=day) & ~Q(position_status__in=FINISHED_STATUSES),
                    then=Value(True),
                ),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
    )


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


def recommendation_get(*, user: User, council_slug: str, pk: int) -> Recommendation:
    return _get_or_404(recommendations_for(user=user, council_slug=council_slug), pk=pk)


def actions_for(*, user: User, council_slug: str, as_at: dt.date | None = None) -> QuerySet[Action]:
    membership = membership_get(user=user, council_slug=council_slug)
    queryset = Action.objects.filter(recommendation__engagement__council=membership.council).select_related(
        "recommendation", "recommendation__engagement", "owner"
    )
    return with_position(queryset, as_at=as_at)


def action_get(*, user: User, council_slug: str, pk: int) -> Action:
    return _get_or_404(actions_for(user=user, council_slug=council_slug), pk=pk)


def approved_updates_for(*, user: User, council_slug: str, item: Recommendation | Action) -> QuerySet[ProgressUpdate]:
    """The record: approved updates, newest first, with the evidence this user may see."""
    link = "recommendation" if isinstance(item, Recommendation) else "action"
    evidence = evidence_for(user=user, council_slug=council_slug)
    return (
        ProgressUpdate.objects.filter(**{link: item}, review_state=ProgressUpdate.ReviewState.APPROVED)
        .select_related("author", "reviewer")
        .prefetch_related(Prefetch("evidence", queryset=evidence))
        .order_by("-approved_at", "-pk")
    )


def evidence_for(*, user: User, council_slug: str) -> QuerySet[Evidence]:
    """Evidence the user may see: advisers do not see internal items."""
    membership = membership_get(user=user, council_slug=council_slug)
    queryset = Evidence.objects.filter(council=membership.council)
    if membership.role == Membership.Role.ADVISER:
        queryset = queryset.filter(internal=False)
    return queryset


def evidence_get(*, user: User, council_slug: str, pk: int) -> Evidence:
    return _get_or_404(evidence_for(user=user, council_slug=council_slug), pk=pk)
