"""Restore the database and uploaded media from a backup folder, replacing what is there."""

from django.core.management.base import BaseCommand, CommandError

from casetracker.backup import BackupError, restore


class Command(BaseCommand):
    help = "Replace the database and media with a backup folder made by the backup command."

    def add_arguments(self, parser):
        parser.add_argument("folder")
        parser.add_argument("--yes", action="store_true", help="Do not ask before overwriting.")

    def handle(self, *args, folder, yes, **options):
        if not yes and input(f"Replace this site's database and media with {folder}? [y/N] ").lower() != "y":
            raise CommandError("Restore cancelled.")
        try:
            restore(folder)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored {folder}")
