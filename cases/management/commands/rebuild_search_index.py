from django.core.management.base import BaseCommand

from cases.search import refresh_all_search_vectors


class Command(BaseCommand):
    help = "Recompute every case's full-text search vector (PostgreSQL), e.g. after parties were renamed."

    def handle(self, *args, **options):
        refresh_all_search_vectors()
        self.stdout.write(self.style.SUCCESS("Search index rebuilt."))
