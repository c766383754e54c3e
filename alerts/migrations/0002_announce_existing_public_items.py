"""Mark what is public when alerts arrive as already announced, so followers are told only of what comes next."""

from django.db import migrations

PUBLISHED_CASE = {"proceeding__case__visibility": "published", "proceeding__case__published_at__isnull": False}


def announce_existing(apps, schema_editor):
    AnnouncedItem = apps.get_model("alerts", "AnnouncedItem")
    for kind, model in (("filing", "Filing"), ("hearing", "Hearing"), ("decision", "Decision")):
        # The historical model has no .public(); this is its filter (cases/models/queries.py) at this point.
        items = apps.get_model("cases", model).objects.filter(is_public=True, **PUBLISHED_CASE)
        AnnouncedItem.objects.bulk_create(
            [
                AnnouncedItem(kind=kind, object_id=pk, case_id=case_id)
                for pk, case_id in items.values_list("pk", "proceeding__case_id").iterator()
            ],
            batch_size=1000,
            ignore_conflicts=True,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0001_followers"),
    ]

    operations = [migrations.RunPython(announce_existing, migrations.RunPython.noop)]
