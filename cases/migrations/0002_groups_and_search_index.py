"""Create the Editors and Lawyers groups, and the full-text index on PostgreSQL."""
from django.contrib.auth.management import create_permissions
from django.db import migrations

CASE_MODELS = [
    "case", "caselink", "participation", "counsel", "party", "court",
    "proceeding", "filing", "hearing", "decision", "deadline",
]
LAWYER_CHANGE_MODELS = CASE_MODELS
LAWYER_DELETE_MODELS = ["caselink", "participation", "counsel", "filing", "hearing", "deadline"]


def create_groups(apps, schema_editor):
    # Permissions are normally made after all migrations; make them now so the groups can hold them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    cases_perms = Permission.objects.filter(content_type__app_label="cases")

    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.set(cases_perms)

    lawyers, _ = Group.objects.get_or_create(name="Lawyers")
    codenames = [f"view_{model}" for model in CASE_MODELS + ["reminderdelivery"]]
    codenames += [f"{action}_{model}" for model in LAWYER_CHANGE_MODELS for action in ("add", "change")]
    codenames += [f"delete_{model}" for model in LAWYER_DELETE_MODELS]
    lawyers.permissions.set(cases_perms.filter(codename__in=codenames))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editors", "Lawyers"]).delete()


def create_search_index(apps, schema_editor):
    # GIN indexes exist only on PostgreSQL; SQLite falls back to a plain scan.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS case_search_vector_gin ON cases_case USING gin (search_vector)"
        )


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS case_search_vector_gin")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_groups, remove_groups),
        migrations.RunPython(create_search_index, drop_search_index),
    ]
