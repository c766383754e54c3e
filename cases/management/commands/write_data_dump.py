"""Write the open-data dump now, as the nightly task does, e.g. after a deploy or to time it."""

import time

from django.core.management.base import BaseCommand

from cases.datadump import write_dump


class Command(BaseCommand):
    help = "Write the open-data dump served at /data/ (cases, documents, vendors, systems, deployments, README)."

    def add_arguments(self, parser):
        parser.add_argument("--directory", help="Write here instead of settings.DATA_DUMP_ROOT.")

    def handle(self, *args, directory=None, **options):
        started = time.monotonic()
        count = write_dump(directory)
        seconds = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Wrote the data dump of {count} cases in {seconds:.1f} s."))
