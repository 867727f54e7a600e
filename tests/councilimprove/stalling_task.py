"""A task for the worker tests: the first time it runs it marks that it started and then waits for ever, as a
task does when its worker is killed mid-way; run again, it finishes."""

import threading
from pathlib import Path

from django_tasks import task


@task()
def stall_once(*, at: str, marker: str) -> str:
    path = Path(marker)
    if not path.exists():
        path.write_text(at)
        threading.Event().wait()  # until the test kills the worker
    return "finished"
