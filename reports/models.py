"""Panel sessions, what the summary report quotes (achievements, key figures, comments), and the report
with its published versions (DESIGN.md §2–3)."""

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from recommendations.models import Council, Engagement, Peer, Recommendation


class PanelSession(models.Model):
    """The meeting of an engagement (a Recovery and Renewal Panel, a peer support session, a review)."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField("date")
    mode = models.CharField(max_length=10, choices=Engagement.Mode.choices, default=Engagement.Mode.REMOTE)
    peers = models.ManyToManyField(Peer, blank=True, related_name="sessions", help_text="The peers present.")
    recommendations = models.ManyToManyField(
        Recommendation, blank=True, related_name="sessions", help_text="The recommendations discussed."
    )
    # The summary of the approach, as the LGA's reports open with it.
    scope = models.TextField(blank=True, help_text="What the peers were asked to look at.")
    met = models.TextField("who the peers met", blank=True, help_text="e.g. 'The Leader, Cabinet and the senior team'.")
    # Next steps, as the LGA's reports close with them.
    support_offer = models.TextField("the LGA's support offer", blank=True)
    principal_adviser = models.CharField("principal adviser", max_length=200, blank=True)
    principal_adviser_email = models.EmailField("principal adviser's email address", blank=True)
    next_check_in = models.DateField("next check-in", null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Raised by every edit, so that a second editor working from an older copy is refused.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["held_on", "pk"]
        verbose_name = "panel session"

    def __str__(self) -> str:
        return f"{self.engagement.title}, {self.held_on:%-d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("session_detail", args=[self.engagement.council.slug, self.pk])

    @property
    def council_id(self) -> int:
        return self.engagement.council_id


class Finding(models.Model):
    """What the peers said under one theme of a session: what they commended, or where they urged focus."""

    class Kind(models.TextChoices):
        COMMENDED = "commended", "Commended"
        FURTHER_FOCUS = "further_focus", "Further focus"

    session = models.ForeignKey(PanelSession, on_delete=models.CASCADE, related_name="findings")
    theme = models.CharField(max_length=200, help_text="The session's own grouping, e.g. 'The financial position'.")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.TextField()
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["session", "position", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="finding_has_text")]

    def __str__(self) -> str:
        return f"{self.theme}: {self.get_kind_display()}"

    @property
    def council_id(self) -> int:
        return self.session.engagement.council_id


class NextStep(models.Model):
    session = models.ForeignKey(PanelSession, on_delete=models.CASCADE, related_name="next_steps")
    text = models.TextField()
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["session", "position", "pk"]
        verbose_name = "next step"
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="next_step_has_text")]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def council_id(self) -> int:
        return self.session.engagement.council_id


class Achievement(models.Model):
    """An award or other recognition the council names in its reports, from the day it was won or announced."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="achievements")
    title = models.CharField(max_length=300)
    awarded_by = models.CharField(max_length=200, blank=True)
    awarded_on = models.DateField(
        "won or announced on", help_text="It appears only in reports as at this day or later."
    )
    description = models.TextField(blank=True, help_text="What it recognised, e.g. 'the Ways of Working programme'.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["council", "awarded_on", "title"]

    def __str__(self) -> str:
        return self.title


class KeyFigure(models.Model):
    """A labelled figure as published (money, a count, a percentage), for the period it describes, from the
    day it was reported. A derived figure keeps its formula over other figures' keys as data (e.g.
    `pressure - funding`): the report computes it and says so in words where the published value differs.

    A figure reported again (a revised forecast) is a new row with the same key and a later `reported_on`:
    a report as at a day shows, for each key, the latest reported by then, and formulas use those."""

    class Unit(models.TextChoices):
        POUNDS = "gbp", "Pounds (£)"
        COUNT = "count", "Count"
        PERCENT = "percent", "Per cent"

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="key_figures")
    key = models.SlugField(max_length=60, help_text="How formulas refer to it, e.g. 'pressure'.")
    label = models.CharField(max_length=300)
    value = models.DecimalField(max_digits=16, decimal_places=2, help_text="As published.")
    unit = models.CharField(max_length=10, choices=Unit.choices, default=Unit.POUNDS)
    period = models.CharField(max_length=40, blank=True, help_text="The period it describes, e.g. '2020/21'.")
    reported_on = models.DateField(help_text="The day it was reported: it appears only in reports as at then or later.")
    formula = models.CharField(
        max_length=200, blank=True, help_text="For a derived figure: other figures' keys with + − × ÷ and brackets."
    )
    note = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["council", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["council", "key", "reported_on"], name="key_figure_key_reported_unique")
        ]

    def __str__(self) -> str:
        return self.label


class Quote(models.Model):
    """A comment of the council's (its Leader's, its chief executive's): the council's response in a report
    as at the day it was said or later."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="quotes")
    who = models.CharField(max_length=200)
    role = models.CharField(max_length=200, blank=True)
    said_on = models.DateField(help_text="It appears only in reports as at this day or later.")
    occasion = models.CharField(max_length=200, blank=True, help_text="Where it was said, e.g. 'at Cabinet'.")
    text = models.TextField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["council", "said_on", "pk"]

    def __str__(self) -> str:
        return f"{self.who}: {self.text[:60]}"


class SummaryReport(models.Model):
    """The Peer Support Summary Report of a session (or of an engagement): generated sections around the
    narrative a lead edits (a Markdown subset). Its data is as at the session's date (or the engagement's
    last day). Publishing freezes a version."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="summary_reports")
    session = models.ForeignKey(
        PanelSession, on_delete=models.PROTECT, null=True, blank=True, related_name="summary_reports"
    )
    engagement = models.ForeignKey(
        Engagement, on_delete=models.PROTECT, null=True, blank=True, related_name="summary_reports"
    )
    title = models.CharField(max_length=200, help_text="Unique among the council's reports.")
    executive_summary = models.TextField(blank=True, help_text="The peers' overall view.")
    introduction = models.TextField(blank=True, help_text="The original challenge, earlier sessions, this session.")
    themes_lead_in = models.TextField("key themes lead-in", blank=True)
    next_steps_lead_in = models.TextField("next steps lead-in", blank=True)
    version = models.PositiveIntegerField(default=1, editable=False, help_text="Raised by every edit.")
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["council", "-created_at"]
        verbose_name = "summary report"
        constraints = [
            models.CheckConstraint(
                condition=Q(session__isnull=False, engagement__isnull=True)
                | Q(session__isnull=True, engagement__isnull=False),
                name="summary_report_of_one_thing",
            ),
            models.UniqueConstraint(fields=["council", "title"], name="summary_report_title_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.subject})"

    def get_absolute_url(self) -> str:
        return reverse("report_detail", args=[self.council.slug, self.pk])

    @property
    def subject(self) -> PanelSession | Engagement:
        return self.session or self.engagement  # type: ignore[return-value]


class PublishedVersionQuerySet(models.QuerySet["PublishedVersion"]):
    def update(self, **kwargs: Any) -> int:
        raise VersionLocked("A published version of a report is never changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise VersionLocked("A published version of a report is never deleted")


class VersionLocked(PermissionDenied):
    """A published version is a record: its stored HTML and PDF never change."""


class PublishedVersion(models.Model):
    """One publication of a report, as it was: its HTML and PDF stored with their SHA-256, served as stored
    from then on. The database refuses to change or delete it (a trigger), as do the model and queryset."""

    report = models.ForeignKey(SummaryReport, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    data_as_at = models.DateField()
    html = models.TextField(help_text="The report's content as published.")
    html_sha256 = models.CharField("HTML SHA-256", max_length=64)
    pdf = models.BinaryField()
    pdf_sha256 = models.CharField("PDF SHA-256", max_length=64)
    # Nullable with no default, so that adding it kept the table (and its triggers) as they were.
    warnings_seen = models.JSONField(
        null=True,
        blank=True,
        help_text="The warnings the lead was shown on the confirmation page and published anyway (empty if none).",
    )

    objects = PublishedVersionQuerySet.as_manager()

    class Meta:
        ordering = ["report", "number"]
        verbose_name = "published version"
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="published_version_number_unique")]

    def __str__(self) -> str:
        return f"{self.report.title}, version {self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise VersionLocked("A published version of a report is never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise VersionLocked("A published version of a report is never deleted")

    @property
    def council_id(self) -> int:
        return self.report.council_id
