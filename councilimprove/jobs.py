"""The schedule, and what `manage.py run_due_jobs` does each time cron (or `make run`'s loop) calls it.

django-tasks-db runs tasks but has no schedule and no lease: a worker killed mid-task leaves its task RUNNING
for ever (django-tasks-db issue #46). So each call, at a moment `at`:

1. queues again every task that has been running longer than TASK_LEASE_SECONDS (its worker is taken to be
   gone; every job is safe to run twice);
2. enqueues each scheduled job whose interval has passed since the moment it was last due (JobRun), moving
   that moment in the same transaction as the enqueue, so overlapping calls enqueue it once.

Both take the moment as an argument, so tests move time without sleeping."""

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from councilimprove.models import JobRun

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Scheduled:
    name: str
    every: dt.timedelta
    task: str  # the dotted path of a task that takes `at`

    def is_due(self, *, last_due_at: dt.datetime | None, at: dt.datetime) -> bool:
        return last_due_at is None or at >= last_due_at + self.every


SCHEDULE = (
    Scheduled("sessions_clear", dt.timedelta(days=1), "councilimprove.tasks.sessions_clear"),
    Scheduled("task_results_prune", dt.timedelta(days=1), "councilimprove.tasks.task_results_prune"),
    Scheduled("uploads_clean", dt.timedelta(days=1), "recommendations.tasks.uploads_clean"),
    Scheduled("reminders_send", dt.timedelta(hours=1), "recommendations.tasks.reminders_send"),
)


def tasks_requeue_stale(*, at: dt.datetime) -> int:
    """Queue again each task that started more than the lease before `at` and is still RUNNING."""
    lease = dt.timedelta(seconds=settings.TASK_LEASE_SECONDS)
    stale = DBTaskResult.objects.running().filter(started_at__lt=at - lease)
    for pk, path in stale.values_list("pk", "task_path"):
        logger.warning("Task %s (%s) outlived its lease of %s: queued again", pk, path, lease)
    # One UPDATE with the same conditions: a task that finished meanwhile is left as it is.
    return stale.update(status=TaskResultStatus.READY, started_at=None)


def jobs_enqueue_due(*, at: dt.datetime, schedule: tuple[Scheduled, ...] = SCHEDULE) -> list[str]:
    """Enqueue each job of the schedule that is due at `at`; the names of those enqueued."""
    JobRun.objects.bulk_create([JobRun(name=job.name) for job in schedule], ignore_conflicts=True)
    enqueued = []
    for job in schedule:
        with transaction.atomic():
            run = JobRun.objects.select_for_update().get(name=job.name)
            if not job.is_due(last_due_at=run.last_due_at, at=at):
                continue
            run.last_due_at = at
            run.save(update_fields=["last_due_at"])
            import_string(job.task).enqueue(at=at.isoformat())
            enqueued.append(job.name)
    return enqueued
