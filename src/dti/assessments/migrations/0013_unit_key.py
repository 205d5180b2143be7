from django.db import migrations, models

from dti.engine.names import clean_name, name_key


def clean_names(apps, schema_editor):
    Unit = apps.get_model("assessments", "Unit")
    for unit in Unit.objects.all():
        unit.name = clean_name(unit.name)
        unit.key = name_key(unit.name)
        unit.save(update_fields=["name", "key"])


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0012_outgoing_mail'),
    ]

    operations = [
        migrations.AddField(
            model_name='unit',
            name='key',
            field=models.CharField(db_index=True, default='', editable=False, max_length=300),
        ),
        migrations.RunPython(clean_names, migrations.RunPython.noop),
    ]
