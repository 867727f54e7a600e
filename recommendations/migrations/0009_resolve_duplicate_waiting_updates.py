"""Before one update may wait per item (0010), resolve what a database in use may already hold.

- An item with more than one submitted update: the one submitted last stays waiting; each older one
  becomes "superseded", with the reason, which its author sees.
- An author with more than one draft or returned update on an item: the newest stays theirs; each older
  one becomes "superseded" likewise.
- An approved update with an assurance RAG but no reason (signed off before a reason was asked for) is
  given one that says so; an approved update without a submission moment (none is made by the app) takes
  its approval's. Approved updates are otherwise never changed: the database's trigger is set aside for
  these two repairs alone.

Nothing is deleted. What changed is printed.
"""

import sys

from django.db import migrations
from django.db.models import Count, Q

NO_REASON = "No reason recorded: signed off before a reason was asked for."
WAITING = "Superseded when only one update could wait for sign-off: a later update on this item, submitted {}, waits instead."
OPEN = "Superseded when each person could keep only one unfinished update per item: your later update, started {}, is kept."


def _say(line: str) -> None:
    sys.stdout.write(f"  {line}\n")


def _moment(value) -> str:  # noqa: ANN001
    return value.strftime("%d/%m/%Y %H:%M") if value else "earlier"


def _supersede(updates, reason: str, keep) -> int:  # noqa: ANN001
    count = 0
    for update in updates:
        if update.pk == keep.pk:
            continue
        update.review_state = "superseded"
        update.review_comment = reason
        update.save(update_fields=["review_state", "review_comment"])
        item = update.recommendation_id and f"recommendation {update.recommendation_id}"
        _say(f"Update {update.pk} on {item or f'action {update.action_id}'} is now superseded by update {keep.pk}")
        count += 1
    return count


def resolve(apps, schema_editor) -> None:  # noqa: ANN001
    ProgressUpdate = apps.get_model("recommendations", "ProgressUpdate")
    changed = 0
    for link in ("recommendation", "action"):
        crowded = (
            ProgressUpdate.objects.filter(review_state="submitted", **{f"{link}__isnull": False})
            .values(link)
            .annotate(n=Count("pk"))
            .filter(n__gt=1)
        )
        for row in crowded:
            updates = list(
                ProgressUpdate.objects.filter(review_state="submitted", **{link: row[link]}).order_by(
                    "-submitted_at", "-pk"
                )
            )
            changed += _supersede(updates, WAITING.format(_moment(updates[0].submitted_at)), updates[0])
        crowded = (
            ProgressUpdate.objects.filter(review_state__in=["draft", "returned"], **{f"{link}__isnull": False})
            .values("author", link)
            .annotate(n=Count("pk"))
            .filter(n__gt=1)
        )
        for row in crowded:
            updates = list(
                ProgressUpdate.objects.filter(
                    review_state__in=["draft", "returned"], author=row["author"], **{link: row[link]}
                ).order_by("-created_at", "-pk")
            )
            changed += _supersede(updates, OPEN.format(_moment(updates[0].created_at)), updates[0])

    approved = ProgressUpdate.objects.filter(review_state="approved")
    unreasoned = approved.filter(~Q(assurance_rag=""), assurance_reason="")
    unsubmitted = approved.filter(submitted_at__isnull=True)
    if unreasoned.exists() or unsubmitted.exists():
        vendor = schema_editor.connection.vendor
        table = "recommendations_progressupdate"
        trigger = "recommendations_progressupdate_approved_immutable"
        if vendor == "postgresql":
            schema_editor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")
        elif vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger}")  # 0010 makes it again
        for update in unreasoned:
            _say(f"Approved update {update.pk}: its assurance RAG is given the reason '{NO_REASON}'")
        changed += unreasoned.update(assurance_reason=NO_REASON)
        for update in unsubmitted:
            _say(f"Approved update {update.pk}: submitted at its approval, {_moment(update.approved_at)}")
            update.submitted_at = update.approved_at
            update.save(update_fields=["submitted_at"])
            changed += 1
        if vendor == "postgresql":
            schema_editor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}")
    if changed:
        _say(f"{changed} progress update(s) changed; nothing was deleted.")


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0008_progress_update_superseded_state_reasons_and_keys")]

    operations = [migrations.RunPython(resolve, migrations.RunPython.noop)]
