import datetime as dt

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from councilimprove.jobs import jobs_enqueue_due, tasks_requeue_stale


def _moment(value: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(
            f"--at must be an ISO 8601 moment, such as 2026-12-01T06:00:00+00:00, not {value!r}"
        ) from exc
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


class Command(BaseCommand):
    help = "Queue again tasks that outlived their lease, and enqueue the jobs that are due (safe to run from cron)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--at", help="The moment to run for (ISO 8601); now by default.")

    def handle(self, *args: object, at: str | None = None, **options: object) -> None:
        at = _moment(at) if at else timezone.now()
        requeued = tasks_requeue_stale(at=at)
        enqueued = jobs_enqueue_due(at=at)
        if requeued or enqueued or int(options["verbosity"]) > 1:  # type: ignore[call-overload]
            self.stdout.write(
                f"{at.isoformat()}: {requeued} task(s) queued again; enqueued {', '.join(enqueued) or 'nothing'}"
            )
