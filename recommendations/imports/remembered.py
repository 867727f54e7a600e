"""A council's last mapping of a plan's columns, offered again when it uploads a plan with the same headings
(a monthly re-import of the same spreadsheet asks nothing twice)."""

from django.utils import timezone

from recommendations.models import Council, ImportMapping

from . import mapping
from .shapes import Table


def _valid(columns: dict, table: Table) -> dict[int, str] | None:
    keys = {field.key for field in mapping.FIELDS}
    try:
        found = {int(index): str(field) for index, field in columns.items()}
    except (TypeError, ValueError):
        return None
    if any(field not in keys or not 0 <= index < table.width for index, field in found.items()):
        return None
    return found


def last_columns(*, council: Council, table: Table) -> dict[int, str] | None:
    """The council's last mapping for a table with these headings; None if there is none (or it no longer fits)."""
    saved = ImportMapping.objects.filter(council=council, signature=mapping.signature(table.headings)).first()
    return _valid(saved.columns, table) if saved is not None else None


def remember(*, council: Council, table: Table, columns: dict[int, str]) -> None:
    ImportMapping.objects.update_or_create(
        council=council,
        signature=mapping.signature(table.headings),
        defaults={"columns": {str(index): field for index, field in columns.items()}, "updated_at": timezone.now()},
    )
