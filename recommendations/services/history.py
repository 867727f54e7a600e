"""History rows carry who and when explicitly, so back-dated writes (the demo's 2019–2021) are true; and
every write to a council's data raises the council's data version, in the same transaction."""

import datetime as dt
from typing import Any

from django.db.models import F, Model

from recommendations.models import Council, User


def council_changed(*, council_id: int) -> None:
    """Raise the council's data version. What is cached about a council (the dashboard) is keyed by it, so
    once this write commits no process can read a cached copy made before it; until it commits, the old
    version's copy is still true. Call it inside the transaction of the write."""
    Council.objects.filter(pk=council_id).update(data_version=F("data_version") + 1)


def council_id_of(instance: Model) -> int | None:
    """The council a record belongs to (a council, or anything with a `council`), or None."""
    if isinstance(instance, Council):
        return instance.pk
    council_id = getattr(instance, "council_id", None)
    if council_id is None and hasattr(instance, "council"):
        council_id = instance.council.pk
    return council_id


def save_with_history(instance: Model, *, by: User | None, at: dt.datetime, **save_kwargs: Any) -> None:
    """Save, recording who and when in the history (for back-dated demo writes as for live ones), and
    raise the council's data version."""
    if instance.pk is not None and hasattr(instance, "version"):
        instance.version += 1  # any change to a plan item refuses an edit form opened before it
    instance._history_user = by  # type: ignore[attr-defined]
    instance._history_date = at  # type: ignore[attr-defined]
    instance.full_clean(validate_unique=True, validate_constraints=True)
    instance.save(**save_kwargs)
    council_id = council_id_of(instance)
    if council_id is not None:
        council_changed(council_id=council_id)
