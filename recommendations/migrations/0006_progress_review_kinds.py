"""Which kinds of return visit count as a peer challenge's progress review in the LGA timetable."""

from django.db import migrations, models

PROGRESS_REVIEW_KINDS = ["progress-review", "recovery-and-renewal-panel"]


def mark_progress_reviews(apps, schema_editor) -> None:  # noqa: ANN001
    EngagementKind = apps.get_model("recommendations", "EngagementKind")
    EngagementKind.objects.filter(slug__in=PROGRESS_REVIEW_KINDS).update(is_progress_review=True)


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0005_council_data_version")]

    operations = [
        migrations.AddField(
            model_name="engagementkind",
            name="is_progress_review",
            field=models.BooleanField(
                default=False,
                help_text="A return visit that serves as a peer challenge's progress review in the LGA timetable "
                "(in 2020–21, Recovery and Renewal Panels took the progress review's place).",
            ),
        ),
        migrations.RunPython(mark_progress_reviews, migrations.RunPython.noop),
    ]
