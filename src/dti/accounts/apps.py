from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "dti.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        # Not limited to this app's signal: the permissions of apps migrated after this one must exist first,
        # and running again once they do is cheap and idempotent.
        post_migrate.connect(ensure_role_groups, dispatch_uid="dti.accounts.ensure_role_groups")


# Django permissions of each role's group. They describe the role for the admin and for audits; what a
# person may do with a given period or unit is decided by dti.accounts.scope, object by object.
ROLE_PERMISSIONS = {
    "secretariat": ["assessments.*", "accounts.*"],
    "reviewer": ["assessments.view_period", "assessments.view_participation", "assessments.view_indicatorentry",
                 "assessments.change_indicatorentry"],
    "unit_officer": ["assessments.view_period", "assessments.view_indicatorentry",
                     "assessments.change_indicatorentry"],
    "leader": ["assessments.view_*", "accounts.view_*"],
}


def ensure_role_groups(**kwargs):
    from django.contrib.auth.models import Group, Permission

    for role, patterns in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)  # the role's value: stable whatever the language
        wanted = []
        for pattern in patterns:
            app, codename = pattern.split(".")
            permissions = Permission.objects.filter(content_type__app_label=app)
            if codename.endswith("*"):
                permissions = permissions.filter(codename__startswith=codename[:-1])
            else:
                permissions = permissions.filter(codename=codename)
            wanted.extend(permissions)
        group.permissions.set(wanted)
