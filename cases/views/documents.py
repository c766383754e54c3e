"""The plain HTML text of a public document, for screen readers and for people who cannot open PDFs."""

from django.shortcuts import render

from ..cache import cache_public_page
from ..selectors import public_document_text


@cache_public_page
def document_text(request, kind, pk):
    """Show a public document's extracted text, one section per page, each with an anchor."""
    text = public_document_text(kind, pk)
    context = {"text": text, "owner": text.owner, "case": text.owner.proceeding.case}
    return render(request, "cases/document_text.html", context)
