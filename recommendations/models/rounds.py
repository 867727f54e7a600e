"""The update cycle: a lead asks the owners of a set of open items for progress by a date (an update round),
and reminders are sent about it, each claimed once."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from .councils import Council
from .engagements import Engagement
from .plan import Action, Recommendation
from .progress import ProgressUpdate


class UpdateRound(models.Model):
    """A call for updates on a set of open items: the period it covers (up to `period_end`) and the date
    updates are due. An update is "in" for an item when one was submitted for it, or a lead's direct change
    or an import was made, from the moment the round opened to the moment it closed. A council has at most one
    open round at a time."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="update_rounds")
    engagement = models.ForeignKey(
        Engagement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="update_rounds",
        help_text="The engagement whose plan it covers; none for the council's whole open plan.",
    )
    period_end = models.DateField(help_text="The last day of the period it covers: 'Progress to 31 January 2027'.")
    due_date = models.DateField(help_text="The date owners' updates are due.")
    opened_at = models.DateTimeField(default=timezone.now)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["council", "-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["council"], condition=Q(closed_at__isnull=True), name="update_round_one_open_per_council"
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True, closed_by__isnull=True)
                | Q(closed_at__isnull=False, closed_by__isnull=False),
                name="update_round_closed_by_someone",
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | Q(closed_at__gte=F("opened_at")),
                name="update_round_closes_after_opening",
            ),
        ]
        indexes = [models.Index(fields=["council", "closed_at"], name="update_round_council_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("round_detail", args=[self.council.slug, self.pk])

    @property
    def title(self) -> str:
        return f"Progress to {date_format(self.period_end, 'j F Y')}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class RoundItem(models.Model):
    """An item asked for in a round. When the round closes, what came in is recorded: the update submitted
    in the round (approved by then, or still waiting for sign-off), or nothing."""

    class Outcome(models.TextChoices):
        OPEN = "", "Round open"
        UPDATED = "updated", "Updated and signed off"
        WAITING = "waiting", "Updated, waiting for sign-off"
        MISSING = "missing", "No update received"

    round = models.ForeignKey(UpdateRound, on_delete=models.CASCADE, related_name="items")
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, null=True, blank=True, related_name="round_items"
    )
    action = models.ForeignKey(Action, on_delete=models.CASCADE, null=True, blank=True, related_name="round_items")
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True, default=Outcome.OPEN)
    update = models.ForeignKey(
        ProgressUpdate,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Recorded at closing: the update that came in for this round.",
    )

    class Meta:
        ordering = ["round", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(recommendation__isnull=True, action__isnull=False)
                | Q(recommendation__isnull=False, action__isnull=True),
                name="round_item_one_item",
            ),
            models.UniqueConstraint(
                fields=["round", "recommendation"],
                condition=Q(recommendation__isnull=False),
                name="round_item_recommendation_once",
            ),
            models.UniqueConstraint(
                fields=["round", "action"], condition=Q(action__isnull=False), name="round_item_action_once"
            ),
            models.CheckConstraint(
                condition=~Q(outcome__in=["", "missing"]) | Q(update__isnull=True),
                name="round_item_no_update_when_missing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.reference} in {self.round}"

    @property
    def item(self) -> Recommendation | Action:
        return self.recommendation or self.action  # type: ignore[return-value]


class Reminder(models.Model):
    """One reminder e-mail, claimed before it is sent: the row is inserted, unique on what it is about, its
    recipient, its kind and the day it is for, in the transaction that marks it "sending"; it is marked "sent"
    once the mail server has accepted it. Two workers cannot both claim it; a claim still "sending" after ten
    minutes (a worker that died) is tried again, so a crash can repeat one message but never skip one."""

    class Kind(models.TextChoices):
        ROUND_OPENED = "round_opened", "Round opened"
        BEFORE_DUE = "before_due", "Due soon"
        DUE_TODAY = "due_today", "Due today"
        OVERDUE = "overdue", "Overdue"
        LEAD_DIGEST = "lead_digest", "Weekly digest for leads"
        ACTION_PLAN_DUE = "action_plan_due", "Action plan due"
        PROGRESS_REVIEW_DUE = "progress_review_due", "Progress review due"

    class State(models.TextChoices):
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"

    round = models.ForeignKey(UpdateRound, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders")
    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    due_on = models.DateField(help_text="The day the reminder is for.")
    state = models.CharField(max_length=10, choices=State.choices, default=State.SENDING)
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["-due_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(round__isnull=True, engagement__isnull=False)
                | Q(round__isnull=False, engagement__isnull=True),
                name="reminder_about_one_thing",
            ),
            models.UniqueConstraint(
                fields=["round", "recipient", "kind", "due_on"],
                condition=Q(round__isnull=False),
                name="reminder_once_per_round",
            ),
            models.UniqueConstraint(
                fields=["engagement", "recipient", "kind", "due_on"],
                condition=Q(engagement__isnull=False),
                name="reminder_once_per_engagement",
            ),
            models.CheckConstraint(
                condition=Q(state="sending", sent_at__isnull=True) | Q(state="sent", sent_at__isnull=False),
                name="reminder_sent_has_moment",
            ),
        ]
        indexes = [models.Index(fields=["state", "claimed_at"], name="reminder_state_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.recipient} on {self.due_on:%Y-%m-%d} ({self.state})"

    @property
    def stale_after(self) -> dt.datetime:
        """When a claim still "sending" may be taken over: ten minutes after it was made."""
        return self.claimed_at + dt.timedelta(minutes=10)
