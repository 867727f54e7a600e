"""Approved progress updates are the record: the database itself refuses to change them.

Deleting one is refused by the database on PostgreSQL and by the model everywhere. (SQLite keeps no
delete trigger because Django's test flush deletes rows one table at a time there.)
"""

from django.db import migrations

SQLITE_FORWARD = [
    """
    CREATE TRIGGER recommendations_progressupdate_approved_immutable
    BEFORE UPDATE ON recommendations_progressupdate
    FOR EACH ROW WHEN OLD.review_state = 'approved'
    BEGIN SELECT RAISE(ABORT, 'An approved progress update cannot be changed'); END;
    """,
]
SQLITE_BACKWARD = ["DROP TRIGGER IF EXISTS recommendations_progressupdate_approved_immutable;"]

POSTGRES_FORWARD = [
    """
    CREATE FUNCTION recommendations_progressupdate_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'An approved progress update cannot be changed or deleted'
            USING ERRCODE = 'restrict_violation';
    END;
    $$;
    """,
    """
    CREATE TRIGGER recommendations_progressupdate_approved_immutable
    BEFORE UPDATE OR DELETE ON recommendations_progressupdate
    FOR EACH ROW WHEN (OLD.review_state = 'approved')
    EXECUTE FUNCTION recommendations_progressupdate_refuse_change();
    """,
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS recommendations_progressupdate_approved_immutable ON recommendations_progressupdate;",
    "DROP FUNCTION IF EXISTS recommendations_progressupdate_refuse_change();",
]


def _run(statements_by_vendor: dict[str, list[str]]):  # noqa: ANN202 - a migration callable
    def run(apps, schema_editor) -> None:  # noqa: ANN001
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0001_core_model")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
