from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords


class Council(models.Model):
    class Kind(models.TextChoices):
        UNITARY = "unitary", "Unitary authority"
        METROPOLITAN_BOROUGH = "metropolitan_borough", "Metropolitan borough"
        COUNTY = "county", "County council"
        DISTRICT = "district", "District council"
        LONDON_BOROUGH = "london_borough", "London borough"
        COMBINED_AUTHORITY = "combined_authority", "Combined authority"

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=80, unique=True, help_text="Used in web addresses, e.g. 'st-helens'.")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    region = models.CharField(max_length=100, blank=True, help_text="For example 'North West'.")
    update_interval_months = models.PositiveSmallIntegerField(
        "update interval in months",
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
        help_text="How often progress is expected on each open item: one with no approved update for longer than "
        "this is flagged on its page, in the tables and on the dashboard.",
    )
    reminder_days_before_due = models.PositiveSmallIntegerField(
        "reminder days before the due date",
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text="In an update round, owners who have not updated are reminded this many days before the "
        "round's due date (and again on the day, and weekly while overdue).",
    )
    data_version = models.PositiveBigIntegerField(
        default=1,
        editable=False,
        help_text="Raised in the same transaction as every write to the council's data; part of the key of "
        "what is cached about it (the dashboard), so nothing cached is read after a change.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(update_interval_months__gte=1, update_interval_months__lte=24),
                name="council_update_interval_1_to_24_months",
            ),
            models.CheckConstraint(
                condition=models.Q(reminder_days_before_due__gte=1, reminder_days_before_due__lte=30),
                name="council_reminder_days_1_to_30",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("council_home", kwargs={"slug": self.slug})


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active_leads(self, council_id: int) -> "MembershipQuerySet":
        """The council's improvement leads who can act: their membership and their account both active."""
        return self.filter(council_id=council_id, role=Membership.Role.LEAD, is_active=True, user__is_active=True)


class Membership(models.Model):
    """A user's role in one council. Everything a user sees is scoped by their active memberships."""

    class Role(models.TextChoices):
        OFFICER = "officer", "Officer"
        LEAD = "lead", "Improvement lead"
        LEADERSHIP = "leadership", "Leadership"
        ADVISER = "adviser", "Peer or LGA adviser"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    is_active = models.BooleanField(default=True, help_text="Untick when someone leaves; their history stays.")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["council", "user"]
        constraints = [models.UniqueConstraint(fields=["user", "council"], name="membership_one_per_council")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}, {self.council}"


class Directorate(models.Model):
    """A service area of a council, such as 'Children's Services'."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="directorates")
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["council", "name"]
        constraints = [models.UniqueConstraint(fields=["council", "name"], name="directorate_unique_per_council")]

    def __str__(self) -> str:
        return self.name
