"""Back up the database and uploaded media into a new folder (see docs/operations.md)."""

from django.core.management.base import BaseCommand, CommandError

from casetracker.backup import BackupError, backup


class Command(BaseCommand):
    help = "Dump the database (pg_dump or SQLite backup) and tar the media into a new folder under --output."

    def add_arguments(self, parser):
        parser.add_argument("--output", default="var/backups", help="Folder that receives the new backup folder.")

    def handle(self, *args, output, **options):
        try:
            folder = backup(output)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backup written to {folder}")
