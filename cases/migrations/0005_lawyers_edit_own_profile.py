"""Let Lawyers open and change their own staff profile (email language, weekly digest, calendar feed)."""

from django.db import migrations

CODENAMES = ["view_userprofile", "change_userprofile"]


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="cases", codename__in=CODENAMES)
    for group in Group.objects.filter(name="Lawyers"):
        group.permissions.add(*perms)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="cases", codename__in=CODENAMES)
    for group in Group.objects.filter(name="Lawyers"):
        group.permissions.remove(*perms)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_staff_can_look_up_users"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
