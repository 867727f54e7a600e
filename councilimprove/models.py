"""What the service keeps for itself rather than for a council: when each scheduled job was last due."""

from django.db import models


class JobRun(models.Model):
    """The moment a scheduled job (councilimprove/jobs.py) was last enqueued for. `run_due_jobs` enqueues it
    again once its interval has passed since then, and moves this moment in the same transaction, so two
    runs at once enqueue it once."""

    name = models.CharField(max_length=100, unique=True, help_text="The job's name in the schedule.")
    last_due_at = models.DateTimeField(
        null=True, blank=True, help_text="The moment the job was last enqueued for; empty until its first run."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}, last due {self.last_due_at:%Y-%m-%d %H:%M}" if self.last_due_at else self.name
