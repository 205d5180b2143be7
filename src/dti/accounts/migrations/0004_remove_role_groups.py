# Each role had a Django group with permissions that nothing checked (who may do what is decided object by object
# in dti.assessments.scope). The groups are removed so that no one reads them as the rules.

from django.db import migrations

ROLE_GROUPS = ["secretariat", "reviewer", "unit_officer", "leader"]


def remove_role_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_GROUPS).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_reviewer_assignment_moved'),
        ('auth', '0012_alter_user_first_name_max_length'),
    ]

    operations = [
        migrations.RunPython(remove_role_groups, migrations.RunPython.noop),
    ]
