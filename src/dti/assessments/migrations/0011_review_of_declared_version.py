from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0010_decision_settings'),
    ]

    operations = [
        migrations.AddField(
            model_name='indicatorentry',
            name='declared_version',
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
    ]
