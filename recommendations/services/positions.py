"""The stored position (docs/adr/010-stored-positions.md): each recommendation's and action's status, RAG and
the approved update they come from, kept on the item so that today's pages read them in one indexed read.

`positions_refresh` is the only writer. It works the position out again from the approved updates by the
ordering rule (`ProgressUpdate.objects.approved`), in one statement whatever the number of items, and is
called inside the transaction of every write that adds an approved update: an approval, a lead's direct
change, an import (and the bench data, which inserts approved updates in bulk). On PostgreSQL a trigger
refuses a stored position that does not match the update it names; `manage.py check_positions` compares
every stored position with the rule on any database.
"""

from collections.abc import Iterable

from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, NullIf

from recommendations.models import Action, ProgressUpdate, Recommendation, Status


def positions_refresh(*, model: type[Recommendation] | type[Action], ids: Iterable[int] | None = None) -> int:
    """Set the stored position of the items `ids` of `model` (every item where None) from their approved
    updates by the ordering rule: the update submitted last (ties by id), its status, and its assurance RAG
    where recorded else its owner's; not started and not assessed where there is none. Returns how many
    items it wrote. Call it in the transaction that adds the approved updates."""
    link = "recommendation" if model is Recommendation else "action"
    latest = ProgressUpdate.objects.approved().filter(**{link: OuterRef("pk")})
    effective_rag = latest.annotate(effective_rag=Coalesce(NullIf("assurance_rag", Value("")), "rag"))
    items = model.objects.all() if ids is None else model.objects.filter(pk__in=list(ids))
    return items.update(
        position_update=Subquery(latest.values("pk")[:1]),
        status=Coalesce(Subquery(latest.values("status")[:1]), Value(Status.NOT_STARTED)),
        rag=Coalesce(Subquery(effective_rag.values("effective_rag")[:1]), Value("")),
    )
