"""The plan's vocabulary and its small rules, in one place for every layer: the words for status and RAG, "not
assessed", what "due soon" and "moved" mean, the date rule for an action, and the fields a lead edits."""

import datetime as dt

from recommendations.models.choices import Rag, Status

NOT_ASSESSED = "not_assessed"  # a RAG key for an item nobody has rated yet (no RAG is stored)
STATUS_KEYS = [(status.value, status.label) for status in Status]
RAG_KEYS = [(rag.value, rag.label) for rag in Rag] + [(NOT_ASSESSED, "Not assessed")]

# As the spreadsheet writes them: "In progress", "Closed (business as usual)"; "Green" (empty when not assessed).
STATUS_LABELS = {status.value: status.label for status in Status}
RAG_LABELS = {Rag.GREEN: "Green", Rag.AMBER: "Amber", Rag.RED: "Red"}

DUE_SOON = "next_30_days"
DUE_SOON_DAYS = 30

# The fields a lead sets on the plan's items through its forms, in the order pages show them (services refuse
# any other; the forms pass on these; the item's history lists their changes).
RECOMMENDATION_FIELDS = (
    "reference",
    "heading",
    "text",
    "kind",
    "theme",
    "lead_directorate",
    "owner",
    "lead_member",
    "due_date",
    "closure_basis",
)
ACTION_FIELDS = ("reference", "description", "owner", "start_date", "due_date")

DUE_BEFORE_START = "The due date must be the same as or after the start date"


def rag_key(rag: str) -> str:
    """The key an item's RAG is counted under: its RAG, or NOT_ASSESSED."""
    return rag or NOT_ASSESSED


def due_before_start(start: dt.date | None, due: dt.date | None) -> bool:
    """The action date rule (also a check constraint): a due date, where both are set, is not before the start."""
    return bool(start and due and due < start)
