"""An upload waits between its dry run and its confirmation: in the database (PendingImport), under a random
token that the confirmation page sends back, for its uploader only; it can be confirmed for KEPT_FOR. One
waits per user: a new upload replaces it, and every upload removes anyone's left waiting longer."""

import datetime as dt
import secrets

from django.db.models import Q
from django.utils import timezone

from recommendations.models import Council, Engagement, PendingImport, User

KEPT_FOR = dt.timedelta(hours=2)


def keep(
    *, user: User, engagement: Engagement, data: bytes, filename: str, digest: str, choices: dict | None = None
) -> str:
    """Keep the upload until it is confirmed; its token. `choices`: for a council's own plan, the sheet, the
    columns' mapping and whether bulleted lists are split (`digest` is "" until its dry run)."""
    now = timezone.now()
    PendingImport.objects.filter(Q(user=user) | Q(created_at__lt=now - KEPT_FOR)).delete()
    token = secrets.token_urlsafe(32)
    PendingImport.objects.create(
        token=token,
        user=user,
        engagement=engagement,
        filename=filename,
        digest=digest,
        data=data,
        choices=choices or {},
        created_at=now,
    )
    return token


def choose(kept: PendingImport, *, choices: dict, digest: str) -> None:
    """Record what the lead chose for a kept upload (its sheet and columns) and the dry run's digest."""
    kept.choices, kept.digest = choices, digest
    kept.save(update_fields=["choices", "digest"])


def kept(*, user: User, council: Council, token: str) -> PendingImport | None:
    """The user's upload waiting under `token` for an engagement of the council; None if there is none (never
    made, confirmed, replaced, left too long, or someone else's)."""
    if not token:
        return None
    return PendingImport.objects.filter(
        token=token, user=user, engagement__council=council, created_at__gte=timezone.now() - KEPT_FOR
    ).first()


def discard(*, user: User) -> None:
    PendingImport.objects.filter(user=user).delete()
