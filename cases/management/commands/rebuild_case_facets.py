"""Rebuild the facet summary of every case, e.g. after a bulk load or a change to courts' levels."""

from django.core.management.base import BaseCommand

from cases.summary import rebuild_case_facets


class Command(BaseCommand):
    help = "Rebuild the facet summary (CaseFacets, FacetCount) behind the case list's counts and /stats/."

    def handle(self, *args, **options):
        count = rebuild_case_facets()
        self.stdout.write(self.style.SUCCESS(f"Rebuilt the facet summary of {count} cases."))
