"""The migration that brings in "one update waits per item" resolves what a database in use may already hold:
the newest stays, each older one is superseded with its reason, nothing is deleted, and it says what it did."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from recommendations.models import ProgressUpdate

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("recommendations", "0008_progress_update_superseded_state_reasons_and_keys")
MOMENT = dt.datetime(2022, 1, 12, 15, tzinfo=dt.UTC)


def _migrate(target: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor


def test_duplicates_are_superseded_not_deleted_and_the_migration_says_so(
    reference_data: None, capsys: pytest.CaptureFixture[str]
) -> None:
    executor = _migrate([BEFORE])
    apps = executor.loader.project_state([BEFORE]).apps
    council = apps.get_model("recommendations", "Council").objects.create(name="Borsetshire", slug="borsetshire")
    kind = apps.get_model("recommendations", "EngagementKind").objects.first()
    engagement = apps.get_model("recommendations", "Engagement").objects.create(
        council=council, kind=kind, title="Corporate Peer Challenge"
    )
    item = apps.get_model("recommendations", "Recommendation").objects.create(
        engagement=engagement, reference="R8", text="Engage the workforce."
    )
    user_model = apps.get_model("recommendations", "User")
    sam, jo = (user_model.objects.create(email=f"{name}@borsetshire.example") for name in ("sam", "jo"))
    Update = apps.get_model("recommendations", "ProgressUpdate")

    def update(author: object, state: str, minutes: int, **fields: object) -> int:
        moment = MOMENT + dt.timedelta(minutes=minutes)
        return Update.objects.create(
            recommendation=item,
            author=author,
            status="in_progress",
            rag="green",
            review_state=state,
            created_at=moment,
            submitted_at=moment if state != "draft" else None,
            **fields,
        ).pk

    older_waiting, newest_waiting = update(sam, "submitted", 0), update(jo, "submitted", 10)
    older_draft, newest_draft = update(sam, "draft", 1), update(sam, "draft", 5)
    approved = update(jo, "approved", 20, approved_at=MOMENT + dt.timedelta(minutes=21), assurance_rag="amber")
    capsys.readouterr()

    _migrate(executor.loader.graph.leaf_nodes())

    printed = capsys.readouterr().out
    states = dict(ProgressUpdate.objects.values_list("pk", "review_state"))
    assert states == {
        older_waiting: "superseded",
        newest_waiting: "submitted",
        older_draft: "superseded",
        newest_draft: "draft",
        approved: "approved",
    }
    superseded = ProgressUpdate.objects.get(pk=older_waiting)
    assert "a later update on this item, submitted 12/01/2022 15:10, waits instead" in superseded.review_comment
    assert ProgressUpdate.objects.get(pk=approved).assurance_reason.startswith("No reason recorded")
    assert f"Update {older_waiting} on recommendation {item.pk} is now superseded by update {newest_waiting}" in printed
    assert "3 progress update(s) changed; nothing was deleted." in printed
    with pytest.raises(Exception, match="cannot be changed"):  # the trigger is back, on SQLite as on PostgreSQL
        ProgressUpdate.objects.filter(pk=approved).update(narrative="Rewritten.")


def test_stored_positions_are_filled_from_the_approved_updates_by_the_ordering_rule(reference_data: None) -> None:
    before = [("recommendations", "0014_council_update_interval")]
    executor = _migrate(before)
    apps = executor.loader.project_state(before).apps
    council = apps.get_model("recommendations", "Council").objects.create(name="Borsetshire", slug="borsetshire")
    engagement = apps.get_model("recommendations", "Engagement").objects.create(
        council=council, kind=apps.get_model("recommendations", "EngagementKind").objects.first(), title="CPC"
    )
    Recommendation = apps.get_model("recommendations", "Recommendation")  # noqa: N806
    updated, untouched = (
        Recommendation.objects.create(engagement=engagement, reference=reference, text="Engage the workforce.")
        for reference in ("R1", "R2")
    )
    author = apps.get_model("recommendations", "User").objects.create(email="jo@borsetshire.example")
    Update = apps.get_model("recommendations", "ProgressUpdate")  # noqa: N806

    def approved(submitted: int, approved: int, **fields: object) -> int:
        return Update.objects.create(
            recommendation=updated,
            author=author,
            rag="green",
            review_state="approved",
            submitted_at=MOMENT + dt.timedelta(days=submitted),
            approved_at=MOMENT + dt.timedelta(days=approved),
            **fields,
        ).pk

    latest = approved(2, 3, status="in_progress", assurance_rag="amber", assurance_reason="Not yet")
    approved(1, 4, status="complete")  # submitted earlier, approved later: it moves nothing

    _migrate(executor.loader.graph.leaf_nodes())

    from recommendations.models import Recommendation as Current

    stored = {row[0]: row[1:] for row in Current.objects.values_list("pk", "status", "rag", "position_update")}
    assert stored == {updated.pk: ("in_progress", "amber", latest), untouched.pk: ("not_started", "", None)}

    _migrate(before)  # and back: the fields and the trigger go
    _migrate(executor.loader.graph.leaf_nodes())
