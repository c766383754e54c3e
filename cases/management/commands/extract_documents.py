"""Read the text of uploaded documents that have not been read yet (or of all, with --all)."""

from django.core.management.base import BaseCommand

from cases.actions.documents import add_missing_document_texts, extract_document, request_all_rereadings
from cases.models import DocumentText


class Command(BaseCommand):
    help = (
        "Read and index the text of uploaded documents, one at a time, in this process. "
        "Safe to stop: run it again (without --all) to go on where it stopped. Texts stay public while read again."
    )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--missing", action="store_true", help="Only documents not read yet, or cut off (default).")
        which.add_argument("--all", action="store_true", help="Read every document again, even unchanged ones.")

    def handle(self, *args, **options):
        added = add_missing_document_texts()
        if options["all"]:
            # Marking them pending would hide every public text until its turn comes: they stay as they are.
            request_all_rereadings()
        # Whatever is still to read is what is left: a killed run leaves its unread documents waiting.
        waiting = list(DocumentText.objects.to_read().order_by("pk").values_list("pk", "status"))
        self.stdout.write(f"{added} new documents found; {len(waiting)} to read.")
        outcomes = {}
        for done, (pk, status) in enumerate(waiting, 1):
            # A re-reading is from scratch; a new or replaced document reuses an earlier reading of the same bytes.
            text = extract_document(pk, force=status != DocumentText.Status.PENDING)
            outcome = text.get_status_display() if text else "skipped (changed or deleted)"
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
            detail = f" ({text.get_reason_display()})" if text and text.reason else ""
            self.stdout.write(f"[{done}/{len(waiting)} {100 * done // len(waiting)}%] {text or pk}: {outcome}{detail}")
        summary = ", ".join(f"{count} {outcome.lower()}" for outcome, count in sorted(outcomes.items()))
        self.stdout.write(self.style.SUCCESS(f"Finished: {summary or 'nothing to do'}."))
