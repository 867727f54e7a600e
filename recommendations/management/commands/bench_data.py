"""`manage.py bench_data --scale N`: a large, realistic data set for the benchmark harness (bench/run.py).

Scale 1 is 5 councils, scale 10 is 50 (slugs bench-0001, bench-0002, ...). Each council has a corporate
peer challenge five years old with 20 recommendations under five themes, 100 actions, directorates,
owners, a lead, an officer and a leadership member, five years of monthly approved progress updates,
some slipped due dates, link evidence, and a few updates waiting for review or still in draft.

For speed most rows are bulk-created, which skips what `save()` and the services add, so the history the
services would have written is bulk-created too:
- each recommendation and action has the history record of its creation, and each action one more at every
  approved update that set its % complete (as `update_approve` saves it), so as-at pages read five years
  of history as they would in use; memberships and evidence have no history;
- approved progress updates are inserted directly as approved rows with their approval moment set
  (the database trigger refuses only to change or delete an approved update, not to insert one), and the
  items' stored positions then set by `services.positions_refresh`, as an import does.
The latest update of each council's first recommendation and first action still go through the services
(update_create + update_submit + update_approve, and update_record), so that path is exercised too.

Running it again adds only the councils that are missing for the scale; --reset removes every bench
council (and its users) first.
"""

import datetime as dt
import random
import time
from argparse import SUPPRESS
from typing import Any
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from recommendations import services
from recommendations.models import (
    Action,
    Council,
    Directorate,
    DueDateChange,
    Engagement,
    EngagementKind,
    Evidence,
    Membership,
    ProgressUpdate,
    Rag,
    Recommendation,
    Status,
    Theme,
    User,
)

COUNCILS_PER_SCALE = 5
RECOMMENDATIONS = 20
ACTIONS_PER_RECOMMENDATION = 5
MONTHS = 60
SLUG_PREFIX = "bench-"
EMAIL_DOMAIN = "bench.example"
LONDON = ZoneInfo("Europe/London")
TRIGGER = "recommendations_progressupdate_approved_immutable"

DIRECTORATES = ["Adults and Health", "Children's Services", "Place", "Resources", "Chief Executive's Office"]
OWNER_COUNT = 4
Approved = ProgressUpdate.ReviewState.APPROVED


def _months(today: dt.date) -> list[dt.datetime]:
    """The 15th of each of the last MONTHS months, at 10:00 London time, none in the future."""
    year, month = today.year, today.month
    if today.day < 15:
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    moments = []
    for _ in range(MONTHS):
        moments.append(dt.datetime(year, month, 15, 10, tzinfo=LONDON))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return moments[::-1]


def _add_months(day: dt.date, months: int) -> dt.date:
    month0 = day.month - 1 + months
    return dt.date(day.year + month0 // 12, month0 % 12 + 1, min(day.day, 28))


class Command(BaseCommand):
    help = (
        "Generate benchmark data: --scale 1 is 5 councils (bench-0001...), --scale 10 is 50, each with 20 "
        "recommendations, 100 actions and five years of monthly approved updates with evidence. Rows are "
        "bulk-created without history records (benchmark data only); approved updates are inserted as approved "
        "rows. Adds only missing councils; --reset removes all bench councils first. Needs DEBUG on or --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", type=int, default=1, help="1 = 5 councils, 10 = 50 councils.")
        parser.add_argument("--reset", action="store_true", help="Remove every bench council and user first.")
        parser.add_argument("--force", action="store_true", help="Run even though DEBUG is off.")
        parser.add_argument("--councils", type=int, default=None, help=SUPPRESS)  # tests: a tiny data set

    def handle(self, *args: Any, scale: int, reset: bool, force: bool, councils: int | None, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "bench_data fills the database with thousands of fictional rows, so it runs only when DEBUG is on. "
                "Pass --force if this is a benchmark database."
            )
        if scale < 1:
            raise CommandError("--scale must be 1 or more")
        started = time.perf_counter()
        if reset:
            removed = _reset()
            self.stdout.write(f"Removed {removed} bench councils in {time.perf_counter() - started:.1f}s")
        count = councils if councils is not None else COUNCILS_PER_SCALE * scale
        months = _months(timezone.localdate())
        kind = EngagementKind.objects.get(slug="corporate-peer-challenge")
        created = updates = 0
        for number in range(1, count + 1):
            slug = f"{SLUG_PREFIX}{number:04d}"
            if Council.objects.filter(slug=slug).exists():
                continue
            with transaction.atomic():
                updates += _council(number, slug, kind, months)
            created += 1
        elapsed = time.perf_counter() - started
        total = Council.objects.filter(slug__startswith=SLUG_PREFIX).count()
        self.stdout.write(
            f"Created {created} councils with {updates} approved updates ({total} bench councils in all) "
            f"in {elapsed:.1f}s"
        )


def _reset() -> int:
    """Remove the bench councils. Approved updates cannot be deleted while the trigger is on (PostgreSQL), so
    it is switched off inside this one transaction only, and only bench rows are deleted."""
    councils = Council.objects.filter(slug__startswith=SLUG_PREFIX)
    count = councils.count()
    with transaction.atomic():
        updates = ProgressUpdate.objects.filter(author__email__endswith=f".{EMAIL_DOMAIN}")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE refuses pending trigger events
                cursor.execute(f"ALTER TABLE recommendations_progressupdate DISABLE TRIGGER {TRIGGER}")
                # The items name their position's update until they go too: the keys are checked at the end.
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        Evidence.updates.through.objects.filter(progressupdate__in=updates).delete()
        updates._raw_delete(updates.db)  # the model refuses to delete approved updates; this is bench data
        DueDateChange.objects.filter(changed_by__email__endswith=f".{EMAIL_DOMAIN}").delete()
        # The benchmark's draft reports (never published) hold on to their sessions and engagements.
        apps.get_model("reports", "SummaryReport").objects.filter(council__in=councils).delete()
        Engagement.objects.filter(council__in=councils, parent__isnull=False).delete()  # a parent is protected
        councils.delete()
        User.objects.filter(email__endswith=f".{EMAIL_DOMAIN}").delete()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # every key checked, nothing left pending
                cursor.execute(f"ALTER TABLE recommendations_progressupdate ENABLE TRIGGER {TRIGGER}")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    return count


def _history(
    recommendations: list[Recommendation],
    actions: list[Action],
    updates: list[ProgressUpdate],
    *,
    lead: User,
    created_at: dt.datetime,
    moved_at: dt.datetime,
) -> None:
    """The history records the services would have written: each item's creation, and each approved update
    that set an action's % complete (the approval saves the action, raising its version)."""

    # Each history model and the columns it copies from its item, looked up once: `Model.history` builds a new
    # manager class at every access, which cost more than the rest of the generation together.
    copied: dict[type, tuple[type, list[str]]] = {}
    for model in (Recommendation, Action):
        history = model.history.model
        names = {field.attname for field in model._meta.concrete_fields}
        copied[model] = (
            history,
            [f.attname for f in history._meta.fields if not f.attname.startswith("history_") and f.attname in names],
        )

    def record(model: type, item: Any, at: dt.datetime, kind: str, **values: Any) -> Any:
        history, names = copied[model]
        fields = {name: getattr(item, name) for name in names}
        return history(**{**fields, **values}, history_date=at, history_type=kind, history_user=lead)

    def due(item: Any, at: dt.datetime) -> dt.date | None:
        moved = item.due_date != item.baseline_due_date and at < moved_at
        return item.baseline_due_date if moved else item.due_date

    rows = [record(Recommendation, item, created_at, "+", due_date=due(item, created_at)) for item in recommendations]
    copied[Recommendation][0].objects.bulk_create(rows, batch_size=2000)
    steps: dict[int, list[ProgressUpdate]] = {}
    for update in updates:
        if update.action_id and update.review_state == Approved and update.percent_complete is not None:
            steps.setdefault(update.action_id, []).append(update)
    rows = []
    for action in actions:
        rows.append(
            record(Action, action, created_at, "+", percent_complete=0, version=1, due_date=due(action, created_at))
        )
        for version, update in enumerate(sorted(steps.get(action.pk, []), key=lambda u: u.approved_at), start=2):
            at = update.approved_at
            rows.append(
                record(
                    Action,
                    action,
                    at,
                    "~",
                    percent_complete=update.percent_complete,
                    version=version,
                    due_date=due(action, at),
                )
            )
        action.version = 1 + len(steps.get(action.pk, []))
    copied[Action][0].objects.bulk_create(rows, batch_size=2000)
    Action.objects.bulk_update(actions, ["version"], batch_size=2000)


def _council(number: int, slug: str, kind: EngagementKind, months: list[dt.datetime]) -> int:
    """One bench council and its five years; the number of approved updates it holds."""
    rng = random.Random(number)  # noqa: S311 - fictional data, repeatable per council
    council = Council.objects.create(
        name=f"Bench Council {number:04d}", slug=slug, kind=Council.Kind.UNITARY, region="Benchmark"
    )
    people = {
        role: User(email=f"{role}@{slug}.{EMAIL_DOMAIN}", first_name=role.title(), last_name=f"Bench {number:04d}")
        for role in ("lead", "officer", "leadership", *(f"owner{n}" for n in range(1, OWNER_COUNT + 1)))
    }
    for user in people.values():
        user.set_unusable_password()  # the harness signs in by creating a session
    User.objects.bulk_create(people.values())
    people = {user.email.split("@")[0]: user for user in User.objects.filter(email__endswith=f"@{slug}.{EMAIL_DOMAIN}")}
    roles = {"lead": Membership.Role.LEAD, "leadership": Membership.Role.LEADERSHIP}
    Membership.objects.bulk_create(
        Membership(user=user, council=council, role=roles.get(name, Membership.Role.OFFICER))
        for name, user in people.items()
    )
    lead = people["lead"]
    owners = [people["officer"], *(people[f"owner{n}"] for n in range(1, OWNER_COUNT + 1))]
    directorates = Directorate.objects.bulk_create(Directorate(council=council, name=name) for name in DIRECTORATES)

    last_onsite = months[0].date() - dt.timedelta(days=45)
    engagement = Engagement.objects.create(
        council=council,
        kind=kind,
        title="Corporate peer challenge",
        first_onsite_day=last_onsite - dt.timedelta(days=3),
        last_onsite_day=last_onsite,
        report_received=last_onsite + dt.timedelta(days=30),
        report_published=last_onsite + dt.timedelta(days=60),
        action_plan_published=last_onsite + dt.timedelta(days=90),
        report_url="https://www.local.gov.uk/bench-report",
    )
    themes = Theme.objects.bulk_create(
        Theme(engagement=engagement, name=name, position=position)
        for position, name in enumerate(services.CPC_CORE_COMPONENTS)
    )
    created_at = dt.datetime.combine(last_onsite + dt.timedelta(days=14), dt.time(9), tzinfo=LONDON)

    # Each item's course: when work starts, when it finishes (never, for some), and its due date.
    def plan_dates() -> dict[str, Any]:
        baseline = _add_months(last_onsite, rng.randint(12, 48))
        return {
            "baseline_due_date": baseline,
            "due_date": _add_months(baseline, rng.randint(3, 9)) if rng.random() < 0.3 else baseline,
        }

    recommendations = Recommendation.objects.bulk_create(
        Recommendation(
            engagement=engagement,
            reference=f"R{r + 1}",
            position=r,
            heading=f"Recommendation {r + 1} heading",
            text=f"Recommendation {r + 1}: strengthen the council's approach to this area, with a clear plan.",
            theme=themes[r % len(themes)],
            lead_directorate=directorates[r % len(directorates)],
            owner=owners[r % len(owners)],
            lead_member=f"Councillor {r + 1}",
            created_at=created_at,
            **plan_dates(),
        )
        for r in range(RECOMMENDATIONS)
    )

    def course(first: bool) -> tuple[int, int]:
        start = rng.randint(0, 6)
        finish = MONTHS + 1 if first or rng.random() < 0.35 else rng.randint(start + 6, MONTHS + 12)
        return start, finish

    recommendation_courses = [course(first=index == 0) for index in range(RECOMMENDATIONS)]
    action_courses = []
    actions = []
    for r, recommendation in enumerate(recommendations):
        for a in range(ACTIONS_PER_RECOMMENDATION):
            start, finish = course(first=r == 0 and a == 0)
            action_courses.append((start, finish))
            done = min(100, round(100 * (MONTHS - 1 - start) / max(1, finish - start)))
            actions.append(
                Action(
                    recommendation=recommendation,
                    reference=f"{r + 1}.{a + 1}",
                    position=a,
                    description=f"Action {r + 1}.{a + 1}: deliver the next step of recommendation {r + 1}.",
                    owner=owners[(r + a) % len(owners)],
                    start_date=last_onsite,
                    percent_complete=max(0, done),
                    created_at=created_at,
                    **plan_dates(),
                )
            )
    actions = Action.objects.bulk_create(actions)

    DueDateChange.objects.bulk_create(
        DueDateChange(
            **{"recommendation" if isinstance(item, Recommendation) else "action": item},
            previous_due_date=item.baseline_due_date,
            new_due_date=item.due_date,
            reason="Resources moved to a higher priority",
            changed_by=lead,
            changed_at=months[12],
        )
        for item in [*recommendations, *actions]
        if item.due_date != item.baseline_due_date
    )

    # Five years of monthly approved updates; the last one of the first recommendation and of the first
    # action is left to the services below.
    items = [("recommendation", item) for item in recommendations] + [("action", item) for item in actions]
    updates: list[ProgressUpdate] = []
    for (kind_name, item), (start, finish) in zip(items, recommendation_courses + action_courses, strict=True):
        last = MONTHS - 1 if item in (recommendations[0], actions[0]) else MONTHS
        for month in range(start, min(finish + 1, last)):
            finished = month >= finish
            rag = Rag.GREEN if finished else rng.choices([Rag.GREEN, Rag.AMBER, Rag.RED], [6, 3, 1])[0]
            at = months[month]
            updates.append(
                ProgressUpdate(
                    **{kind_name: item},
                    author=item.owner,
                    status=Status.COMPLETE if finished else Status.IN_PROGRESS,
                    rag=rag,
                    rag_reason="" if rag == Rag.GREEN else "Capacity in the team is stretched this quarter.",
                    narrative=f"Monthly update for {at:%B %Y}: work continues as planned with partners.",
                    percent_complete=min(100, round(100 * (month - start) / max(1, finish - start)))
                    if kind_name == "action"
                    else None,
                    source=ProgressUpdate.Source.OWNER,
                    review_state=Approved,
                    created_at=at - dt.timedelta(days=2),
                    submitted_at=at - dt.timedelta(days=1),
                    reviewer=lead,
                    reviewed_at=at,
                    approved_at=at,
                    **(
                        {
                            "assurance_rag": Rag.AMBER,
                            "assurance_reason": "Amber until the new process has run a full quarter.",
                        }
                        if rag == Rag.GREEN and rng.random() < 0.05
                        else {}
                    ),
                )
            )
    # A few waiting for review and a few drafts, this month.
    now = months[-1] + dt.timedelta(days=1)
    for index, (kind_name, item) in enumerate(items[RECOMMENDATIONS : RECOMMENDATIONS + 10]):
        submitted = index % 2 == 0
        updates.append(
            ProgressUpdate(
                **{kind_name: item},
                author=item.owner,
                status=Status.IN_PROGRESS,
                rag=Rag.GREEN,
                narrative="Next month's update.",
                review_state=ProgressUpdate.ReviewState.SUBMITTED if submitted else ProgressUpdate.ReviewState.DRAFT,
                created_at=now,
                submitted_at=now if submitted else None,
            )
        )
    updates = ProgressUpdate.objects.bulk_create(updates, batch_size=2000)
    _history(recommendations, actions, updates, lead=lead, created_at=created_at, moved_at=months[12])
    # Inserted in bulk, so the stored positions are set here, as an import sets them: by the one service.
    services.positions_refresh(model=Recommendation, ids=[item.pk for item in recommendations])
    services.positions_refresh(model=Action, ids=[item.pk for item in actions])

    # Link evidence: one a year for each item, attached to that year's first approved update.
    evidence: list[Evidence] = []
    attach: list[tuple[str, Any, ProgressUpdate]] = []
    for update in updates:
        if update.review_state == Approved and update.approved_at.month == months[0].month:
            item = update.recommendation or update.action
            evidence.append(
                Evidence(
                    council=council,
                    kind=Evidence.Kind.LINK,
                    title=f"Report to cabinet, {update.approved_at:%B %Y}: {item.reference}",
                    url=f"https://democracy.{slug}.example/report/{item.reference}/{update.approved_at:%Y}",
                    dated=update.approved_at.date(),
                    internal=rng.random() < 0.2,
                    added_by=update.author,
                    created_at=update.created_at,
                )
            )
            attach.append(("recommendation" if update.recommendation_id else "action", item, update))
    evidence = Evidence.objects.bulk_create(evidence, batch_size=2000)
    Evidence.updates.through.objects.bulk_create(
        Evidence.updates.through(evidence=row, progressupdate=update)
        for row, (_, _, update) in zip(evidence, attach, strict=True)
    )
    Evidence.recommendations.through.objects.bulk_create(
        Evidence.recommendations.through(evidence=row, recommendation=item)
        for row, (kind_name, item, _) in zip(evidence, attach, strict=True)
        if kind_name == "recommendation"
    )
    Evidence.actions.through.objects.bulk_create(
        Evidence.actions.through(evidence=row, action=item)
        for row, (kind_name, item, _) in zip(evidence, attach, strict=True)
        if kind_name == "action"
    )

    # This month's update of the first recommendation and the first action, through the services.
    at = months[-1]
    draft = services.update_create(
        item=recommendations[0],
        author=recommendations[0].owner,
        status=Status.IN_PROGRESS,
        rag=Rag.AMBER,
        rag_reason="Waiting for the new structure to be agreed.",
        narrative="Monthly update: consultation on the new structure has closed.",
        at=at - dt.timedelta(days=2),
    )
    services.update_submit(update=draft, at=at - dt.timedelta(days=1), notify=False)
    services.update_approve(update=draft, reviewer=lead, at=at, notify=False)
    services.update_record(
        item=actions[0],
        author=lead,
        status=Status.IN_PROGRESS,
        rag=Rag.GREEN,
        narrative="Recorded by the improvement lead at the programme board.",
        percent_complete=95,
        at=at,
    )
    return sum(update.review_state == Approved for update in updates) + 2  # and the two the services approved
