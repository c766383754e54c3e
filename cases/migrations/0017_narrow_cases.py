from django.db import migrations


def narrow(apps, schema_editor):
    # TOAST exists only on PostgreSQL.
    if schema_editor.connection.vendor == "postgresql":
        # A search reads the row of every case the GIN index lists: with summaries, descriptions and search
        # vectors (about 2 KB a case) moved out of the rows, the table of 100,000 cases takes 24 MB instead of
        # 138 MB and stays in PostgreSQL's buffers. Existing rows follow only when rewritten, hence VACUUM FULL
        # (which locks the table for as long as it runs: about 20 s per 100,000 cases).
        schema_editor.execute("ALTER TABLE cases_case SET (toast_tuple_target = 128)")
        schema_editor.execute("VACUUM FULL ANALYZE cases_case")


def widen(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE cases_case RESET (toast_tuple_target)")


class Migration(migrations.Migration):
    # VACUUM cannot run inside a transaction.
    atomic = False

    dependencies = [
        ("cases", "0016_docvec"),
    ]

    operations = [
        migrations.RunPython(narrow, widen),
    ]
