"""The timescale as the plan wrote it and the owner as the plan names them, on recommendations and actions; an
approved update may have no RAG rating (a status imported without one: not assessed).

On SQLite, changing the RAG constraint rebuilds the table, which drops its triggers: the trigger that refuses
to change an approved update (0002) is made again, as 0010 does.
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
    dependencies = [
        ("recommendations", "0011_staged_uploads"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="progressupdate",
            name="update_amber_red_has_reason",
        ),
        migrations.AddField(
            model_name="action",
            name="owner_name",
            field=models.CharField(
                blank=True,
                help_text="The owner as the plan names them ('Head of Corporate Services'), shown until someone is assigned.",
                max_length=200,
            ),
        ),
        migrations.AddField(
            model_name="action",
            name="timescale",
            field=models.CharField(
                blank=True,
                help_text="The timescale as the plan wrote it ('July 2023 and ongoing'), shown beside the due date.",
                max_length=200,
            ),
        ),
        migrations.AddField(
            model_name="historicalaction",
            name="owner_name",
            field=models.CharField(
                blank=True,
                help_text="The owner as the plan names them ('Head of Corporate Services'), shown until someone is assigned.",
                max_length=200,
            ),
        ),
        migrations.AddField(
            model_name="historicalaction",
            name="timescale",
            field=models.CharField(
                blank=True,
                help_text="The timescale as the plan wrote it ('July 2023 and ongoing'), shown beside the due date.",
                max_length=200,
            ),
        ),
        migrations.AddField(
            model_name="historicalrecommendation",
            name="owner_name",
            field=models.CharField(
                blank=True,
                help_text="The owner as the plan names them ('Head of Corporate Services'), shown until someone is assigned.",
                max_length=200,
            ),
        ),
        migrations.AddField(
            model_name="historicalrecommendation",
            name="timescale",
            field=models.CharField(
                blank=True,
                help_text="The timescale as the plan wrote it ('July 2023 and ongoing'), shown beside the due date.",
                max_length=200,
            ),
        ),
        migrations.AddField(
            model_name="recommendation",
            name="owner_name",
            field=models.CharField(
                blank=True,
                help_text="The owner as the plan names them ('Head of Corporate Services'), shown until someone is assigned.",
                max_length=200,
            ),
        ),
        migrations.AddField(
            model_name="recommendation",
            name="timescale",
            field=models.CharField(
                blank=True,
                help_text="The timescale as the plan wrote it ('July 2023 and ongoing'), shown beside the due date.",
                max_length=200,
            ),
        ),
        migrations.AlterField(
            model_name="progressupdate",
            name="rag",
            field=models.CharField(
                blank=True,
                choices=[("green", "Green (on track)"), ("amber", "Amber (at risk)"), ("red", "Red (off track)")],
                help_text="Empty: not assessed (an imported status).",
                max_length=10,
                verbose_name="RAG",
            ),
        ),
        migrations.AddConstraint(
            model_name="progressupdate",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("rag__in", ["green", ""]), models.Q(("rag_reason", ""), _negated=True), _connector="OR"
                ),
                name="update_amber_red_has_reason",
                violation_error_message="Give the reason for an amber or red RAG",
            ),
        ),
        migrations.RunPython(restore_sqlite_trigger, restore_sqlite_trigger),
    ]
