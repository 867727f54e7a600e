"""The jobs the worker (`manage.py db_worker`) runs. Each takes the moment it is for (`at`, an ISO 8601 string)
rather than reading the clock, so a test can move time by argument; each is safe to run twice, because a
worker that dies mid-task leaves it to be run again (councilimprove/jobs.py, `tasks_requeue_stale`)."""

import datetime as dt
import logging

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)


@task()
def email_send(*, message: dict[str, object], at: str, attempt: int = 1) -> None:
    """Send one e-mail rendered when it was queued (councilimprove/mail.py). A failure queues the next attempt,
    later each time (2, 4, 8… minutes), up to EMAIL_ATTEMPTS, and fails this one so the worker records why.
    Run twice, it sends twice: at least once is what a mail server offers."""
    email = EmailMultiAlternatives(
        subject=str(message["subject"]),
        body=str(message["text"]),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(message["to"]),  # type: ignore[call-overload]
    )
    email.attach_alternative(str(message["html"]), "text/html")
    try:
        email.send(fail_silently=False)
    except Exception:
        if attempt < settings.EMAIL_ATTEMPTS:
            retry_at = timezone.now() + dt.timedelta(minutes=2**attempt)
            email_send.using(run_after=retry_at).enqueue(message=message, at=at, attempt=attempt + 1)
            logger.warning("E-mail %r failed (attempt %d); tried again after %s", message["subject"], attempt, retry_at)
        else:
            logger.error("E-mail %r failed %d times; not tried again", message["subject"], attempt)
        raise


@task()
def sessions_clear(*, at: str) -> int:
    """Delete sessions that had expired by `at` (what Django's clearsessions does, as at a moment)."""
    deleted, _ = Session.objects.filter(expire_date__lt=dt.datetime.fromisoformat(at)).delete()
    return deleted


@task()
def task_results_prune(*, at: str) -> int:
    """Delete the record of tasks finished more than TASK_RESULTS_KEEP_DAYS before `at`: e-mails' bodies
    (one-time links among them) do not stay in the database longer than they are useful."""
    before = dt.datetime.fromisoformat(at) - dt.timedelta(days=settings.TASK_RESULTS_KEEP_DAYS)
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lt=before).delete()
    return deleted
