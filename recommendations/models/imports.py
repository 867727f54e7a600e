from django.conf import settings
from django.db import models
from django.utils import timezone

from .councils import Council
from .engagements import Engagement


class PendingImport(models.Model):
    """An uploaded action plan between its dry run and its uploader's confirmation (recommendations/imports/
    pending.py). It waits here, not in the page or the session, and only for a while; nothing serves it."""

    token = models.CharField(max_length=64, unique=True, help_text="Random: what the confirmation page sends back.")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=255)
    digest = models.CharField(max_length=64, help_text="The dry run's plan, as a checksum (ImportPlan.digest).")
    data = models.BinaryField(help_text="The file as uploaded.")
    choices = models.JSONField(
        default=dict,
        blank=True,
        help_text="For a council's own plan: the sheet, what each column holds and whether bulleted lists are split.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["created_at"], name="pending_import_created_idx")]

    def __str__(self) -> str:
        return f"{self.filename} into {self.engagement_id}, waiting since {self.created_at:%Y-%m-%d %H:%M}"


class ImportMapping(models.Model):
    """What each column holds, as a council's lead last mapped a plan with these headings: offered again when
    the council uploads a plan with the same headings (recommendations/imports/mapping.py)."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    signature = models.CharField(max_length=1000, help_text="The headings, as mapping.signature writes them.")
    columns = models.JSONField(default=dict, help_text="Column index (from 0) → field key.")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["council", "signature"], name="import_mapping_one_per_headings")]

    def __str__(self) -> str:
        return f"Columns of {self.council_id}'s plan ({self.signature[:40]})"
