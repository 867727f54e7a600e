"""Each recommendation and action keeps today's position (status, RAG and the approved update they come from),
filled here from the approved updates by the ordering rule (docs/adr/010-stored-positions.md).

On PostgreSQL a trigger refuses a stored position that does not match the update it names: that update must
be approved, of the same item, give that status and RAG (its assurance RAG where recorded, else its
owner's), and be the one the ordering rule picks (no approved update of the item submitted after it, ties
by id); an item with no update named must be not started, not assessed and have no approved update.
SQLite has no such check: `manage.py check_positions` compares every stored position with the rule.

The history tables gain an index (id, history_date DESC, history_id DESC), so that the record in force at a
past date is one index descent per item (selectors/latest.py).
"""

import django.db.models.deletion
from django.db import migrations, models


TABLES = {"recommendation": "recommendation_id", "action": "action_id"}


def _fill(table: str, link: str) -> list[str]:
    item = f"recommendations_{table}"
    return [
        f"""
        UPDATE {item} SET position_update_id = (
            SELECT u.id FROM recommendations_progressupdate u
            WHERE u.{link} = {item}.id AND u.review_state = 'approved'
            ORDER BY u.submitted_at DESC, u.id DESC LIMIT 1
        )
        """,
        f"""
        UPDATE {item} SET
            status = COALESCE(
                (SELECT u.status FROM recommendations_progressupdate u WHERE u.id = {item}.position_update_id),
                'not_started'
            ),
            rag = COALESCE(
                (SELECT COALESCE(NULLIF(u.assurance_rag, ''), u.rag) FROM recommendations_progressupdate u
                 WHERE u.id = {item}.position_update_id),
                ''
            )
        """,
    ]


def _trigger(table: str, link: str) -> list[str]:
    item = f"recommendations_{table}"
    name = f"{item}_position_matches"
    return [
        f"""
        CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            named recommendations_progressupdate%ROWTYPE;
        BEGIN
            IF NEW.position_update_id IS NULL THEN
                IF NEW.status = 'not_started' AND NEW.rag = '' AND NOT EXISTS (
                    SELECT 1 FROM recommendations_progressupdate u
                    WHERE u.{link} = NEW.id AND u.review_state = 'approved'
                ) THEN
                    RETURN NEW;
                END IF;
                RAISE EXCEPTION 'The {table} % has approved updates or a status or RAG, but names no update', NEW.id
                    USING ERRCODE = 'check_violation';
            END IF;
            SELECT * INTO named FROM recommendations_progressupdate WHERE id = NEW.position_update_id;
            IF named.review_state IS DISTINCT FROM 'approved' OR named.{link} IS DISTINCT FROM NEW.id
                OR named.status IS DISTINCT FROM NEW.status
                OR COALESCE(NULLIF(named.assurance_rag, ''), named.rag) IS DISTINCT FROM NEW.rag THEN
                RAISE EXCEPTION 'The position of {table} % does not match its approved update %',
                    NEW.id, NEW.position_update_id USING ERRCODE = 'check_violation';
            END IF;
            IF EXISTS (
                SELECT 1 FROM recommendations_progressupdate u
                WHERE u.{link} = NEW.id AND u.review_state = 'approved'
                    AND (u.submitted_at, u.id) > (named.submitted_at, named.id)
            ) THEN
                RAISE EXCEPTION 'The position of {table} % names update %, but a later approved update sets it',
                    NEW.id, NEW.position_update_id USING ERRCODE = 'check_violation';
            END IF;
            RETURN NEW;
        END;
        $$;
        """,
        f"""
        CREATE TRIGGER {name} BEFORE INSERT OR UPDATE OF status, rag, position_update_id ON {item}
        FOR EACH ROW EXECUTE FUNCTION {name}();
        """,
    ]


def _drop_trigger(table: str) -> list[str]:
    item = f"recommendations_{table}"
    return [
        f"DROP TRIGGER IF EXISTS {item}_position_matches ON {item};",
        f"DROP FUNCTION IF EXISTS {item}_position_matches();",
    ]


def fill(apps, schema_editor) -> None:  # noqa: ANN001
    postgresql = schema_editor.connection.vendor == "postgresql"
    if postgresql:  # check the new foreign keys now, so no trigger event waits when their indexes are made
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE", params=None)
    for table, link in TABLES.items():
        for statement in _fill(table, link):
            schema_editor.execute(statement, params=None)
    if postgresql:
        schema_editor.execute("SET CONSTRAINTS ALL DEFERRED", params=None)


def add_triggers(apps, schema_editor) -> None:  # noqa: ANN001
    if schema_editor.connection.vendor == "postgresql":
        for table, link in TABLES.items():
            for statement in _trigger(table, link):
                schema_editor.execute(statement, params=None)


def drop_triggers(apps, schema_editor) -> None:  # noqa: ANN001
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            for statement in _drop_trigger(table):
                schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0014_council_update_interval"),
    ]

    operations = [
        migrations.AddField(
            model_name="action",
            name="position_update",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                help_text="The approved update today's position comes from (none: never updated).",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="recommendations.progressupdate",
            ),
        ),
        migrations.AddField(
            model_name="action",
            name="rag",
            field=models.CharField(
                blank=True,
                choices=[("green", "Green (on track)"), ("amber", "Amber (at risk)"), ("red", "Red (off track)")],
                default="",
                editable=False,
                help_text="Today's RAG: the update's assurance RAG where recorded, else its owner's; empty if not assessed.",
                max_length=10,
                verbose_name="RAG",
            ),
        ),
        migrations.AddField(
            model_name="action",
            name="status",
            field=models.CharField(
                choices=[
                    ("not_started", "Not started"),
                    ("in_progress", "In progress"),
                    ("complete", "Complete"),
                    ("closed", "Closed (business as usual)"),
                ],
                default="not_started",
                editable=False,
                help_text="Today's status: that of the update the position comes from (not started where there is none).",
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="recommendation",
            name="position_update",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                help_text="The approved update today's position comes from (none: never updated).",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="recommendations.progressupdate",
            ),
        ),
        migrations.AddField(
            model_name="recommendation",
            name="rag",
            field=models.CharField(
                blank=True,
                choices=[("green", "Green (on track)"), ("amber", "Amber (at risk)"), ("red", "Red (off track)")],
                default="",
                editable=False,
                help_text="Today's RAG: the update's assurance RAG where recorded, else its owner's; empty if not assessed.",
                max_length=10,
                verbose_name="RAG",
            ),
        ),
        migrations.AddField(
            model_name="recommendation",
            name="status",
            field=models.CharField(
                choices=[
                    ("not_started", "Not started"),
                    ("in_progress", "In progress"),
                    ("complete", "Complete"),
                    ("closed", "Closed (business as usual)"),
                ],
                default="not_started",
                editable=False,
                help_text="Today's status: that of the update the position comes from (not started where there is none).",
                max_length=20,
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(add_triggers, drop_triggers),
        # The history record in force at a date (selectors/latest.py): one descent per item, not a sort.
        *(
            migrations.RunSQL(
                f"CREATE INDEX recommendations_historical{table}_record_idx "
                f"ON recommendations_historical{table} (id, history_date DESC, history_id DESC)",
                f"DROP INDEX recommendations_historical{table}_record_idx",
            )
            for table in TABLES
        ),
    ]
