"""The app's jobs for the worker (`manage.py db_worker`); `run_due_jobs` enqueues them on the schedule in
councilimprove/jobs.py. Each takes its moment (`at`, an ISO 8601 string) and is safe to run twice."""

import datetime as dt

from django_tasks import task

from recommendations import services
from recommendations.services import reminders


@task()
def uploads_clean(*, at: str) -> int:
    """Remove the stored files nothing refers to as at `at`: staged uploads more than a day old, documents
    no update and no item carries, and files no row names (services/uploads.py); the number removed."""
    return services.uploads_clean(at=dt.datetime.fromisoformat(at))


@task()
def reminders_send(*, at: str) -> int:
    """Send the reminders due as at `at` that have not gone (services/reminders.py): each claimed by a row
    before it is sent, so a second run, or a second worker, sends none of them again; the number sent."""
    return reminders.reminders_send(at=dt.datetime.fromisoformat(at))
