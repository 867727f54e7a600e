"""Evidence: documents (checked by content, stored privately under generated names, checksummed) and links.

Evidence is created unattached; the progress form attaches it to an update once the whole form is valid
(`update_save`, or `evidence_attach` here), so a file already stored survives a rejected form.
"""

import datetime as dt
import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.utils import timezone

from recommendations.models import Action, Council, Evidence, Membership, ProgressUpdate, Recommendation, User
from recommendations.uploads import check_document, clean_filename

from .history import save_with_history

LINK_FORMAT = "Enter a link in the correct format, like https://www.example.gov.uk/report"
TITLE_MAX = Evidence._meta.get_field("title").max_length
URL_MAX = Evidence._meta.get_field("url").max_length

# Those who record progress add its evidence: officers and leads (DESIGN.md §2).
CONTRIBUTORS = (Membership.Role.OFFICER, Membership.Role.LEAD)


def _require_contributor(by: User, council: Council) -> None:
    if not Membership.objects.filter(user=by, council=council, is_active=True, role__in=CONTRIBUTORS).exists():
        raise PermissionDenied("Only this council's officers and improvement leads can add evidence")


def _title(title: str, *, fallback: str = "") -> str:
    title = " ".join((title or "").split()) or fallback
    if not title:
        raise ValidationError("Enter a title", code="title_required")
    if len(title) > TITLE_MAX:
        raise ValidationError(f"Title must be {TITLE_MAX} characters or fewer", code="title_too_long")
    return title


def evidence_add_document(
    *,
    council: Council,
    uploaded: UploadedFile,
    title: str,
    by: User,
    internal: bool = False,
    at: dt.datetime | None = None,
) -> Evidence:
    """Check the file by its contents (a ValidationError says why it is refused), store it under a generated
    name in the private evidence storage, and record its SHA-256, size and detected type. A blank title
    falls back to the file's name. The uploaded name is kept only as display text."""
    _require_contributor(by, council)
    detected = check_document(uploaded)
    original = clean_filename(uploaded.name)
    title = _title(title, fallback=original)
    digest = hashlib.sha256()
    size = 0
    for chunk in uploaded.chunks():
        digest.update(chunk)
        size += len(chunk)
    uploaded.seek(0)
    at = at or timezone.now()
    evidence = Evidence(
        council=council,
        kind=Evidence.Kind.DOCUMENT,
        title=title,
        original_filename=original,
        content_type=detected.content_type,
        size=size,
        sha256=digest.hexdigest(),
        internal=internal,
        added_by=by,
        created_at=at,
    )
    # Only the detected extension reaches the storage; evidence_upload_to generates the rest of the name.
    evidence.file.save(f"evidence{detected.extension}", uploaded, save=False)
    try:
        save_with_history(evidence, by=by, at=at)
    except BaseException:
        evidence.file.delete(save=False)
        raise
    return evidence


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
    _require_contributor(by, council)
    title = _title(title)
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
