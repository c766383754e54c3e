import django.contrib.postgres.search
from django.db import migrations

# The same vector as cases.search.title_vector: every title in the English, Russian and simple configurations.
TITLE_VECTOR = " || ".join(
    f"setweight(to_tsvector('{config}', concat_ws(' ', title, title_ru, original_title)), 'A')"
    for config in ("english", "russian", "simple")
)


def create_indexes(apps, schema_editor):
    # GIN indexes exist only on PostgreSQL; SQLite falls back to a plain scan.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"UPDATE cases_case SET title_vector = {TITLE_VECTOR}")
        schema_editor.execute("CREATE INDEX IF NOT EXISTS case_title_vector_gin ON cases_case USING gin (title_vector)")
        # A search reads the row of every page the GIN index lists, for its document: with the page's text (about
        # 1.7 KB compressed) moved out of the row, the rows of a million pages take 80 MB instead of 1.1 GB.
        # Rows written before keep their text inline until rewritten (VACUUM FULL cases_documentpage).
        schema_editor.execute("ALTER TABLE cases_documentpage SET (toast_tuple_target = 128)")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS case_title_vector_gin")
        schema_editor.execute("ALTER TABLE cases_documentpage RESET (toast_tuple_target)")


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
        migrations.RunPython(create_indexes, drop_indexes),
    ]
