"""Uploads: staged, then kept or removed.

A file chosen on a progress form is checked by its contents, stored under a generated name and recorded as a
`StagedUpload` (its SHA-256, size and type, who uploaded it, for which council, when): `upload_stage`. It
becomes evidence only when the update that carries it is saved (`update_save`, through
`evidence_from_staged`; the file stays where it is). A rejected form shows the staged files again, so nobody
chooses them twice.

`uploads_clean`, a daily job, removes what nothing refers to: staged uploads more than a day old, documents
that no update (in any state) and no item carries, and files in the storage that no row names. The rows go in
one transaction and their files once it has committed; a file already gone is no error, so the job is safe to
run twice or at once. A file of an approved update is carried by that update, so it is never removed.

Every council's files (evidence and staged) count against COUNCIL_STORAGE_QUOTA_BYTES: a new upload past it
is refused with a message naming the council's total and the quota.
"""

import datetime as dt
import hashlib
import logging
import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from recommendations.models import Council, Evidence, StagedUpload, StorageUse, User, storage_used
from recommendations.uploads import check_document, clean_filename, size_text

from .evidence import require_contributor, title_or
from .history import council_changed

logger = logging.getLogger(__name__)

# The names evidence_upload_to gives: the sweep for files no row names touches nothing else in the folder.
STORED_NAME = re.compile(r"[0-9]+/[0-9a-f]{32}(\.[a-z0-9]{1,9})?")

# A staged upload younger than this is kept for the form that made it; so is a stored file this young that
# no row names yet (its row may be about to commit).
STAGED_KEEP = dt.timedelta(days=1)


class StorageQuotaExceeded(ValidationError):
    """The council's files would take up more than its quota with this one."""

    def __init__(self, *, name: str, size: int, use: StorageUse) -> None:
        super().__init__(
            f"{name} cannot be added: {use.council}'s evidence files take up {use.used_text} of its "
            f"{use.quota_text} quota, and this file is {size_text(size, up=True)}. Remove evidence you no longer "
            "need from your drafts, or ask the Council Improve team to raise the quota",
            code="storage_quota",
        )
        self.use = use


def upload_stage(
    *,
    council: Council,
    uploaded: UploadedFile,
    title: str = "",
    by: User,
    internal: bool = False,
    at: dt.datetime | None = None,
) -> StagedUpload:
    """Check the file by its contents (a ValidationError says why it is refused), refuse it if the council's
    files would pass their quota with it, store it under a generated name in the private evidence storage, and
    record it as staged with its SHA-256, size and detected type. A blank title falls back to the file's name;
    the uploaded name is kept only as display text."""
    require_contributor(by, council)
    detected = check_document(uploaded)
    original = clean_filename(uploaded.name)
    digest = hashlib.sha256()
    size = 0
    for chunk in uploaded.chunks():
        digest.update(chunk)
        size += len(chunk)
    uploaded.seek(0)
    staged = StagedUpload(
        council=council,
        uploaded_by=by,
        original_filename=original,
        content_type=detected.content_type,
        size=size,
        sha256=digest.hexdigest(),
        title=title_or(title, fallback=original),
        internal=internal,
        created_at=at or timezone.now(),
    )
    with transaction.atomic():
        # The council's row is locked while its total is read and the file added, so two uploads at once
        # cannot both pass the quota on the same total.
        used = (
            Council.objects.select_for_update()
            .filter(pk=council.pk)
            .annotate(used=storage_used())
            .values_list("used", flat=True)
            .get()
        )
        use = StorageUse(council=council.name, used=used)
        if used + size > use.quota:
            raise StorageQuotaExceeded(name=original or "The selected file", size=size, use=use)
        # Only the detected extension reaches the storage; evidence_upload_to generates the rest of the name.
        staged.file.save(f"evidence{detected.extension}", uploaded, save=False)
        try:
            staged.full_clean()
            staged.save()
        except BaseException:
            staged.file.delete(save=False)
            raise
    return staged


def upload_discard(*, staged: Iterable[StagedUpload], by: User) -> int:
    """Remove the user's own staged uploads (ticked "Remove" on the form) and, once that commits, their files."""
    with transaction.atomic():
        rows = StagedUpload.objects.select_for_update().filter(pk__in=[row.pk for row in staged], uploaded_by=by)
        names = list(rows.values_list("file", flat=True))
        rows.delete()
        files_delete_on_commit(names)
    return len(names)


def stored_files() -> Storage:
    """The storage evidence and staged uploads are kept in (one, with no public address)."""
    return Evidence._meta.get_field("file").storage


def files_delete_on_commit(names: Iterable[str]) -> None:
    """Delete these stored files once the transaction that removed their rows has committed (at once outside a
    transaction). A file already gone is no error; one that cannot be deleted now is named in the log and, no
    row naming it, removed by the next clean-up."""
    names = [name for name in names if name]

    def delete() -> None:
        storage = stored_files()
        for name in names:
            try:
                storage.delete(name)
            except FileNotFoundError:
                pass
            except OSError:
                logger.warning("Could not delete the stored file %s; the next clean-up tries again", name)

    if names:
        transaction.on_commit(delete)


def uploads_clean(*, at: dt.datetime) -> int:
    """Remove, as at `at`, what nothing refers to; the number of files removed. Staged uploads made more
    than STAGED_KEEP before `at`, and documents that no update in any state and no item carries (added more
    than STAGED_KEEP before `at`), go with their files; then files in the storage that no row names and that
    were written more than STAGED_KEEP before `at`."""
    before = at - STAGED_KEEP
    carried = (
        Exists(Evidence.updates.through.objects.filter(evidence=OuterRef("pk")))
        | Exists(Evidence.recommendations.through.objects.filter(evidence=OuterRef("pk")))
        | Exists(Evidence.actions.through.objects.filter(evidence=OuterRef("pk")))
    )
    with transaction.atomic():
        staged = StagedUpload.objects.select_for_update().filter(created_at__lt=before)
        staged_names = list(staged.values_list("file", flat=True))
        staged.delete()
        candidates = Evidence.objects.select_for_update().filter(~carried, created_at__lt=before).exclude(file="")
        locked = list(candidates.values_list("pk", flat=True))
        # Read again now that they are locked (nothing can attach them until this commits): one attached
        # just before the lock is left alone.
        unused = Evidence.objects.filter(~carried, pk__in=locked)
        unused_rows = list(unused.values_list("pk", "file", "council_id"))
        Evidence.objects.filter(pk__in=[pk for pk, _, _ in unused_rows]).delete()
        for council_id in {council_id for _, _, council_id in unused_rows}:
            council_changed(council_id=council_id)
        removed = staged_names + [name for _, name, _ in unused_rows]
        files_delete_on_commit(removed)
    return len(removed) + _strays_delete(before=before, removed=set(removed))


def _strays_delete(*, before: dt.datetime, removed: set[str]) -> int:
    """Delete the stored files no row names that were written before `before` (a row removed while its file
    could not be, one staff deleted in the admin, or a file whose row was never committed); `removed` are going
    already. Only names of the form we give (STORED_NAME) are considered."""
    storage = stored_files()
    stored = [
        name
        for name in _walk(storage, "")
        if STORED_NAME.fullmatch(name) and name not in removed and _written(storage, name) < before
    ]
    if not stored:
        return 0
    # One statement, so a staged upload becoming evidence meanwhile is named by one or the other.
    named = set(
        Evidence.objects.exclude(file="")
        .order_by()
        .values_list("file", flat=True)
        .union(StagedUpload.objects.order_by().values_list("file", flat=True))
    )
    strays = [name for name in stored if name not in named]
    for name in strays:
        logger.info("Removing %s: no evidence or staged upload names it", name)
    files_delete_on_commit(strays)
    return len(strays)


def _walk(storage: Storage, folder: str) -> Iterable[str]:
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for sub in folders:
        yield from _walk(storage, f"{folder}/{sub}" if folder else sub)


def _written(storage: Storage, name: str) -> dt.datetime:
    try:
        return storage.get_modified_time(name)
    except FileNotFoundError:
        return dt.datetime.max.replace(tzinfo=dt.UTC)  # gone meanwhile: nothing to do
