"""Evidence: documents (checked by content, stored privately under generated names, checksummed) and links.

A document is first a staged upload (services/uploads.py); it becomes evidence when the update that carries it
is saved (`update_save`, through `evidence_from_staged`), as a link does (`evidence_add_link`), in the same
transaction. `evidence_attach` lets evidence support an update or an item of its own council.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.utils import timezone

from recommendations.models import (
    Action,
    Council,
    Evidence,
    Membership,
    ProgressUpdate,
    Recommendation,
    StagedUpload,
    User,
)

from .history import save_with_history

LINK_FORMAT = "Enter a link in the correct format, like https://www.example.gov.uk/report"
TITLE_MAX = Evidence._meta.get_field("title").max_length
URL_MAX = Evidence._meta.get_field("url").max_length

# Those who record progress add its evidence: officers and leads (DESIGN.md §2).
CONTRIBUTORS = (Membership.Role.OFFICER, Membership.Role.LEAD)


def require_contributor(by: User, council: Council) -> None:
    if not Membership.objects.filter(user=by, council=council, is_active=True, role__in=CONTRIBUTORS).exists():
        raise PermissionDenied("Only this council's officers and improvement leads can add evidence")


def title_or(title: str, *, fallback: str = "") -> str:
    """The title with its spaces tidied, else the fallback (a file's name); refused if empty or too long."""
    title = " ".join((title or "").split()) or fallback
    if not title:
        raise ValidationError("Enter a title", code="title_required")
    if len(title) > TITLE_MAX:
        raise ValidationError(f"Title must be {TITLE_MAX} characters or fewer", code="title_too_long")
    return title


def evidence_from_staged(*, staged: StagedUpload, by: User, at: dt.datetime | None = None) -> Evidence:
    """The staged upload becomes evidence of its council, unattached (the caller attaches it in the same
    transaction): the file stays where it is, under the same name, and the staged row goes."""
    at = at or timezone.now()
    evidence = Evidence(
        council_id=staged.council_id,
        kind=Evidence.Kind.DOCUMENT,
        title=staged.title,
        file=staged.file.name,
        original_filename=staged.original_filename,
        content_type=staged.content_type,
        size=staged.size,
        sha256=staged.sha256,
        internal=staged.internal,
        added_by_id=staged.uploaded_by_id,
        created_at=at,
    )
    save_with_history(evidence, by=by, at=at)
    staged.delete()
    return evidence


@dataclass(frozen=True)
class EvidenceLink:
    """A link a form carries, added as evidence when its update is saved."""

    title: str
    url: str
    internal: bool = False


def evidence_add_link(
    *,
    council: Council,
    title: str,
    url: str,
    by: User,
    internal: bool = False,
    at: dt.datetime | None = None,
) -> Evidence:
    """A link to evidence published elsewhere: http or https only."""
    require_contributor(by, council)
    title = title_or(title)
    url = (url or "").strip()
    if len(url) > URL_MAX:
        raise ValidationError(f"Link must be {URL_MAX} characters or fewer", code="url_too_long")
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError as exc:
        raise ValidationError(LINK_FORMAT, code="url_format") from exc
    at = at or timezone.now()
    evidence = Evidence(
        council=council,
        kind=Evidence.Kind.LINK,
        title=title,
        url=url,
        internal=internal,
        added_by=by,
        created_at=at,
    )
    save_with_history(evidence, by=by, at=at)
    return evidence


def evidence_attach(
    *,
    evidence: Evidence,
    update: ProgressUpdate | None = None,
    recommendation: Recommendation | None = None,
    action: Action | None = None,
) -> Evidence:
    """Let the evidence support an update, a recommendation or an action of its own council."""
    if update is not None:
        _same_council(evidence, update.item)
    for item in (recommendation, action):
        if item is not None:
            _same_council(evidence, item)
    if update is not None:
        evidence.updates.add(update)
    if recommendation is not None:
        evidence.recommendations.add(recommendation)
    if action is not None:
        evidence.actions.add(action)
    return evidence


def _same_council(evidence: Evidence, item: Recommendation | Action) -> None:
    recommendation = item if isinstance(item, Recommendation) else item.recommendation
    if evidence.council_id != recommendation.engagement.council_id:
        raise PermissionDenied("That evidence belongs to another council")
