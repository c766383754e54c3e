import django.contrib.postgres.search
from django.db import migrations

# The same as cases.document_search.DOCUMENT_LEXEMES when this migration was written.
DOCUMENT_LEXEMES = (
    "(SELECT array_to_tsvector(array_agg(DISTINCT lexeme)) FROM cases_documentpage AS page,"
    " unnest(tsvector_to_array(page.search_vector)) AS lexeme WHERE page.document_id = cases_documenttext.id)"
)


def index_documents(apps, schema_editor):
    # GIN indexes exist only on PostgreSQL; SQLite falls back to a plain scan.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"UPDATE cases_documenttext SET search_vector = {DOCUMENT_LEXEMES}")
        # Only public search reads it, and only public documents' (selectors.searchable_document_texts).
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS document_text_search_gin ON cases_documenttext"
            " USING gin (search_vector) WHERE is_public"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS document_text_search_gin")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0015_merge_branches"),
    ]

    operations = [
        migrations.AddField(
            model_name="documenttext",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(index_documents, drop_index),
    ]
