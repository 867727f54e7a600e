from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from .councils import Council


class EngagementKind(models.Model):
    """A kind of peer challenge or return visit. Data, not code: platform staff can add kinds."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    is_peer_challenge = models.BooleanField(
        default=False,
        help_text="A full peer challenge (corporate, finance, governance) that the LGA timetable applies to.",
    )
    is_progress_review = models.BooleanField(
        default=False,
        help_text="A return visit that serves as a peer challenge's progress review in the LGA timetable "
        "(in 2020–21, Recovery and Renewal Panels took the progress review's place).",
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Peer(models.Model):
    """A member of an LGA peer team."""

    class Role(models.TextChoices):
        LEAD_PEER = "lead_peer", "Lead peer"
        MEMBER_PEER = "member_peer", "Member peer"
        OFFICER_PEER = "officer_peer", "Officer peer"
        CHALLENGE_MANAGER = "challenge_manager", "Peer challenge manager"

    name = models.CharField(max_length=200)
    role = models.CharField(max_length=30, choices=Role.choices)
    organisation = models.CharField(max_length=200, blank=True, help_text="The peer's home council or body.")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.get_role_display()}"


class Engagement(models.Model):
    """A peer challenge, or a return visit that belongs to one (its parent)."""

    class Mode(models.TextChoices):
        ONSITE = "onsite", "On site"
        REMOTE = "remote", "Remote"

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="engagements")
    kind = models.ForeignKey(EngagementKind, on_delete=models.PROTECT, related_name="engagements")
    title = models.CharField(max_length=200)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text="The peer challenge a return visit belongs to.",
    )
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.ONSITE)
    first_onsite_day = models.DateField(null=True, blank=True)
    last_onsite_day = models.DateField(null=True, blank=True)
    report_received = models.DateField(null=True, blank=True, help_text="When the LGA's report reached the council.")
    report_published = models.DateField(null=True, blank=True)
    action_plan_published = models.DateField(null=True, blank=True)
    report_url = models.URLField(blank=True, help_text="Where the LGA's report is published.")
    peers = models.ManyToManyField(Peer, blank=True, related_name="engagements")

    history = HistoricalRecords(excluded_fields=["peers"])

    class Meta:
        ordering = ["council", "first_onsite_day", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(first_onsite_day__isnull=True)
                | Q(last_onsite_day__isnull=True)
                | Q(last_onsite_day__gte=F("first_onsite_day")),
                name="engagement_onsite_days_in_order",
                violation_error_message="The last day must be the same as or after the first day",
            ),
            models.CheckConstraint(
                condition=Q(report_published__isnull=True)
                | Q(last_onsite_day__isnull=True)
                | Q(report_published__gte=F("last_onsite_day")),
                name="engagement_report_after_visit",
                violation_error_message="The report cannot be published before the last day on site",
            ),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="engagement_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.title


class Theme(models.Model):
    """A heading that groups an engagement's recommendations (a CPC component, or a review's theme)."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["engagement", "position", "name"]
        constraints = [models.UniqueConstraint(fields=["engagement", "name"], name="theme_unique_per_engagement")]

    def __str__(self) -> str:
        return self.name

    @property
    def council_id(self) -> int:
        return self.engagement.council_id
