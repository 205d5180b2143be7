# ReviewerAssignment moves from accounts to assessments: a reviewer's scope is a period concept. The rows stay;
# the table is renamed to this app's name.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0015_audit_outside_periods'),
        ('accounts', '0002_passwordresetrequest'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.CreateModel(
                name='ReviewerAssignment',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('indicator_code', models.CharField(blank=True, max_length=100, verbose_name='indicator (empty: the whole group)')),
                    ('group', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='assessments.frameworkgroup')),
                    ('period', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reviewer_assignments', to='assessments.period')),
                    ('reviewer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='assignments', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'db_table': 'accounts_reviewerassignment',
                    'constraints': [models.UniqueConstraint(fields=('period', 'reviewer', 'group', 'indicator_code'), name='assignment_once')],
                },
            ),
        ]),
        migrations.AlterModelTable(name='reviewerassignment', table=None),
    ]
