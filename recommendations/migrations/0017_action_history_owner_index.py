"""The owners named by the actions' history, found by skipping through an index (filters.ActionHistoryOwners)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0016_update_rounds_and_reminders"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX recommendations_historicalaction_owners_idx "
            "ON recommendations_historicalaction (recommendation_id, owner_id)",
            "DROP INDEX recommendations_historicalaction_owners_idx",
        ),
    ]
