"""An update is signed off after it was sent: every way the service approves one holds to it (review, a direct
change, the demo and bench data), and a position as at a day relies on it (selectors/latest.py)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('recommendations', '0017_action_history_owner_index'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='progressupdate',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('review_state', 'approved'), _negated=True), ('approved_at__gte', models.F('submitted_at')), _connector='OR'), name='update_approved_after_submitted'),
        ),
    ]
