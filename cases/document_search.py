"""Search inside documents' text: each page has its own search vector, so hits can say where they are."""

from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchRank, SearchVector
from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, F, Q, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import capfirst

from .models import Decision, DocumentPage, DocumentText
from .search import CONFIGS, any_word_query, search_query

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


# Every distinct lexeme of a document's pages, as one vector without positions (migration 0016 has a copy).
DOCUMENT_LEXEMES = (
    "(SELECT array_to_tsvector(array_agg(DISTINCT lexeme)) FROM cases_documentpage AS page,"
    " unnest(tsvector_to_array(page.search_vector)) AS lexeme WHERE page.document_id = cases_documenttext.id)"
)


def index_pages(text):
    """Compute the search vectors of one document's pages, then the document's own (PostgreSQL only)."""
    if connection.vendor != "postgresql":
        return
    text.pages.update(search_vector=page_vector("text"))
    index_documents(DocumentText.objects.filter(pk=text.pk))


def index_documents(texts):
    """Compute the search vectors of texts (DocumentText rows) from their pages' (PostgreSQL only)."""
    if connection.vendor == "postgresql":
        texts.update(search_vector=RawSQL(DOCUMENT_LEXEMES, []))


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

    `pages` decides what may be shown: DocumentPage.objects.public() for the public. A document matches when
    it holds all the words (search.matching_ids), not always on one page: the pages that match the whole query
    come first, then those that rank best for any of its words.
    """
    if connection.vendor != "postgresql" or not case_ids or not text:
        return {}
    query, any_word = search_query(text), any_word_query(text)
    if any_word is None:
        return {}
    # ts_rank ignores phrases: the pages that match the whole query come first, then the best of the rest.
    best_first = [
        ExpressionWrapper(Q(search_vector=query), output_field=BooleanField()).desc(),
        SearchRank(F("search_vector"), any_word).desc(),
    ]
    # The documents of these cases first, through their stored case, then their pages by document: were the pages'
    # documents a subquery, PostgreSQL would guess how many pages match the words, and for a common word read
    # every page's vector instead of these few documents' pages.
    texts = DocumentText.objects.filter(case_id__in=case_ids).values_list("pk", flat=True)
    best = (
        pages.with_case_id()
        .filter(document__in=list(texts), search_vector=any_word)
        .annotate(place=Window(RowNumber(), partition_by=F("case_id"), order_by=best_first))
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
            # The Russian configuration stems Latin words with the English stemmer, so it suits both languages.
            headline=SearchHeadline(
                "text", any_word, config="russian", start_sel=START, stop_sel=STOP, max_words=30, min_words=12
            ),
        )
        .order_by("case_id", *best_first, "pk")
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
