"""History rows carry who and when explicitly, so back-dated writes (the demo's 2019–2021) are true."""

import datetime as dt
from typing import Any

from django.db.models import Model

from recommendations.models import User


def save_with_history(instance: Model, *, by: User | None, at: dt.datetime, **save_kwargs: Any) -> None:
    """Save, recording who and when in the history (for back-dated demo writes as for live ones)."""
    if instance.pk is not None and hasattr(instance, "version"):
        instance.version += 1  # any change to a plan item refuses an edit form opened before it
    instance._history_user = by  # type: ignore[attr-defined]
    instance._history_date = at  # type: ignore[attr-defined]
    instance.full_clean(validate_unique=True, validate_constraints=True)
    instance.save(**save_kwargs)
