import textwrap

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from recommendations.vocabulary import DUE_BEFORE_START

from .choices import Rag, Status
from .councils import Council, Directorate
from .engagements import Engagement, Theme

# The stored position (docs/adr/010-stored-positions.md): written only by services.positions_refresh, never
# by save() (PlanItem.save leaves them out), and on PostgreSQL checked by a trigger against the update named.
POSITION_FIELDS = ("status", "rag", "position_update")


class PlanItem(models.Model):
    """What recommendations and actions share: a reference, an owner, dates and an approved history.

    Status and RAG are those of the approved ProgressUpdate that sets the position by the ordering rule
    (ProgressUpdate.objects.approved). Today's are stored here with a reference to that update (`status`,
    `rag`, `position_update`), so that current pages read them in one indexed read: they are written by
    `services.positions_refresh` alone, in the transaction of the approval, direct change or import, and a
    save() never writes them. `selectors.with_position` reads them for today and the updates for a past date.
    """

    reference = models.CharField(max_length=20, help_text="As the report numbers it, e.g. 'R3' or '3.1'.")
    baseline_due_date = models.DateField(
        null=True, blank=True, help_text="The first due date set; kept so that slippage can be seen."
    )
    due_date = models.DateField(null=True, blank=True, help_text="The due date in force now.")
    timescale = models.CharField(
        max_length=200,
        blank=True,
        help_text="The timescale as the plan wrote it ('July 2023 and ongoing'), shown beside the due date.",
    )
    owner_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="The owner as the plan names them ('Head of Corporate Services'), shown until someone is assigned.",
    )
    position = models.PositiveIntegerField(default=0, help_text="Order within its list.")
    created_at = models.DateTimeField(default=timezone.now, help_text="When it entered the plan.")
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Raised by every edit, so that a second editor working from an older copy is refused.",
    )
    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        default=Status.NOT_STARTED,
        editable=False,
        help_text="Today's status: that of the update the position comes from (not started where there is none).",
    )
    rag = models.CharField(
        "RAG",
        max_length=10,
        choices=Rag.choices,
        blank=True,
        default="",
        editable=False,
        help_text="Today's RAG: the update's assurance RAG where recorded, else its owner's; empty if not assessed.",
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.reference

    def save(self, *args: object, **kwargs: object) -> None:
        """Save, never writing the stored position (services.positions_refresh alone writes it): a copy loaded
        before an approval cannot put the old position back."""
        if not self._state.adding and kwargs.get("update_fields") is None:
            deferred = self.get_deferred_fields()  # as Django's save(), which writes only what was loaded
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in POSITION_FIELDS and field.attname not in deferred
            ]
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Recommendation(PlanItem):
    class Kind(models.TextChoices):
        RECOMMENDATION = "recommendation", "Recommendation"
        SUGGESTION = "suggestion", "Suggestion"
        OBSERVATION = "observation", "Observation"

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="recommendations")
    heading = models.CharField(max_length=200, blank=True)
    text = models.TextField(help_text="The recommendation in full, as the peer team wrote it.")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.RECOMMENDATION)
    theme = models.ForeignKey(Theme, on_delete=models.SET_NULL, null=True, blank=True, related_name="recommendations")
    lead_directorate = models.ForeignKey(
        Directorate, on_delete=models.SET_NULL, null=True, blank=True, related_name="recommendations"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_recommendations",
        help_text="The officer accountable for progress.",
    )
    lead_member = models.CharField(max_length=200, blank=True, help_text="The cabinet member who leads on it.")
    closure_basis = models.CharField(
        max_length=200, blank=True, help_text="Why it was closed, e.g. 'Transitioned to business as usual'."
    )
    source_note = models.CharField(
        max_length=300, blank=True, help_text="Where the wording comes from, if not the published report."
    )
    position_update = models.ForeignKey(
        "recommendations.ProgressUpdate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text="The approved update today's position comes from (none: never updated).",
    )

    history = HistoricalRecords(excluded_fields=list(POSITION_FIELDS))

    class Meta:
        ordering = ["engagement", "position", "reference"]
        verbose_name = "recommendation"
        constraints = [
            models.UniqueConstraint(fields=["engagement", "reference"], name="recommendation_reference_unique"),
            models.CheckConstraint(condition=~Q(reference=""), name="recommendation_reference_present"),
            models.CheckConstraint(
                condition=Q(due_date__isnull=True) | Q(baseline_due_date__isnull=False),
                name="recommendation_due_date_has_baseline",
            ),
        ]
        indexes = [models.Index(fields=["owner"], name="recommendation_owner_idx")]

    def __str__(self) -> str:
        return f"{self.reference} {self.heading}".strip()

    def get_absolute_url(self) -> str:
        return reverse("recommendation_detail", kwargs={"slug": self.engagement.council.slug, "pk": self.pk})

    @property
    def council(self) -> "Council":
        return self.engagement.council

    @property
    def summary(self) -> str:
        """What lists show: the heading, or the text where there is none."""
        return self.heading or self.text


class Action(PlanItem):
    """One step of the council's action plan under a recommendation."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_actions",
        help_text="The officer accountable for progress.",
    )
    start_date = models.DateField(null=True, blank=True)
    percent_complete = models.PositiveSmallIntegerField(default=0, help_text="From 0 to 100.")
    position_update = models.ForeignKey(
        "recommendations.ProgressUpdate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text="The approved update today's position comes from (none: never updated).",
    )

    history = HistoricalRecords(excluded_fields=list(POSITION_FIELDS))

    class Meta:
        ordering = ["recommendation", "position", "reference"]
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "reference"], name="action_reference_unique"),
            models.CheckConstraint(condition=~Q(reference=""), name="action_reference_present"),
            models.CheckConstraint(
                condition=Q(percent_complete__gte=0) & Q(percent_complete__lte=100),
                name="action_percent_complete_valid",
                violation_error_message="Percentage complete must be between 0 and 100",
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(due_date__isnull=True) | Q(due_date__gte=F("start_date")),
                name="action_due_after_start",
                violation_error_message=DUE_BEFORE_START,  # the database's guard; forms and services check first
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(baseline_due_date__isnull=True)
                | Q(baseline_due_date__gte=F("start_date")),
                name="action_baseline_due_after_start",
            ),
            models.CheckConstraint(
                condition=Q(due_date__isnull=True) | Q(baseline_due_date__isnull=False),
                name="action_due_date_has_baseline",
            ),
        ]
        indexes = [models.Index(fields=["owner"], name="action_owner_idx")]

    def __str__(self) -> str:
        # Shortened at a word, with an ellipsis where it was cut, never in the middle of a word.
        return f"{self.reference} {textwrap.shorten(self.description, width=60, placeholder='…')}".strip()

    def get_absolute_url(self) -> str:
        return reverse("action_detail", kwargs={"slug": self.recommendation.engagement.council.slug, "pk": self.pk})

    @property
    def council(self) -> "Council":
        return self.recommendation.engagement.council

    @property
    def summary(self) -> str:
        return self.description


class DueDateChange(models.Model):
    """A move of a recommendation's target date or an action's due date, with its reason."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, null=True, blank=True, related_name="due_date_changes"
    )
    action = models.ForeignKey(Action, on_delete=models.CASCADE, null=True, blank=True, related_name="due_date_changes")
    previous_due_date = models.DateField(null=True, blank=True)
    new_due_date = models.DateField(null=True, blank=True)
    reason = models.TextField()
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["changed_at", "pk"]
        get_latest_by = "changed_at"
        constraints = [
            models.CheckConstraint(
                condition=Q(recommendation__isnull=True, action__isnull=False)
                | Q(recommendation__isnull=False, action__isnull=True),
                name="due_date_change_one_item",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="due_date_change_has_reason"),
        ]
        indexes = [
            models.Index(fields=["recommendation", "changed_at"], name="ddc_recommendation_idx"),
            models.Index(fields=["action", "changed_at"], name="ddc_action_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.previous_due_date} → {self.new_due_date}: {self.reason}"


# A recommendation or an action: what progress is recorded on.
Item = Recommendation | Action
