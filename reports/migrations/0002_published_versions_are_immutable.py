"""A published version of a report is a record: the database itself refuses to change it (and, on
PostgreSQL, to delete it; SQLite keeps no delete trigger because Django's test flush deletes rows one table
at a time there)."""

from django.db import migrations

SQLITE_FORWARD = [
    """
    CREATE TRIGGER reports_publishedversion_immutable
    BEFORE UPDATE ON reports_publishedversion
    BEGIN SELECT RAISE(ABORT, 'A published version of a report cannot be changed'); END;
    """,
]
SQLITE_BACKWARD = ["DROP TRIGGER IF EXISTS reports_publishedversion_immutable;"]

POSTGRES_FORWARD = [
    """
    CREATE FUNCTION reports_publishedversion_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'A published version of a report cannot be changed or deleted'
            USING ERRCODE = 'restrict_violation';
    END;
    $$;
    """,
    """
    CREATE TRIGGER reports_publishedversion_immutable
    BEFORE UPDATE OR DELETE ON reports_publishedversion
    FOR EACH ROW EXECUTE FUNCTION reports_publishedversion_refuse_change();
    """,
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS reports_publishedversion_immutable ON reports_publishedversion;",
    "DROP FUNCTION IF EXISTS reports_publishedversion_refuse_change();",
]


def _run(statements_by_vendor: dict[str, list[str]]):  # noqa: ANN202 - a migration callable
    def run(apps, schema_editor) -> None:  # noqa: ANN001
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_panel_sessions_and_summary_reports")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
