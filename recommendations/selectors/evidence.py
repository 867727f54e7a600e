"""Evidence as each member may see it: advisers never see internal items; a draft's file is its author's."""

import datetime as dt
import functools
from collections.abc import Iterable

from django.db.models import (
    Q,
    QuerySet,
)

from recommendations.models import (
    Action,
    Evidence,
    Membership,
    ProgressUpdate,
    Recommendation,
    StagedUpload,
    StorageUse,
    User,
)

from .councils import get_or_404, membership_get
from .position import end_of_day
from .progress import _updates_visible
from .statements import AS_AT_VALUES, Statement


def _visible(council: int, *, adviser: bool) -> QuerySet[Evidence]:
    """The council's evidence as a member sees it: advisers do not see internal items."""
    evidence = Evidence.objects.filter(council_id=council)
    return evidence.filter(internal=False) if adviser else evidence


def _supporting(
    *, link: str, adviser: bool, council: int, item: int, cutoff: dt.datetime | None = None
) -> QuerySet[Evidence]:
    evidence = _visible(council, adviser=adviser).filter(**{f"{link}__id": item})
    if cutoff is not None:
        evidence = evidence.filter(created_at__lt=cutoff)
    return evidence.order_by("-created_at", "pk")


# An item page's read of its evidence, compiled once a process for each kind of item, role and date (statements.py).
_SUPPORTING = {
    (link, adviser, dated): Statement(
        functools.partial(_supporting, link=link, adviser=adviser), council=int, item=int, **AS_AT_VALUES[dated]
    )
    for link in ("recommendations", "actions")
    for adviser in (False, True)
    for dated in (False, True)
}


def evidence_supporting(
    *, user: User, council_slug: str, item: Recommendation | Action, as_at: dt.date | None = None
) -> list[Evidence]:
    """The evidence that supports an item (from its approved updates, or linked directly), newest first, as the
    member may see it (`evidence_for`); as at a past date, what had been added by the end of that day."""
    membership = membership_get(user=user, council_slug=council_slug)
    link = "recommendations" if isinstance(item, Recommendation) else "actions"
    adviser = membership.role == Membership.Role.ADVISER
    cutoff = {"cutoff": end_of_day(as_at)} if as_at is not None else {}
    return _SUPPORTING[link, adviser, as_at is not None].instances(
        council=membership.council_id, item=item.pk, **cutoff
    )


def evidence_for(*, user: User, council_slug: str) -> QuerySet[Evidence]:
    """Evidence the user may see: advisers do not see internal items."""
    membership = membership_get(user=user, council_slug=council_slug)
    return _visible(membership.council_id, adviser=membership.role == Membership.Role.ADVISER)


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
    return get_or_404(queryset, pk=pk)


def _is_id(value: object) -> bool:
    text = str(value)
    return text.isascii() and text.isdigit() and len(text) <= 18


def evidence_kept_for(
    *, user: User, council_slug: str, ids: Iterable[int | str], update: ProgressUpdate | None = None
) -> QuerySet[Evidence]:
    """Of `ids`, the evidence that `update` (the user's own draft or returned update, being changed) carries:
    what the form shows again. Anything else (another update's, evidence nothing carries, an id that is not a
    number) is left out; a new update carries nothing yet (its files are staged uploads)."""
    membership = membership_get(user=user, council_slug=council_slug)
    if update is None or update.author_id != user.pk:
        return Evidence.objects.none()
    wanted = {int(value) for value in ids if _is_id(value)}
    return Evidence.objects.filter(council=membership.council, updates=update, pk__in=wanted).order_by(
        "created_at", "pk"
    )


def staged_uploads_for(*, user: User, council_slug: str, ids: Iterable[int | str]) -> QuerySet[StagedUpload]:
    """Of `ids`, the files this user staged in this council that no update has taken yet: what a re-shown form
    lists as already attached. Anything else, or an id that is not a number, is left out."""
    membership = membership_get(user=user, council_slug=council_slug)
    wanted = {int(value) for value in ids if _is_id(value)}
    return StagedUpload.objects.filter(council=membership.council, uploaded_by=user, pk__in=wanted).order_by(
        "created_at", "pk"
    )


def storage_for(*, user: User, council_slug: str) -> StorageUse:
    """What the council's stored files take up, beside its quota (one aggregate query after the membership)."""
    return StorageUse.of(membership_get(user=user, council_slug=council_slug).council)
