"""Progress updates gain a "superseded" state, the reviewer's reason for an assurance RAG, and the key of
the form that made them (so the same form posted twice finds its update)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0007_pending_imports")]

    operations = [
        migrations.AddField(
            model_name='progressupdate',
            name='assurance_reason',
            field=models.TextField(blank=True, help_text='Why the reviewer rated it differently from the owner.', verbose_name='reason for the assurance RAG'),
        ),
        migrations.AddField(
            model_name='progressupdate',
            name='submission_key',
            field=models.UUIDField(blank=True, editable=False, help_text='The key of the form that made this update, so that the same form posted again finds it.', null=True, unique=True),
        ),
        migrations.AlterField(
            model_name='progressupdate',
            name='review_state',
            field=models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted for review'), ('returned', 'Returned'), ('approved', 'Approved'), ('superseded', 'Superseded')], default='draft', max_length=10),
        ),
    ]
