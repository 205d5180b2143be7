# A declaration's "reviewed" is read from its entries (every indicator with a current review) instead of stored:
# stored, it could disagree with the entries. A stored "reviewed" was a submitted declaration.

from django.db import migrations, models


def reviewed_is_submitted(apps, schema_editor):
    apps.get_model("assessments", "Declaration").objects.filter(state="reviewed").update(state="submitted")


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0016_reviewer_assignment'),
    ]

    operations = [
        migrations.RunPython(reviewed_is_submitted, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='declaration',
            name='state',
            field=models.CharField(choices=[('not_started', 'Not started'), ('draft', 'Draft'), ('submitted', 'Submitted'), ('returned', 'Returned for correction')], default='not_started', max_length=20, verbose_name='state'),
        ),
    ]
