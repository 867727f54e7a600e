"""One update waits for sign-off per item, each author keeps one draft or returned update per item, an
assurance RAG carries its reason, an approved update was submitted; and an index for the ordering rule.

On SQLite, adding constraints rebuilds the table, which drops its triggers: the trigger that refuses to
change an approved update (0002) is made again.
"""

from django.db import migrations, models

SQLITE_TRIGGER = [
    "DROP TRIGGER IF EXISTS recommendations_progressupdate_approved_immutable;",
    """
    CREATE TRIGGER recommendations_progressupdate_approved_immutable
    BEFORE UPDATE ON recommendations_progressupdate
    FOR EACH ROW WHEN OLD.review_state = 'approved'
    BEGIN SELECT RAISE(ABORT, 'An approved progress update cannot be changed'); END;
    """,
]


def restore_sqlite_trigger(apps, schema_editor) -> None:  # noqa: ANN001
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_TRIGGER:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0009_resolve_duplicate_waiting_updates")]

    operations = [
        migrations.RemoveConstraint(
            model_name='progressupdate',
            name='update_returned_has_comment',
        ),
        migrations.AddIndex(
            model_name='progressupdate',
            index=models.Index(models.F('recommendation'), models.OrderBy(models.F('submitted_at'), descending=True), models.OrderBy(models.F('id'), descending=True), condition=models.Q(('review_state', 'approved')), name='update_rec_position_idx'),
        ),
        migrations.AddIndex(
            model_name='progressupdate',
            index=models.Index(models.F('action'), models.OrderBy(models.F('submitted_at'), descending=True), models.OrderBy(models.F('id'), descending=True), condition=models.Q(('review_state', 'approved')), name='update_action_position_idx'),
        ),
        migrations.AddConstraint(
            model_name='progressupdate',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('review_state__in', ['returned', 'superseded']), _negated=True), models.Q(('review_comment', ''), _negated=True), _connector='OR'), name='update_returned_or_superseded_has_comment'),
        ),
        migrations.AddConstraint(
            model_name='progressupdate',
            constraint=models.CheckConstraint(condition=models.Q(('assurance_rag', ''), models.Q(('assurance_reason', ''), _negated=True), _connector='OR'), name='update_assurance_rag_has_reason', violation_error_message='Enter why you rated it differently'),
        ),
        migrations.AddConstraint(
            model_name='progressupdate',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('review_state', 'approved'), _negated=True), ('submitted_at__isnull', False), _connector='OR'), name='update_approved_was_submitted'),
        ),
        migrations.AddConstraint(
            model_name='progressupdate',
            constraint=models.UniqueConstraint(condition=models.Q(('review_state', 'submitted')), fields=('recommendation',), name='update_one_submitted_per_recommendation'),
        ),
        migrations.AddConstraint(
            model_name='progressupdate',
            constraint=models.UniqueConstraint(condition=models.Q(('review_state', 'submitted')), fields=('action',), name='update_one_submitted_per_action'),
        ),
        migrations.AddConstraint(
            model_name='progressupdate',
            constraint=models.UniqueConstraint(condition=models.Q(('review_state__in', ['draft', 'returned'])), fields=('author', 'recommendation'), name='update_one_open_per_author_recommendation'),
        ),
        migrations.AddConstraint(
            model_name='progressupdate',
            constraint=models.UniqueConstraint(condition=models.Q(('review_state__in', ['draft', 'returned'])), fields=('author', 'action'), name='update_one_open_per_author_action'),
        ),
        migrations.RunPython(restore_sqlite_trigger, restore_sqlite_trigger),
    ]
