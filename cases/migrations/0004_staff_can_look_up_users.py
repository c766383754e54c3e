"""Let Editors and Lawyers look up users, which the admin's lead lawyer/team/responsible pickers need."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ["Editors", "Lawyers"]


def grant_view_user(apps, schema_editor):
    auth_config = apps.get_app_config("auth")
    auth_config.models_module = True
    create_permissions(auth_config, apps=apps, verbosity=0)
    auth_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view_user = Permission.objects.get(content_type__app_label="auth", codename="view_user")
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(view_user)


def revoke_view_user(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view_user = Permission.objects.filter(content_type__app_label="auth", codename="view_user").first()
    if view_user:
        for group in Group.objects.filter(name__in=GROUPS):
            group.permissions.remove(view_user)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_calendar_overrides_and_deadline_alerts"),
    ]

    operations = [migrations.RunPython(grant_view_user, revoke_view_user)]
