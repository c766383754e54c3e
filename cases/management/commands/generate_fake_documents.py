import random
import time
from contextlib import contextmanager

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from cases.fake_documents import write_document_pages
from cases.models import Case, DocumentText

BATCH = 1000
SEARCH_INDEXES = ("document_page_search_gin", "document_text_search_gin")


class Command(BaseCommand):
    help = (
        "Give every case without read documents about N pages of generated document text, for benchmarks "
        "(generate_fake_data --document-pages does the same while it adds cases)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--pages-per-case", type=int, required=True, help="Pages per case, on average.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed, for repeatable text.")

    def handle(self, *args, pages_per_case, seed, **options):
        if pages_per_case < 1:
            raise CommandError("--pages-per-case must be at least 1.")
        started, rng, pages = time.monotonic(), random.Random(seed), 0
        with_text = set(DocumentText.objects.values_list("filing__proceeding__case", "decision__proceeding__case"))
        with_text = {case_id for pair in with_text for case_id in pair}
        cases = [case for case in Case.objects.order_by("pk").only("pk", "country") if case.pk not in with_text]
        with _without_search_indexes():
            for start in range(0, len(cases), BATCH):
                with transaction.atomic():
                    pages += write_document_pages(rng, cases[start : start + BATCH], pages_per_case)
                done = min(start + BATCH, len(cases))
                self.stdout.write(f"{done}/{len(cases)} cases, {pages} pages ({time.monotonic() - started:.0f}s)")
        self.stdout.write(self.style.SUCCESS(f"Added {pages} pages in {time.monotonic() - started:.0f}s."))


@contextmanager
def _without_search_indexes():
    """Drop the pages' and documents' full-text indexes for a bulk load and build them again after (PostgreSQL).

    Many times faster than adding each row to them.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_indexdef(name::regclass) FROM unnest(%s::text[]) AS name", [list(SEARCH_INDEXES)])
        definitions = [definition for (definition,) in cursor.fetchall()]
        cursor.execute(f"DROP INDEX {', '.join(SEARCH_INDEXES)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # inside a transaction, check the pages' keys first
            cursor.execute("SET maintenance_work_mem = '1GB'")
            for definition in definitions:
                cursor.execute(definition)
