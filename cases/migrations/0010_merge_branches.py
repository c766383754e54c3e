"""Join the branches merged on 2026-11-30 (session 3); no schema change."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0009_exports"),
        ("cases", "0009_speed"),
        ("cases", "0009_systems"),
    ]

    operations = []
