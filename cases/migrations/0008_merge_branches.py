"""Join the migrations of the branches merged after 0006."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_admin_ux"),
        ("cases", "0007_citations"),
        ("cases", "0007_deadlines"),
        ("cases", "0007_doctext"),
        ("cases", "0007_reminders"),
        ("cases", "0007_speed"),
        ("cases", "0007_trust_admin"),
        ("cases", "0007_trust_public"),
    ]

    operations = []
