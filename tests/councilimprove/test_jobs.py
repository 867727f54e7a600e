"""The schedule and the lease, run in the test's process with the database backend: time moves by argument."""

import datetime as dt
import smtplib
from collections.abc import Callable
from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from councilimprove import tasks
from councilimprove.jobs import SCHEDULE
from councilimprove.mail import email_queue

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 12, 1, 6, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _database_backend(settings: object) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def run_due_jobs(at: dt.datetime) -> None:
    call_command("run_due_jobs", at=at.isoformat(), verbosity=0)


def queued() -> list[tuple[str, str]]:
    return sorted(
        (row.task_path.rsplit(".", 1)[1], row.args_kwargs["kwargs"]["at"])
        for row in DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    )


def test_each_job_is_enqueued_once_per_interval_however_often_cron_calls() -> None:
    calls = [T0 + dt.timedelta(minutes=minutes) for minutes in (0, 5, 59, 60, 23 * 60 + 59, 24 * 60)]
    for at in calls:
        run_due_jobs(at)
    # Each interval counts from the moment the job was last due: the hourly job goes at 06:00, 07:00 and 05:59
    # the next day, and not again a minute later; the daily jobs at 06:00 on each day.
    moments = {
        dt.timedelta(hours=1): [calls[0], calls[3], calls[4]],
        dt.timedelta(days=1): [calls[0], calls[5]],
    }
    assert {job.every for job in SCHEDULE} <= set(moments)
    assert queued() == sorted(
        (job.task.rsplit(".", 1)[1], at.isoformat()) for job in SCHEDULE for at in moments[job.every]
    )


def test_the_moment_must_be_iso_8601() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="ISO 8601"):
        call_command("run_due_jobs", at="yesterday")


def test_a_task_running_past_its_lease_is_queued_again_and_no_sooner(settings: object) -> None:
    result = tasks.sessions_clear.enqueue(at=T0.isoformat())
    row = DBTaskResult.objects.get(pk=result.id)
    row.claim("a-worker-that-was-killed")
    lease = dt.timedelta(seconds=settings.TASK_LEASE_SECONDS)
    run_due_jobs(row.started_at + lease - dt.timedelta(seconds=1))
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.RUNNING
    run_due_jobs(row.started_at + lease + dt.timedelta(seconds=1))
    requeued = DBTaskResult.objects.get(pk=result.id)
    assert (requeued.status, requeued.started_at) == (TaskResultStatus.READY, None)


def test_a_finished_task_is_never_queued_again(settings: object) -> None:
    result = tasks.sessions_clear.enqueue(at=T0.isoformat())
    row = DBTaskResult.objects.get(pk=result.id)
    row.claim("worker")
    row.set_successful(0)
    run_due_jobs(timezone.now() + dt.timedelta(days=2))
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.SUCCESSFUL


def test_sessions_clear_deletes_what_had_expired_at_the_moment_and_is_safe_twice() -> None:
    Session.objects.create(session_key="old", session_data="", expire_date=T0 - dt.timedelta(minutes=1))
    Session.objects.create(session_key="live", session_data="", expire_date=T0 + dt.timedelta(minutes=1))
    assert tasks.sessions_clear.call(at=T0.isoformat()) == 1
    assert tasks.sessions_clear.call(at=T0.isoformat()) == 0
    assert list(Session.objects.values_list("session_key", flat=True)) == ["live"]


def test_finished_task_records_are_pruned_after_the_days_kept(settings: object) -> None:
    result = tasks.sessions_clear.enqueue(at=T0.isoformat())
    DBTaskResult.objects.filter(pk=result.id).update(status=TaskResultStatus.SUCCESSFUL, finished_at=T0)
    kept = dt.timedelta(days=settings.TASK_RESULTS_KEEP_DAYS)
    assert tasks.task_results_prune.call(at=(T0 + kept).isoformat()) == 0
    assert tasks.task_results_prune.call(at=(T0 + kept + dt.timedelta(seconds=1)).isoformat()) == 1


def test_an_email_is_enqueued_only_once_the_transaction_commits(
    django_capture_on_commit_callbacks: Callable, mailoutbox: list
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email_queue(
            template="emails/password_reset.html",
            context={"email": "a@borsetshire.example", "link": "http://x/", "expiry_days": 3},
            to=["a@borsetshire.example"],
        )
        assert not DBTaskResult.objects.exists()
    for callback in callbacks:
        callback()
    [row] = DBTaskResult.objects.all()
    assert row.task_path == "councilimprove.tasks.email_send" and mailoutbox == []
    row.task.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])  # what the worker does with it
    [message] = mailoutbox
    assert message.subject == "Choose a new password for Council Improve" and message.to == ["a@borsetshire.example"]


def test_an_email_the_server_refuses_is_tried_again_later_then_left_failed(settings: object) -> None:
    message = {"to": ["a@borsetshire.example"], "subject": "S", "text": "T", "html": "<p>T</p>"}
    refused = mock.patch("django.core.mail.EmailMessage.send", side_effect=smtplib.SMTPException("refused"))
    before = timezone.now()
    with refused, pytest.raises(smtplib.SMTPException):
        tasks.email_send.call(message=message, at=T0.isoformat(), attempt=1)
    [retry] = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    assert retry.args_kwargs["kwargs"]["attempt"] == 2
    assert retry.run_after >= before + dt.timedelta(minutes=2)
    with refused, pytest.raises(smtplib.SMTPException):
        tasks.email_send.call(message=message, at=T0.isoformat(), attempt=settings.EMAIL_ATTEMPTS)
    assert DBTaskResult.objects.count() == 1  # the last attempt queues no other
