"""Files a member has chosen on a progress form, stored and checked, that no saved update carries yet; and
what a council's stored files add up to."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from recommendations.uploads import size_text

from .councils import Council
from .progress import Evidence, evidence_storage, evidence_upload_to


class StagedUpload(models.Model):
    """A checked, stored file waiting for the update that carries it. It becomes evidence (the file stays
    where it is) when that update is saved; one that is still staged a day later is removed with its file
    by the clean-up job (services/uploads.py)."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="staged_uploads")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(storage=evidence_storage, upload_to=evidence_upload_to, max_length=200)
    original_filename = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=150, help_text="The type the file was judged to be by its contents.")
    size = models.PositiveBigIntegerField(help_text="In bytes.")
    sha256 = models.CharField("SHA-256", max_length=64)
    title = models.CharField(max_length=300, help_text="The evidence's title, as typed (or the file's name).")
    internal = models.BooleanField(default=False, help_text="Internal evidence is not shown to advisers.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["created_at"], name="staged_upload_created_idx")]
        constraints = [
            models.CheckConstraint(condition=~models.Q(file="") & ~models.Q(sha256=""), name="staged_upload_has_file")
        ]

    def __str__(self) -> str:
        return f"{self.original_filename or self.title}, staged {self.created_at:%Y-%m-%d %H:%M}"


def storage_used() -> Coalesce:
    """An expression for a Council queryset: the bytes its evidence files and staged uploads take up, as two
    correlated sums in the same statement (no query per file, nor per council)."""

    def total(model: type[models.Model]) -> Coalesce:
        sums = (
            model.objects.filter(council=OuterRef("pk"))
            .order_by()
            .values("council")
            .annotate(total=Sum("size"))
            .values("total")
        )
        return Coalesce(Subquery(sums, output_field=models.BigIntegerField()), Value(0))

    return total(Evidence) + total(StagedUpload)


def _quota() -> int:
    return settings.COUNCIL_STORAGE_QUOTA_BYTES


@dataclass(frozen=True)
class StorageUse:
    """What a council's stored files (evidence and staged uploads) take up, beside its quota
    (COUNCIL_STORAGE_QUOTA_BYTES)."""

    council: str
    used: int
    quota: int = field(default_factory=_quota)

    @classmethod
    def of(cls, council: Council) -> "StorageUse":
        """The council's total, in one aggregate query."""
        used = Council.objects.filter(pk=council.pk).annotate(used=storage_used()).values_list("used", flat=True)
        return cls(council=council.name, used=used.get())

    @property
    def used_text(self) -> str:
        return size_text(self.used) if self.used else "nothing"

    @property
    def quota_text(self) -> str:
        return size_text(self.quota)

    @property
    def percent(self) -> int:
        """The share of the quota used, in whole percent (rounded down, so 100 means full)."""
        return min(100 * self.used // self.quota, 100) if self.quota > 0 else 100

    def __str__(self) -> str:
        return f"{self.used_text} of {self.quota_text}"
