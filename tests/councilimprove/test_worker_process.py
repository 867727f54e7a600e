"""`manage.py db_worker` in its own process, against the test database, as production runs it.

A subprocess sees only what is committed, so these tests are transactional (`transaction=True`); and it
needs a database server both processes can open, so they run on PostgreSQL (CI sets DATABASE_URL to it) and
are skipped, with the reason, on SQLite. The only waiting is a short poll for the worker's process."""

import datetime as dt
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from councilimprove.mail import email_queue

from .stalling_task import stall_once

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="db_worker runs in a subprocess, which needs a database server both processes can open: "
        "set DATABASE_URL to PostgreSQL (CI does)",
    ),
]

WAIT_SECONDS = 60


@pytest.fixture(autouse=True)
def _database_backend(settings: object, reference_data: None) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def worker(tmp_path: Path) -> Iterator[Callable[..., subprocess.Popen]]:
    """Start `manage.py db_worker` on the test database; every worker started is stopped at the end."""
    started: list[subprocess.Popen] = []
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        "EVIDENCE_ROOT": str(tmp_path / "evidence"),
        "DEBUG": "false",
    }

    def start(*args: str) -> subprocess.Popen:
        command = [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay", "--interval=0.2"]
        process = subprocess.Popen(  # noqa: S603 - our own manage.py, with arguments we wrote
            [*command, *args],
            cwd=django_settings.BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=WAIT_SECONDS)


def wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        assert time.monotonic() < deadline, f"waited {WAIT_SECONDS}s for {what}"
        time.sleep(0.1)


def test_the_worker_process_sends_an_email_queued_by_a_committed_transaction(worker: Callable) -> None:
    email_queue(
        template="emails/password_reset.html",
        context={"email": "officer@borsetshire.example", "link": "http://127.0.0.1:8123/x/", "expiry_days": 3},
        to=["officer@borsetshire.example"],
    )
    [queued] = DBTaskResult.objects.all()
    process = worker("--batch")
    output, _ = process.communicate(timeout=WAIT_SECONDS)
    assert process.returncode == 0, output
    assert "Subject: Choose a new password for Council Improve" in output
    assert "To: officer@borsetshire.example" in output
    queued.refresh_from_db()
    assert queued.status == TaskResultStatus.SUCCESSFUL


def test_a_task_whose_worker_was_killed_is_queued_again_and_finishes_on_the_next(
    worker: Callable, tmp_path: Path, settings: object
) -> None:
    marker = tmp_path / "started"
    result = stall_once.enqueue(at="2026-12-01T06:00:00+00:00", marker=str(marker))
    first = worker()
    wait_for(lambda: marker.exists(), "the first worker to start the task")
    first.kill()  # SIGKILL: no chance to record anything
    first.wait(timeout=WAIT_SECONDS)
    stuck = DBTaskResult.objects.get(pk=result.id)
    assert stuck.status == TaskResultStatus.RUNNING  # and would stay so for ever, without the lease

    after_lease = stuck.started_at + dt.timedelta(seconds=settings.TASK_LEASE_SECONDS + 1)
    call_command("run_due_jobs", at=after_lease.isoformat(), verbosity=0)
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.READY

    second = worker("--batch")
    output, _ = second.communicate(timeout=WAIT_SECONDS)
    assert second.returncode == 0, output
    finished = DBTaskResult.objects.get(pk=result.id)
    assert (finished.status, finished.return_value) == (TaskResultStatus.SUCCESSFUL, "finished")
    assert len(finished.worker_ids) == 2
