import datetime as dt
import uuid
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.storage import Storage, storages
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .choices import Rag, Status
from .councils import Council
from .plan import Action, Recommendation


class UpdateLocked(PermissionDenied):
    """An approved update is the record: it is never changed or deleted; a correction is a new update."""


# The ordering rule (DESIGN.md §2): of the updates approved by a moment, the one *submitted* last sets the
# item's position (a lead's direct change or an import is submitted at the moment it is made); ties by id.
# So an update approved after a later one was signed off joins the history without moving the position.
POSITION_ORDER = ("-submitted_at", "-pk")


class ProgressUpdateQuerySet(models.QuerySet["ProgressUpdate"]):
    def approved(self, *, before: dt.datetime | None = None) -> "ProgressUpdateQuerySet":
        """Approved updates (by `before`, where given), the one that sets the position first."""
        approved = self.filter(review_state=ProgressUpdate.ReviewState.APPROVED)
        if before is not None:
            approved = approved.filter(approved_at__lt=before)
        return approved.order_by(*POSITION_ORDER)

    def delete(self) -> tuple[int, dict[str, int]]:
        if self.filter(review_state=ProgressUpdate.ReviewState.APPROVED).exists():
            raise UpdateLocked("An approved progress update cannot be deleted")
        return super().delete()


class ProgressUpdate(models.Model):
    """A dated account of progress on one recommendation or action.

    Drafts belong to their author; submitted updates wait for a lead; approved updates are the record
    and are never changed by anyone (a database trigger refuses it); a correction is a new update.
    """

    class ReviewState(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted for review"
        RETURNED = "returned", "Returned"
        APPROVED = "approved", "Approved"
        SUPERSEDED = "superseded", "Superseded"

    class Source(models.TextChoices):
        OWNER = "owner", "Owner's update"
        LEAD = "lead", "Changed by an improvement lead"
        IMPORT = "import", "Imported from an action plan"

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.PROTECT, null=True, blank=True, related_name="updates"
    )
    action = models.ForeignKey(Action, on_delete=models.PROTECT, null=True, blank=True, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="progress_updates")
    status = models.CharField(max_length=20, choices=Status.choices)
    rag = models.CharField(
        "RAG", max_length=10, choices=Rag.choices, blank=True, help_text="Empty: not assessed (an imported status)."
    )
    rag_reason = models.TextField("reason for the RAG", blank=True)
    narrative = models.TextField(blank=True)
    percent_complete = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Actions only.")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.OWNER)
    review_state = models.CharField(max_length=10, choices=ReviewState.choices, default=ReviewState.DRAFT)
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="reviewed_updates"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(blank=True)
    assurance_rag = models.CharField(
        "assurance RAG",
        max_length=10,
        choices=Rag.choices,
        blank=True,
        help_text="The reviewer's RAG where they disagree with the owner's.",
    )
    assurance_reason = models.TextField(
        "reason for the assurance RAG", blank=True, help_text="Why the reviewer rated it differently from the owner."
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    submission_key = models.UUIDField(
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text="The key of the form that made this update, so that the same form posted again finds it.",
    )

    objects = ProgressUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["-approved_at", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(recommendation__isnull=True, action__isnull=False)
                | Q(recommendation__isnull=False, action__isnull=True),
                name="update_one_item",
            ),
            models.CheckConstraint(
                condition=Q(rag__in=[Rag.GREEN, ""]) | ~Q(rag_reason=""),
                name="update_amber_red_has_reason",
                violation_error_message="Give the reason for an amber or red RAG",
            ),
            models.CheckConstraint(
                condition=Q(review_state="approved", approved_at__isnull=False)
                | (~Q(review_state="approved") & Q(approved_at__isnull=True)),
                name="update_approved_has_moment",
            ),
            models.CheckConstraint(
                condition=Q(assurance_rag="") | Q(review_state="approved"),
                name="update_assurance_only_when_approved",
            ),
            models.CheckConstraint(
                condition=~Q(review_state__in=["returned", "superseded"]) | ~Q(review_comment=""),
                name="update_returned_or_superseded_has_comment",
            ),
            models.CheckConstraint(
                condition=Q(assurance_rag="") | ~Q(assurance_reason=""),
                name="update_assurance_rag_has_reason",
                violation_error_message="Enter why you rated it differently",
            ),
            models.CheckConstraint(
                condition=~Q(review_state="approved") | Q(submitted_at__isnull=False),
                name="update_approved_was_submitted",
            ),
            # Signed off after it was sent: what lets a position as at a day read only the updates submitted by
            # then (selectors/latest.py).
            models.CheckConstraint(
                condition=~Q(review_state="approved") | Q(approved_at__gte=F("submitted_at")),
                name="update_approved_after_submitted",
            ),
            # One update waits for sign-off per item; each author keeps one draft or returned update per item.
            models.UniqueConstraint(
                fields=["recommendation"],
                condition=Q(review_state="submitted"),
                name="update_one_submitted_per_recommendation",
            ),
            models.UniqueConstraint(
                fields=["action"], condition=Q(review_state="submitted"), name="update_one_submitted_per_action"
            ),
            models.UniqueConstraint(
                fields=["author", "recommendation"],
                condition=Q(review_state__in=["draft", "returned"]),
                name="update_one_open_per_author_recommendation",
            ),
            models.UniqueConstraint(
                fields=["author", "action"],
                condition=Q(review_state__in=["draft", "returned"]),
                name="update_one_open_per_author_action",
            ),
            models.CheckConstraint(
                condition=Q(percent_complete__isnull=True)
                | (Q(percent_complete__gte=0) & Q(percent_complete__lte=100)),
                name="update_percent_complete_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["recommendation", "approved_at"], name="update_rec_approved_idx"),
            models.Index(fields=["action", "approved_at"], name="update_action_approved_idx"),
            models.Index(fields=["review_state"], name="update_review_state_idx"),
            # The ordering rule's look-up: an item's approved updates, submitted last first.
            models.Index(
                "recommendation",
                F("submitted_at").desc(),
                F("id").desc(),
                condition=Q(review_state="approved"),
                name="update_rec_position_idx",
            ),
            models.Index(
                "action",
                F("submitted_at").desc(),
                F("id").desc(),
                condition=Q(review_state="approved"),
                name="update_action_position_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.reference}: {self.get_status_display()}, {self.get_rag_display()} ({self.review_state})"

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if type(self).objects.filter(pk=self.pk, review_state=self.ReviewState.APPROVED).exists():
            raise UpdateLocked("An approved progress update cannot be deleted")
        return super().delete(*args, **kwargs)

    @property
    def item(self) -> Recommendation | Action:
        return self.recommendation or self.action  # type: ignore[return-value]

    @property
    def council(self) -> Council:
        return self.item.council

    @property
    def is_approved(self) -> bool:
        return self.review_state == self.ReviewState.APPROVED

    @property
    def position_key(self) -> tuple[dt.datetime, int]:
        """The ordering rule in Python: of the approved updates, the one with the greatest key sets the
        position (POSITION_ORDER)."""
        return (self.submitted_at or self.approved_at, self.pk)  # type: ignore[return-value]

    @property
    def effective_rag(self) -> str:
        """The reviewer's assurance RAG where recorded, else the owner's."""
        return self.assurance_rag or self.rag

    def get_effective_rag_display(self) -> str:
        return Rag(self.effective_rag).label if self.effective_rag else "Not assessed"


def evidence_storage() -> Storage:
    return storages["evidence"]


def evidence_upload_to(instance: "Evidence", filename: str) -> str:
    """A generated name: nothing the uploader typed reaches the file system."""
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"{instance.council_id}/{uuid.uuid4().hex}{suffix}"


class Evidence(models.Model):
    """A document, a link, or a reference to an external assessment that supports progress."""

    class Kind(models.TextChoices):
        DOCUMENT = "document", "Document"
        LINK = "link", "Link"
        ASSESSMENT = "assessment", "External assessment"

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=300)
    file = models.FileField(storage=evidence_storage, upload_to=evidence_upload_to, blank=True, max_length=200)
    original_filename = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=150, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True, help_text="In bytes.")
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    url = models.URLField("link", max_length=500, blank=True)
    reference = models.CharField(
        max_length=300, blank=True, help_text="For an external assessment: who made it and where it is published."
    )
    dated = models.DateField(null=True, blank=True, help_text="The date of the document or assessment.")
    internal = models.BooleanField(default=False, help_text="Internal evidence is not shown to advisers.")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    recommendations = models.ManyToManyField(Recommendation, blank=True, related_name="evidence")
    actions = models.ManyToManyField(Action, blank=True, related_name="evidence")
    updates = models.ManyToManyField(ProgressUpdate, blank=True, related_name="evidence")

    history = HistoricalRecords(excluded_fields=["file"])

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "evidence"
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="document") | (~Q(file="") & ~Q(sha256="")),
                name="evidence_document_has_file",
            ),
            models.CheckConstraint(condition=~Q(kind="link") | ~Q(url=""), name="evidence_link_has_url"),
            models.CheckConstraint(
                condition=~Q(kind="assessment") | ~Q(reference="") | ~Q(url=""),
                name="evidence_assessment_has_reference",
            ),
        ]

    def __str__(self) -> str:
        return self.title
