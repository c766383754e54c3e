import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce


def store_placement(apps, schema_editor):
    """Store every text's case and public state, as DocumentTextQuerySet.refresh_placement does."""
    DocumentText = apps.get_model("cases", "DocumentText")
    cases, public = [], []
    for field in ("filing", "decision"):
        owner = apps.get_model("cases", field).objects.filter(pk=OuterRef(f"{field}_id"))
        cases.append(Subquery(owner.values("proceeding__case_id")))
        published = {"proceeding__case__visibility": "published", "proceeding__case__published_at__isnull": False}
        public.append(Exists(owner.filter(is_public=True, **published)))
    DocumentText.objects.update(case_id=Coalesce(*cases), is_public=public[0] | public[1])


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0013_merge_branches"),
    ]

    operations = [
        migrations.AddField(
            model_name="documenttext",
            name="case",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="cases.case",
                verbose_name="case",
            ),
        ),
        migrations.AddField(
            model_name="documenttext",
            name="is_public",
            field=models.BooleanField(default=False, editable=False, verbose_name="public"),
        ),
        migrations.RunPython(store_placement, migrations.RunPython.noop),
    ]
