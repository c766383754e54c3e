"""Enrol a staff member's authenticator app and print the QR code and recovery codes."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from casetracker.two_factor import enroll_totp, qr_text


class Command(BaseCommand):
    help = "Give a staff user a new TOTP authenticator and recovery codes (replaces any old ones)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        device, codes = enroll_totp(user)
        self.stdout.write(f"Scan this with an authenticator app (user {username}):\n")
        self.stdout.write(qr_text(device))
        self.stdout.write(f"Or enter this address by hand:\n  {device.config_url}\n")
        self.stdout.write("Recovery codes (each works once; keep them somewhere safe):")
        for code in codes:
            self.stdout.write(f"  {code}")
