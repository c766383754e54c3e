import django.contrib.postgres.search
from django.db import migrations

# The same vector as cases.search.title_vector: every title in the English, Russian and simple configurations.
TITLE_VECTOR = " || ".join(
    f"setweight(to_tsvector('{config}', concat_ws(' ', title, title_ru, original_title)), 'A')"
    for config in ("english", "russian", "simple")
)


def create_title_index(apps, schema_editor):
    # GIN indexes exist only on PostgreSQL; SQLite falls back to a plain scan.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"UPDATE cases_case SET title_vector = {TITLE_VECTOR}")
        schema_editor.execute("CREATE INDEX IF NOT EXISTS case_title_vector_gin ON cases_case USING gin (title_vector)")


def drop_title_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS case_title_vector_gin")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0011_speed2"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="title_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(create_title_index, drop_title_index),
    ]
