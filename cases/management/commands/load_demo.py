from django.conf import settings
from django.core.management.base import BaseCommand

from cases.demo import create_demo_accounts, load_demo


class Command(BaseCommand):
    help = "Load the demo cases (safe to run again); with DEBUG on, also create a demo editor and lawyer."

    def handle(self, *args, **options):
        cases = load_demo()
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {len(cases)} published cases."))
        if not settings.DEBUG:
            self.stdout.write("DEBUG is off, so no demo accounts were created.")
            return
        for username, password in create_demo_accounts():
            if password:
                self.stdout.write(f"Created demo account '{username}' with password: {password}")
            else:
                self.stdout.write(f"Demo account '{username}' already exists; its password is unchanged.")
        self.stdout.write(
            "The editor must also pass a second factor: run `python manage.py setup_totp editor` to enrol one."
        )
