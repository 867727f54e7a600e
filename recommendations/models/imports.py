from django.conf import settings
from django.db import models
from django.utils import timezone

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
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["created_at"], name="pending_import_created_idx")]

    def __str__(self) -> str:
        return f"{self.filename} into {self.engagement_id}, waiting since {self.created_at:%Y-%m-%d %H:%M}"
