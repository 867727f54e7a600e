"""The words for status and RAG: choices with no model of their own, in a module that imports no other part of
the app, so the plan's vocabulary (recommendations.vocabulary) can build on them and the models can use the
vocabulary's messages."""

from django.db import models


class Status(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETE = "complete", "Complete"
    CLOSED = "closed", "Closed (business as usual)"


class Rag(models.TextChoices):
    GREEN = "green", "Green (on track)"
    AMBER = "amber", "Amber (at risk)"
    RED = "red", "Red (off track)"


FINISHED_STATUSES = (Status.COMPLETE, Status.CLOSED)
