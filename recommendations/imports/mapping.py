"""What each column of a council's own plan holds: one guesser, from the headings and the values beneath them,
for the upload page's mapping step and for `manage.py import_action_plan` alike (docs/SPREADSHEET.md,
"Columns").

A heading is matched by its words as people write them ("Ref", "No.", "Action(s)", "By when", "Lead officer",
"RAG rating", "Progress commentary"), case, spacing and punctuation ignored; where a heading says little, or
could be either of two things ("Progress" may be a status, a RAG or a commentary), the values decide. Each
field is given to one column at most, the best match first; the rest are ignored, and the mapping step lets
the lead correct any of it.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from recommendations import spreadsheet

IGNORE = "ignore"


@dataclass(frozen=True)
class Field:
    key: str
    label: str  # as the mapping step's select names it


FIELDS = (
    Field("reference", "Reference of the recommendation"),
    Field("heading", "Heading of the recommendation"),
    Field("text", "Text of the recommendation"),
    Field("action_reference", "Reference of the action"),
    Field("action", "Text of the action"),
    Field("timescale", "Timescale or due date"),
    Field("owner", "Owner (a name, a role or an e-mail address)"),
    Field("status", "Status"),
    Field("rag", "RAG rating"),
    Field("rag_reason", "Reason for the RAG rating"),
    Field("commentary", "Progress commentary"),
    Field("theme", "Theme"),
    Field("directorate", "Lead directorate"),
    Field(IGNORE, "Ignore this column"),
)
FIELD_LABELS = {field.key: field.label for field in FIELDS}

# Headings as plans write them, after `heading_words` (lower case, punctuation and "(s)" gone).
ALIASES = {
    "reference": {
        "ref",
        "reference",
        "no",
        "number",
        "rec",
        "rec no",
        "rec ref",
        "recommendation no",
        "recommendation number",
        "recommendation ref",
        "recommendation reference",
        "item",
        "id",
    },
    "heading": {"heading", "title", "short title", "recommendation heading", "recommendation title", "summary"},
    "text": {
        "recommendation",
        "recommendations",
        "recommendation text",
        "text",
        "peer challenge recommendation",
        "peer team recommendation",
        "lga recommendation",
        "cpc recommendation",
        "what the peer team said",
    },
    "action_reference": {"action ref", "action no", "action number", "action reference", "action id"},
    "action": {
        "action",
        "actions",
        "action description",
        "description",
        "actions to be taken",
        "action to be taken",
        "proposed action",
        "proposed actions",
        "what we will do",
        "key actions",
        "council response",
        "response",
        "our response",
        "planned action",
        "planned actions",
    },
    "timescale": {
        "timescale",
        "timescales",
        "deadline",
        "by when",
        "when",
        "target date",
        "due date",
        "due",
        "date",
        "completion date",
        "target",
        "timeframe",
        "time frame",
        "target completion date",
        "delivery date",
    },
    "owner": {
        "lead",
        "lead officer",
        "lead officers",
        "responsible",
        "responsible officer",
        "owner",
        "owner email",
        "officer",
        "accountable officer",
        "who",
        "lead owner",
        "action owner",
        "responsibility",
        "lead responsible officer",
    },
    "status": {"status", "current status", "progress status", "status progress", "delivery status"},
    "rag": {"rag", "rag status", "rag rating", "r a g", "rag rag", "red amber green"},
    "rag_reason": {"rag reason", "reason", "reason for rag", "rag rationale", "rag comment"},
    "commentary": {
        "progress commentary",
        "commentary",
        "update",
        "progress update",
        "latest update",
        "progress",
        "comments",
        "comment",
        "progress to date",
        "notes",
        "position",
        "current position",
        "update on progress",
    },
    "theme": {"theme", "themes", "priority", "priority area", "area", "theme area", "cpc theme"},
    "directorate": {"directorate", "lead directorate", "department", "service", "service area"},
}
# The export's own headings, by field: a file in the export's layout needs no questions.
EXPORT_HEADINGS = {
    "Reference": "reference",
    "Heading": "heading",
    "Text": "text",
    "Description": "action",
    "Timescale": "timescale",
    "Owner email": "owner",
    "Status": "status",
    "RAG": "rag",
    "RAG reason": "rag_reason",
    "Theme": "theme",
    "Lead directorate": "directorate",
}
_REFERENCE_VALUE = re.compile(r"^(?:r|rec|a)?\s*\d{1,3}(?:[.\-]\d{1,3})?[a-z]?$", re.IGNORECASE)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def heading_words(heading: Any) -> str:
    """A heading as the guesser reads it: lower case, "(s)" and punctuation gone, spaces collapsed."""
    text = str(heading or "").casefold().replace("(s)", "").replace("&", " and ")
    return " ".join(re.sub(r"[^\w@]+", " ", text).split())


def _by_heading(words: str) -> tuple[str, int]:
    """(field, score) from the heading alone: 3 an alias, 2 a telling word, 0 nothing."""
    for key, aliases in ALIASES.items():
        if words in aliases:
            return key, 3
    found = set(words.split())
    if "rag" in found:
        return ("rag_reason", 2) if found & {"reason", "rationale", "why"} else ("rag", 2)
    if "action" in found or "actions" in found:
        return ("action_reference", 2) if found & {"ref", "no", "number", "reference", "id"} else ("action", 2)
    if "recommendation" in found or "recommendations" in found:
        return ("reference", 2) if found & {"ref", "no", "number", "reference"} else ("text", 2)
    if found & {"status"}:
        return "status", 2
    if found & {"timescale", "timescales", "deadline", "date", "when", "timeframe", "target"}:
        return "timescale", 2
    if found & {"lead", "owner", "responsible", "officer", "accountable"}:
        return "owner", 2
    if found & {"progress", "update", "commentary", "comments"}:
        return "commentary", 2
    if found & {"ref", "reference", "no"}:
        return "reference", 2
    if found & {"theme", "themes"}:
        return "theme", 2
    if found & {"directorate", "department"}:
        return "directorate", 2
    return IGNORE, 0


def heading_known(heading: Any) -> bool:
    """Whether a heading reads as one the guesser knows (the row of headings is found by it)."""
    words = heading_words(heading)
    return bool(words) and (_by_heading(words)[1] > 0 or str(heading).strip() in EXPORT_HEADINGS)


def _share(values: Sequence[Any], test: Any) -> float:
    filled = [value for value in values if value not in (None, "") and str(value).strip()]
    return sum(1 for value in filled if test(value)) / len(filled) if filled else 0.0


def _by_values(values: Sequence[Any]) -> str | None:
    """What a column's values say it is, where they say it plainly."""
    if not [value for value in values if value not in (None, "") and str(value).strip()]:
        return None
    if _share(values, lambda v: spreadsheet.rag_from_text(v) not in (None, "") or spreadsheet.is_blue(v)) >= 0.8:
        return "rag"
    if _share(values, lambda v: spreadsheet.status_from_text(v) is not None) >= 0.8:
        return "status"
    if _share(values, lambda v: _REFERENCE_VALUE.match(str(v).strip()) is not None) >= 0.8:
        return "reference"
    if _share(values, lambda v: _EMAIL.match(str(v).strip()) is not None) >= 0.8:
        return "owner"
    return None


def guess(headings: Sequence[Any], samples: Sequence[Sequence[Any]]) -> dict[int, str]:
    """Column index → field key (or IGNORE), for every column with a heading or values. `samples`: the first
    rows of the body, as lists of cell values by column index."""
    width = max([len(headings), *(len(row) for row in samples)], default=0)
    candidates: list[tuple[int, int, str]] = []  # (score, -index, field)
    found: dict[int, str] = {}
    for index in range(width):
        heading = headings[index] if index < len(headings) else None
        values = [row[index] if index < len(row) else None for row in samples]
        words = heading_words(heading)
        field, score = _by_heading(words) if words else (IGNORE, 0)
        if str(heading or "").strip() in EXPORT_HEADINGS:
            field, score = EXPORT_HEADINGS[str(heading).strip()], 4
        said = _by_values(values)
        if said in {"rag", "status"} and field in {"status", "rag", "commentary", IGNORE}:
            field, score = said, max(score, 2)  # "Progress" holding Green/Amber/Red is a RAG
        elif said == "reference" and field == IGNORE and index == 0:
            field, score = "reference", 1
        elif said == "owner" and field == IGNORE:
            field, score = "owner", 1
        found[index] = IGNORE
        if field != IGNORE:
            candidates.append((score, -index, field))
    taken: set[str] = set()
    for _score, negative, field in sorted(candidates, reverse=True):
        chosen = field
        if field == "reference" and "reference" in taken and "action_reference" not in taken:
            chosen = "action_reference"  # a second reference column: the actions'
        elif field == "text" and "text" in taken and "heading" not in taken:
            chosen = "heading"
        if chosen in taken:
            continue
        taken.add(chosen)
        found[-negative] = chosen
    # "Recommendation" and "Recommendation heading": the longer text is the recommendation's text.
    return found


def described(mapping: dict[int, str], headings: Sequence[Any]) -> list[tuple[str, str]]:
    """(heading, what it is taken for) for each column, as the command prints the mapping."""
    from .rows import column_letter

    return [
        (
            f"{column_letter(index + 1)} ‘{headings[index] if index < len(headings) and headings[index] else ''}’",
            FIELD_LABELS[field],
        )
        for index, field in sorted(mapping.items())
    ]


def signature(headings: Sequence[Any]) -> str:
    """The headings as a key: the council's last mapping for the same headings is offered again."""
    return "|".join(heading_words(heading) for heading in headings)[:1000]
