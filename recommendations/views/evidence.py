"""Evidence files, downloaded only through a permission check: never served from a web root."""

from pathlib import PurePosixPath

from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

from recommendations import selectors
from recommendations.models import Membership
from recommendations.uploads import download_filename

from .base import council_view


@require_GET
@council_view
def evidence_download(request: HttpRequest, membership: Membership, pk: int) -> FileResponse:
    """The stored file as an attachment, under its original name, with the type it was judged to be.
    Advisers get 404 for internal evidence (the selector hides it); a link has no file: 404."""
    evidence = selectors.evidence_get(user=request.user, council_slug=membership.council.slug, pk=pk)
    if not evidence.file:
        raise Http404("This evidence has no file")
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The file is missing") from exc
    extension = PurePosixPath(evidence.file.name).suffix
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=download_filename(evidence.original_filename, extension),
        content_type=evidence.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
