"""The plain HTML text of a public document, for screen readers and for people who cannot open PDFs."""

from django.shortcuts import render

from ..cache import cache_public_page, depends_on_case
from ..selectors import public_document_text


@cache_public_page
def document_text(request, kind, pk):
    """Show a public document's extracted text, one section per page, each with an anchor."""
    text = public_document_text(kind, pk)
    case = text.owner.proceeding.case
    # A new reading of the text, or any edit to the case, retires the case's pages, this one included.
    depends_on_case(request, case)
    context = {"text": text, "owner": text.owner, "case": case}
    return render(request, "cases/document_text.html", context)
