"""Recompute deadlines after an update of the `holidays` package, and tell the teams what moved."""

from django.core.management.base import BaseCommand

from ...actions.calendar import recompute_for_calendar_update


class Command(BaseCommand):
    help = "Recompute open and lapsed deadlines computed with another holidays version, or still provisional."

    def handle(self, *args, **options):
        count = recompute_for_calendar_update()
        self.stdout.write(f"Checked {count} deadline(s).")
