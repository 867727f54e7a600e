"""Reminder e-mails, each claimed once (docs/adr/012-reminders-claimed-once.md).

`reminders_due(at)` works out, for the moment `at` (its day in Europe/London), every reminder that should have
gone by then and has not; `reminders_send(at)` claims each one, sends it and records it as sent. The hourly job
(`recommendations.tasks.reminders_send`) calls it; running it again, or on two workers at once, sends nothing
twice.

What is due, for each update round open at `at`:

- **to each owner** (an active member of the council who owns an item of the round, recommendation or action,
  and whose update is not in for at least one of them: `selectors.round_returns` at `at`), one e-mail listing
  every such item with a link to record progress on it: `round_opened` on the day the round opened,
  `before_due` the council's `reminder_days_before_due` days before the due date, `due_today` on the due date,
  and `overdue` each week after it (due date + 7, + 14, …). An owner whose updates are all in gets nothing
  more; nobody can turn these off;
- **to each active lead who wants it** (`User.wants_lead_digest`), the `lead_digest` every Monday after the day
  the round opened: how many items are in, waiting for sign-off and missing, with a link to the round's page.

And, for each peer challenge with a last day on site (`recommendations.timetable`), to each active lead who wants
them (`User.wants_timetable_reminders`): `action_plan_due` and `progress_review_due`, once each, from the
council's `reminder_days_before_due` days before the date the LGA expects the milestone, for as long as it is
not met and its latest date has not passed. Their `due_on` is the milestone's expected date.

A closed round (closed by `at`) stops everything about it.

**Catching up.** Only the latest reminder that has fallen due is sent, never one per missed day: for an owner
the four kinds are one sequence (opening, before the due date, on it, each week overdue), and only its latest
step whose day has come is due; a step that was never claimed while it was the latest is passed over, because
the later one lists the same items. So after days of downtime an owner gets one e-mail (the latest), and a lead
one digest (the latest Monday's). In steady running every step is the latest on its own day, and goes.

**Claiming** (`reminder_claim`): a reminder is claimed by inserting its `Reminder` row, "sending", in a
transaction of its own; the row is unique on (round or engagement, recipient, kind, day), so of two workers one
inserts it and the other gets an IntegrityError and moves on. The claim commits before the e-mail is sent
(directly, not through the e-mail queue, so "sent" means the mail server accepted it); the row is then marked
"sent". A send that fails leaves the row "sending" and is logged; a row still "sending" ten minutes after its
claim (a failed send, or a worker that died) is taken over by a conditional UPDATE (`state='sending' AND
claimed_at < at - 10 minutes`) that one worker alone can win, and sent again, while it is still due. A crash
between the mail server's acceptance and the UPDATE to "sent" repeats that one message; nothing is skipped.
"""

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from councilimprove.mail import Email, email_render, shorten, site_link
from recommendations.models import Engagement, Membership, Reminder, RoundItem, UpdateRound, User
from recommendations.selectors.rounds import round_returns
from recommendations.timetable import MilestoneState, timetables
from recommendations.vocabulary import overdue_words

logger = logging.getLogger(__name__)

Kind = Reminder.Kind
TAKE_OVER_AFTER = dt.timedelta(minutes=10)  # a claim still "sending" this long after it was made is retried
OWNER_KINDS = (Kind.ROUND_OPENED, Kind.BEFORE_DUE, Kind.DUE_TODAY, Kind.OVERDUE)
# The timetable's milestones that leads are reminded of, by the name recommendations.timetable gives them.
TIMETABLE_KINDS = {"Action plan published": Kind.ACTION_PLAN_DUE, "Progress review held": Kind.PROGRESS_REVIEW_DUE}
TEMPLATES = {
    **dict.fromkeys(OWNER_KINDS, "emails/reminder_owner.html"),
    Kind.LEAD_DIGEST: "emails/reminder_lead_digest.html",
    Kind.ACTION_PLAN_DUE: "emails/reminder_timetable.html",
    Kind.PROGRESS_REVIEW_DUE: "emails/reminder_timetable.html",
}


@dataclass(frozen=True)
class Due:
    """One reminder that should have gone by the moment asked about and has not: what it is about, to whom,
    which kind and day, what its e-mail says, and the stale claim to take over where there is one."""

    kind: str
    recipient: User
    due_on: dt.date
    context: dict[str, Any] = field(compare=False, hash=False)
    round: UpdateRound | None = None
    engagement: Engagement | None = None
    stale: Reminder | None = field(default=None, compare=False, hash=False)

    @property
    def key(self) -> tuple[str, int, int, str, dt.date]:
        """What the row is unique on."""
        if self.round is not None:
            return ("round", self.round.pk, self.recipient.pk, self.kind, self.due_on)
        return ("engagement", self.engagement.pk, self.recipient.pk, self.kind, self.due_on)  # type: ignore[union-attr]


def round_link(update_round: UpdateRound) -> str:
    """The round's page, for e-mails."""
    return site_link(update_round.get_absolute_url())


def _day(moment: dt.datetime) -> dt.date:
    return timezone.localdate(moment)


def _long(day: dt.date) -> str:
    return date_format(day, "j F Y")


def owner_step(update_round: UpdateRound, *, today: dt.date) -> tuple[str, dt.date] | None:
    """The latest step of an owner's sequence of reminders whose day has come by `today`: the opening day,
    the council's number of days before the due date, the due date, and each seventh day after it. A step
    that would fall on or before the opening day is left out (the opening e-mail already says when updates
    are due)."""
    opened, due = _day(update_round.opened_at), update_round.due_date
    steps = [(Kind.ROUND_OPENED, opened)]
    steps.append((Kind.BEFORE_DUE, due - dt.timedelta(days=update_round.council.reminder_days_before_due)))
    steps.append((Kind.DUE_TODAY, due))
    weeks = (today - due).days // 7
    if weeks >= 1:
        steps.append((Kind.OVERDUE, due + dt.timedelta(weeks=weeks)))
    reached = [(kind, day) for kind, day in steps if day <= today and (kind == Kind.ROUND_OPENED or day > opened)]
    return max(reached, key=lambda step: step[1]) if reached else None  # max keeps the first of equal days


def digest_day(update_round: UpdateRound, *, today: dt.date) -> dt.date | None:
    """The latest Monday by `today` after the day the round opened, if there has been one."""
    monday = today - dt.timedelta(days=today.weekday())
    return monday if monday > _day(update_round.opened_at) else None


def _rounds_open(at: dt.datetime) -> list[UpdateRound]:
    return list(
        UpdateRound.objects.filter(Q(closed_at__isnull=True) | Q(closed_at__gt=at), opened_at__lte=at)
        .select_related("council", "engagement")
        .order_by("pk")
    )


def _existing(rounds: Iterable[UpdateRound], engagements: Iterable[Engagement]) -> dict[tuple, Reminder]:
    rows = Reminder.objects.filter(Q(round__in=[r.pk for r in rounds]) | Q(engagement__in=[e.pk for e in engagements]))
    return {
        ("round", row.round_id, row.recipient_id, row.kind, row.due_on)
        if row.round_id
        else ("engagement", row.engagement_id, row.recipient_id, row.kind, row.due_on): row
        for row in rows
    }


def _round_reminders(update_round: UpdateRound, *, at: dt.datetime, today: dt.date) -> list[Due]:
    council = update_round.council
    rows = list(
        update_round.items.select_related("recommendation__owner", "action__owner", "action__recommendation").order_by(
            "pk"
        )
    )
    returns = round_returns(update_round, until=at)
    members = set(
        Membership.objects.filter(council=council, is_active=True, user__is_active=True).values_list(
            "user_id", flat=True
        )
    )
    missing_by_owner: dict[int, list[dict[str, str]]] = defaultdict(list)
    owners: dict[int, User] = {}
    unowned = 0
    for row in rows:
        if row.pk in returns:
            continue
        item = row.item
        owner = item.owner
        if owner is None or owner.pk not in members:
            unowned += 1
            continue
        owners[owner.pk] = owner
        link = reverse(
            "recommendation_update_new" if row.recommendation_id else "action_update_new", args=[council.slug, item.pk]
        )
        missing_by_owner[owner.pk].append({"name": shorten(str(item)), "link": site_link(link)})
    base = {
        "council": council,
        "round_title": update_round.title,
        "due_date": _long(update_round.due_date),
        "my_work_link": site_link(reverse("my_work", args=[council.slug])),
        "preferences_link": site_link(reverse("account_preferences")),
    }
    due: list[Due] = []
    step = owner_step(update_round, today=today)
    if step is not None:
        kind, day = step
        for owner_id, items in missing_by_owner.items():
            context = {
                **base,
                "kind": kind,
                "recipient": owners[owner_id],
                "items": items,
                "days_left": (update_round.due_date - today).days,
                "overdue": overdue_words(update_round.due_date, today),
            }
            due.append(Due(kind, owners[owner_id], day, context, round=update_round))
    monday = digest_day(update_round, today=today)
    if monday is not None:
        signed_off = sum(1 for came in returns.values() if came.outcome == RoundItem.Outcome.UPDATED)
        waiting = len(returns) - signed_off
        counts = {
            "total": len(rows),
            "signed_off": signed_off,
            "waiting": waiting,
            "missing": len(rows) - len(returns),
            "unowned": unowned,
            "owners_missing": len(missing_by_owner),
        }
        leads = Membership.objects.active_leads(council.pk).filter(user__wants_lead_digest=True).select_related("user")
        for membership in leads.order_by("user_id"):
            context = {**base, "recipient": membership.user, "counts": counts, "round_link": round_link(update_round)}
            due.append(Due(Kind.LEAD_DIGEST, membership.user, monday, context, round=update_round))
    return due


def _timetable_reminders(*, today: dt.date) -> tuple[list[Due], list[Engagement]]:
    engagements = list(Engagement.objects.select_related("kind", "council").order_by("council_id", "pk"))
    by_council: dict[int, list[Engagement]] = defaultdict(list)
    for engagement in engagements:
        by_council[engagement.council_id].append(engagement)
    due: list[Due] = []
    concerned: list[Engagement] = []
    for council_engagements in by_council.values():
        council = council_engagements[0].council
        lead_days = dt.timedelta(days=council.reminder_days_before_due)
        milestones = []
        for timetable in timetables(council_engagements, today):
            challenge = next(e for e in council_engagements if e.pk == timetable.engagement_id)
            for milestone in timetable.milestones:
                kind = TIMETABLE_KINDS.get(milestone.name)
                if kind and milestone.state == MilestoneState.DUE and today >= milestone.expected - lead_days:
                    milestones.append((challenge, kind, milestone))
        if not milestones:
            continue
        leads = list(
            Membership.objects.active_leads(council.pk)
            .filter(user__wants_timetable_reminders=True)
            .select_related("user")
            .order_by("user_id")
        )
        for challenge, kind, milestone in milestones:
            concerned.append(challenge)
            for membership in leads:
                context = {
                    "council": council,
                    "kind": kind,
                    "recipient": membership.user,
                    "challenge": challenge.title,
                    "milestone": milestone.name,
                    "expected": _long(milestone.expected),
                    "latest": _long(milestone.latest),
                    "is_late": today > milestone.expected,
                    "days_left": (milestone.expected - today).days,
                    "link": site_link(reverse("engagement_detail", args=[council.slug, challenge.pk])),
                    "preferences_link": site_link(reverse("account_preferences")),
                }
                due.append(Due(kind, membership.user, milestone.expected, context, engagement=challenge))
    return due, concerned


def reminders_due(at: dt.datetime) -> list[Due]:
    """Every reminder that should have gone by `at` and has not (the module's docstring says which): those with
    no row yet, and those whose claim is still "sending" more than ten minutes before `at` (`stale` set).
    A few queries per open round and per council with a peer challenge, whatever the number of items."""
    today = _day(at)
    rounds = _rounds_open(at)
    candidates: list[Due] = []
    for update_round in rounds:
        candidates += _round_reminders(update_round, at=at, today=today)
    timetable_due, engagements = _timetable_reminders(today=today)
    candidates += timetable_due
    existing = _existing(rounds, engagements)
    due = []
    for candidate in candidates:
        row = existing.get(candidate.key)
        if row is None:
            due.append(candidate)
        elif row.state == Reminder.State.SENDING and row.claimed_at < at - TAKE_OVER_AFTER:
            due.append(replace(candidate, stale=row))
    return due


def reminder_claim(due: Due, *, at: dt.datetime) -> Reminder | None:
    """Claim a reminder for this worker, in a transaction of its own that commits before anything is sent: its
    row inserted "sending" (an IntegrityError: another worker holds it), or a stale claim taken over by a
    conditional UPDATE (no row changed: another worker took it over first). None when it is not ours."""
    if due.stale is not None:
        taken = Reminder.objects.filter(
            pk=due.stale.pk, state=Reminder.State.SENDING, claimed_at__lt=at - TAKE_OVER_AFTER
        ).update(claimed_at=at, attempts=F("attempts") + 1)
        if not taken:
            return None
        due.stale.refresh_from_db(fields=["claimed_at", "attempts"])
        return due.stale
    try:
        with transaction.atomic():
            return Reminder.objects.create(
                round=due.round,
                engagement=due.engagement,
                recipient=due.recipient,
                kind=due.kind,
                due_on=due.due_on,
                state=Reminder.State.SENDING,
                claimed_at=at,
            )
    except IntegrityError:
        return None


def reminder_email(due: Due) -> Email:
    return email_render(template=TEMPLATES[due.kind], context=due.context, to=[due.recipient.email])


def email_deliver(email: Email) -> None:
    """Hand one e-mail to the mail server now; an exception if it refuses it (or cannot be reached)."""
    message = EmailMultiAlternatives(
        subject=email.subject, body=email.text, from_email=settings.DEFAULT_FROM_EMAIL, to=email.to
    )
    message.attach_alternative(email.html, "text/html")
    message.send(fail_silently=False)


def reminder_mark_sent(reminder: Reminder, *, at: dt.datetime) -> None:
    """Record that the mail server accepted the reminder (at the run's moment)."""
    Reminder.objects.filter(pk=reminder.pk, state=Reminder.State.SENDING).update(state=Reminder.State.SENT, sent_at=at)


def reminders_send(*, at: dt.datetime) -> int:
    """Claim, send and record every reminder due at `at` (`reminders_due`); the number sent. Not to be run
    inside a transaction: each claim must commit before its e-mail goes."""
    sent = 0
    for due in reminders_due(at):
        reminder = reminder_claim(due, at=at)
        if reminder is None:
            continue
        try:
            email_deliver(reminder_email(due))
        except Exception:
            logger.exception(
                "Reminder %s (%s to %s) could not be sent (attempt %d); tried again after %s",
                reminder.pk,
                due.kind,
                due.recipient.email,
                reminder.attempts,
                TAKE_OVER_AFTER,
            )
            continue
        reminder_mark_sent(reminder, at=at)
        sent += 1
    return sent


def reminder_preferences_set(*, user: User, lead_digest: bool, timetable: bool) -> User:
    """A person chooses the optional reminders: the weekly digest and the LGA timetable's (for leads). Those
    asking for their own items in an update round cannot be turned off."""
    user.wants_lead_digest, user.wants_timetable_reminders = lead_digest, timetable
    user.save(update_fields=["wants_lead_digest", "wants_timetable_reminders"])
    return user
