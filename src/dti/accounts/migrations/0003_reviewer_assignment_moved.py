# ReviewerAssignment now lives in assessments (its migration 0016 took over the table); only the state changes here.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_passwordresetrequest'),
        ('assessments', '0016_reviewer_assignment'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name='ReviewerAssignment')]),
    ]
