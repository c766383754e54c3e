"""Search inside documents' text: each page has its own search vector, so hits can say where they are."""

from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import capfirst

from .models import Decision, DocumentPage, DocumentText
from .search import CONFIGS, search_query

HITS_PER_CASE = 2
# Private-use characters mark the matched words in ts_headline's output, which is escaped before they become <mark>.
START, STOP = "\ue000", "\ue001"


def page_vector(text):
    """Return the search vector of a page's text in every configuration: text is the column name or a Value."""
    vector = None
    for config in CONFIGS:
        part = SearchVector(text, config=config)
        vector = part if vector is None else vector + part
    return vector


def index_pages(text):
    """Compute the search vectors of one document's pages (PostgreSQL only)."""
    if connection.vendor != "postgresql":
        return
    text.pages.update(search_vector=page_vector("text"))


@dataclass(frozen=True)
class PageHit:
    """Where a search matched inside one document: its page and a highlighted snippet."""

    kind: str  # "filing" or "decision"
    owner_id: int
    label: str
    number: int
    paged: bool
    snippet: str

    @property
    def url(self):
        return reverse("cases:document_text", args=[self.kind, self.owner_id]) + f"#page-{self.number}"


def document_hits(pages, case_ids, text):
    """Return {case_id: [PageHit, ...]} for the best-matching pages of these cases, best first (PostgreSQL only).

    `pages` decides what may be shown: DocumentPage.objects.public() for the public.
    """
    if connection.vendor != "postgresql" or not case_ids or not text:
        return {}
    query = search_query(text)
    # The documents of these cases first, through their stored case, then their pages by document: were the pages'
    # documents a subquery, PostgreSQL would guess how many pages match the words, and for a common word read
    # every page's vector instead of these few documents' pages.
    texts = DocumentText.objects.filter(case_id__in=case_ids).values_list("pk", flat=True)
    best = (
        pages.with_case_id()
        .filter(document__in=list(texts), search_vector=query)
        .annotate(
            place=Window(RowNumber(), partition_by=F("case_id"), order_by=SearchRank(F("search_vector"), query).desc())
        )
        .filter(place__lte=HITS_PER_CASE)
        .order_by()
        .values_list("pk", flat=True)
    )
    # Headlines are costly: make them only for the few pages shown.
    rows = (
        DocumentPage.objects.with_case_id()
        .filter(pk__in=list(best))
        .select_related("document__filing", "document__decision")
        .annotate(
            rank=SearchRank(F("search_vector"), query),
            # The Russian configuration stems Latin words with the English stemmer, so it suits both languages.
            headline=SearchHeadline(
                "text", query, config="russian", start_sel=START, stop_sel=STOP, max_words=30, min_words=12
            ),
        )
        .order_by("case_id", "-rank", "pk")
    )
    hits = {}
    for page in rows:
        hits.setdefault(page.case_id, []).append(_hit(page))
    return hits


def _hit(page):
    text = page.document
    owner = text.owner
    label = owner.get_kind_display() if text.filing_id else capfirst(Decision._meta.verbose_name)
    snippet = escape(page.headline).replace(START, "<mark>").replace(STOP, "</mark>")
    return PageHit(text.kind, owner.pk, label, page.number, text.page_count is not None, mark_safe(snippet))
