from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0004_plan_item_version")]

    operations = [
        migrations.AddField(
            model_name="council",
            name="data_version",
            field=models.PositiveBigIntegerField(
                default=1,
                editable=False,
                help_text="Raised in the same transaction as every write to the council's data; part of the key "
                "of what is cached about it (the dashboard), so nothing cached is read after a change.",
            ),
        ),
    ]
