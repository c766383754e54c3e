from django.db import migrations

INLINE_COLUMNS = ("title", "title_ru", "original_title", "slug", "public_digest", "title_vector")


def narrow(apps, schema_editor):
    # TOAST exists only on PostgreSQL.
    if schema_editor.connection.vendor == "postgresql":
        # A search reads the row of every case the GIN index lists: with summaries, descriptions and search
        # vectors (about 2 KB a case) moved out of the rows, the table of 100,000 cases takes a third of its
        # 138 MB and stays in PostgreSQL's buffers. What lists sort by and ranking reads stays in the row (MAIN):
        # sorting a search's matches by title would otherwise fetch every title from TOAST.
        schema_editor.execute("ALTER TABLE cases_case SET (toast_tuple_target = 128)")
        _store_inline_columns(schema_editor, "MAIN")
        # Existing rows follow only when rewritten; VACUUM FULL locks the table while it runs (about 15 s per
        # 100,000 cases). It leaves no page marked all-visible: the plain VACUUM after it lets index-only scans
        # (the admin's date hierarchy and counts) skip the table again.
        schema_editor.execute("VACUUM FULL cases_case")
        schema_editor.execute("VACUUM ANALYZE cases_case")


def widen(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE cases_case RESET (toast_tuple_target)")
        _store_inline_columns(schema_editor, "EXTENDED")


def _store_inline_columns(schema_editor, storage):
    columns = ", ".join(f"ALTER COLUMN {column} SET STORAGE {storage}" for column in INLINE_COLUMNS)
    schema_editor.execute(f"ALTER TABLE cases_case {columns}")


class Migration(migrations.Migration):
    # VACUUM cannot run inside a transaction.
    atomic = False

    dependencies = [
        ("cases", "0016_docvec"),
    ]

    operations = [
        migrations.RunPython(narrow, widen),
    ]
