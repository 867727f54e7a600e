"""Where a stored position (docs/adr/010-stored-positions.md) differs from the one the ordering rule gives.

The position is worked out here again from the approved updates, independently of the statement that stores
it (`services.positions_refresh`): the updates are read in the rule's order (POSITION_ORDER, item by item)
and the first of each item is compared, in Python, with what the item holds. `manage.py check_positions`
reports the result; it is the only check on SQLite, where no trigger guards the stored fields.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from recommendations.models import Action, ProgressUpdate, Recommendation, Status
from recommendations.models.progress import POSITION_ORDER

CHUNK = 5000


@dataclass(frozen=True)
class Drift:
    """An item whose stored value differs from the rule's: `field` holds `stored`, the rule gives `expected`."""

    kind: str  # "recommendation" or "action"
    pk: int
    reference: str
    field: str
    stored: object
    expected: object

    def __str__(self) -> str:
        where = f"{self.kind} {self.pk} ({self.reference})"
        return f"{where}: {self.field} is {self.stored!r}, the rule gives {self.expected!r}"


def _positions(link: str) -> Iterator[tuple[int, tuple]]:
    """(item id, (update id, status, effective RAG, % complete)) of the update that sets each item's position."""
    updates = (
        ProgressUpdate.objects.filter(review_state=ProgressUpdate.ReviewState.APPROVED, **{f"{link}__isnull": False})
        .order_by(link, *POSITION_ORDER)
        .values_list(f"{link}_id", "pk", "status", "rag", "assurance_rag", "percent_complete")
    )
    previous = None
    for item_id, pk, status, rag, assurance_rag, percent in updates.iterator(chunk_size=CHUNK):
        if item_id != previous:
            previous = item_id
            yield item_id, (pk, status, assurance_rag or rag, percent)


def position_drift() -> Iterator[Drift]:
    """Every difference between a stored position and the ordering rule's, recommendations then actions."""
    for model, kind in ((Recommendation, "recommendation"), (Action, "action")):
        rule = dict(_positions(kind))
        columns = ["pk", "reference", "position_update_id", "status", "rag"]
        if model is Action:
            columns.append("percent_complete")
        for row in model.objects.order_by("pk").values_list(*columns).iterator(chunk_size=CHUNK):
            pk, reference, update_id, status, rag = row[:5]
            expected_update, expected_status, expected_rag, percent = rule.get(pk, (None, Status.NOT_STARTED, "", None))
            checks = [
                ("position_update", update_id, expected_update),
                ("status", status, expected_status),
                ("rag", rag, expected_rag),
            ]
            if model is Action and percent is not None:
                checks.append(("percent_complete", row[5], percent))
            for field, stored, expected in checks:
                if stored != expected:
                    yield Drift(kind, pk, reference, field, stored, expected)
