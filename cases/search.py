"""Full-text search over cases, in English and Russian.

On PostgreSQL each case's `search_vector` holds its titles, summaries, party names and
docket numbers, and the names and aliases of the systems, vendors and operators it
challenges, stemmed with both the English and the Russian configuration (and the
`simple` one, so names and numbers match as typed), plus its further numbers and the
citations of its public decisions under `simple` only: "[2020] EWCA Civ 1058" or
"585 U.S. 296" are matched as typed, never stemmed. The titles and names are indexed once
more as transliteration keys (`cases.transliteration`), and a query looks up its own keys
too, so Попова finds Popova and NtechLab finds НтехЛаб. Other databases get a plain
case-insensitive substring search.
"""

import re
from contextlib import contextmanager

from django.contrib.postgres.aggregates import ArrayAgg
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection, models, transaction
from django.db.models import BigIntegerField, F, Func, IntegerField, Prefetch, Q, TextField, Value
from django.db.models.functions import Coalesce

from .models import Case, Challenge, Decision, DocumentPage
from .selectors import among
from .transliteration import search_key

CONFIGS = ("english", "russian", "simple")
MAX_QUERY_CHARS = 200
# How many of a search's matching cases, per kind, and matching pages are ranked (see best_matches).
RANKED_MATCHES = 100
RANKED_PAGES = 500
# Up to this many matches, best_matches finds the most recent by their ids.
FEW_MATCHES = 5000
# The order of the public list by latest activity, read off its index (case_public_activity_idx).
RECENT = (F("last_activity_on").desc(nulls_last=True), "title", "pk")
# What the plain substring search scans where there is no full-text index (SQLite).
FALLBACK_FIELDS = (
    "title",
    "title_ru",
    "original_title",
    "summary",
    "summary_ru",
    "participations__party__name",
    "participations__party__name_ru",
    "proceedings__docket_number",
    "proceedings__numbers__value",
    "challenges__system__name",
    "challenges__deployment__system__name",
)


def _documents(case):
    """Return (weight, text, configs) triples to index for case, most important first: its titles first."""
    names = []
    for participation in case.participations.all():
        names += [participation.party.name, participation.party.name_ru]
    for challenge in case.challenges.all():
        names += _challenge_names(challenge)
    dockets = [proceeding.docket_number for proceeding in case.proceedings.all()]
    citations = []
    for proceeding in case.proceedings.all():
        citations += [number.value for number in proceeding.numbers.all()]
        # Only public decisions: the index answers public searches, a confidential ruling's citation must not.
        citations += [
            identifier.value for decision in proceeding.public_decisions for identifier in decision.identifiers.all()
        ]
    titles = " ".join([case.title, case.title_ru, case.original_title])
    return [
        ("A", titles, CONFIGS),
        ("B", search_key(" ".join([titles, *names])), ("simple",)),
        ("B", " ".join(names + dockets), CONFIGS),
        ("B", " ".join(citations), ("simple",)),
        ("C", " ".join([case.summary, case.summary_ru]), CONFIGS),
    ]


def _challenge_names(challenge):
    """Return the names and aliases of the system, its vendor and the operator a challenge names."""
    system = challenge.deployment.system if challenge.deployment_id else challenge.system
    names = [system.name, *system.alias_list]
    if system.vendor_id:
        names += [system.vendor.name, *system.vendor.alias_list]
    if challenge.deployment_id:
        names += [challenge.deployment.operator.name, challenge.deployment.operator.name_ru]
    return names


def _vector(documents):
    vector = None
    for weight, text, configs in documents:
        for config in configs:
            part = SearchVector(Value(text, output_field=TextField()), config=config, weight=weight)
            vector = part if vector is None else vector + part
    return vector


def refresh_search_vector(case_id):
    """Recompute one case's search vector from its current data (PostgreSQL only)."""
    refresh_search_vectors([case_id])


def refresh_search_vectors(case_ids, batch_size=200):
    """Recompute many cases' search vectors in a few statements, e.g. after a bulk import (PostgreSQL only)."""
    if connection.vendor != "postgresql":
        return
    cases = list(
        Case.objects.filter(pk__in=case_ids)
        .prefetch_related(
            "participations__party",
            Prefetch(
                "challenges",
                queryset=Challenge.objects.select_related(
                    "system__vendor", "deployment__system__vendor", "deployment__operator"
                ),
            ),
            "proceedings__numbers",
            Prefetch(
                "proceedings__decisions",
                queryset=Decision.objects.filter(is_public=True).prefetch_related("identifiers"),
                to_attr="public_decisions",
            ),
        )
        .only("pk", "title", "title_ru", "original_title", "summary", "summary_ru")
    )
    for case in cases:
        documents = _documents(case)
        case.search_vector = _vector(documents)
        # The titles come first (migration 0012 computes the same vector in SQL).
        case.title_vector = _vector(documents[:1])
    Case.objects.bulk_update(cases, ["search_vector", "title_vector"], batch_size=batch_size)


def refresh_all_search_vectors(chunk_size=500):
    """Recompute every case's search vector, e.g. after a party is renamed."""
    case_ids = list(Case.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(case_ids), chunk_size):
        refresh_search_vectors(case_ids[start : start + chunk_size])


def search_query(text, *, transliterated=False):
    """Return a query for text in every configuration, and for its transliteration keys if asked (PostgreSQL only)."""
    query = None
    for config in CONFIGS:
        part = SearchQuery(text[:MAX_QUERY_CHARS], config=config, search_type="websearch")
        query = part if query is None else query | part
    if transliterated:
        query |= SearchQuery(search_key(text[:MAX_QUERY_CHARS]), config="simple", search_type="websearch")
    return query


def index_query(text):
    """Return one query for the distinct terms text becomes in every configuration, or None if none (PostgreSQL).

    `search_query` ORs the same word four times when the configurations agree on it; PostgreSQL then guesses
    four times as many matches as there are and scans every case instead of reading the GIN index.
    """
    return _raw_query(_query_parts(text))


def lexeme_query(text):
    """Return index_query(text) with its phrases loosened to "all these words", or None (PostgreSQL only).

    For the position-less vectors of whole documents (DocumentText.search_vector), on which no phrase matches.
    """
    return _raw_query([_PHRASE_OPERATOR.sub(lambda match: match.group(1) or "&", part) for part in _query_parts(text)])


def any_word_query(text):
    """Return a query matching any one of the words of index_query(text), or None (PostgreSQL only)."""
    words = dict.fromkeys(word for part in _query_parts(text) for word in _QUOTED_WORD.findall(part))
    return _raw_query(list(words))


# In a tsquery's text, a quoted lexeme (kept as it is) or a phrase operator such as <-> or <2>.
_PHRASE_OPERATOR = re.compile(r"('(?:[^']|'')*')|<(?:\d+|-)>")
_QUOTED_WORD = re.compile(r"'(?:[^']|'')*'")


def _query_parts(text):
    """Return the distinct tsquery texts that text becomes in every configuration and as transliteration keys."""
    text = text[:MAX_QUERY_CHARS]
    pairs = [(config, text) for config in CONFIGS] + [("simple", search_key(text))]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT websearch_to_tsquery(config::regconfig, text)::text"
            " FROM unnest(%s::text[], %s::text[]) AS asked(config, text)",
            [[config for config, _ in pairs], [text for _, text in pairs]],
        )
        return sorted(part for (part,) in cursor.fetchall() if part)


def _raw_query(parts):
    if not parts:
        return None
    # The parts are normalised already; the "simple" configuration only lowercases them again.
    return SearchQuery(" | ".join(f"( {part} )" for part in parts), config="simple", search_type="raw")


def search_pages(pages, text):
    """Filter DocumentPage rows to those matching text (full-text on PostgreSQL, substring elsewhere)."""
    text = text[:MAX_QUERY_CHARS]
    if connection.vendor == "postgresql":
        return pages.filter(search_vector=search_query(text))
    return pages.filter(text__icontains=text)


def search_documents(texts, text):
    """Filter DocumentText rows to those holding all of text's words (full-text search; substrings off PostgreSQL)."""
    text = text.strip()[:MAX_QUERY_CHARS]
    if connection.vendor != "postgresql":
        return texts.filter(pk__in=search_pages(DocumentPage.objects.all(), text).values("document_id"))
    query = lexeme_query(text)
    return texts.filter(search_vector=query) if query is not None else texts.none()


def best_matches(queryset, text, *, matches=None, pages=None):
    """Return the ids of text's matches among queryset that are ranked, most relevant first (PostgreSQL only).

    queryset holds the cases every other filter leaves; matches are text's matches (matching_ids), if known.
    Neither query below needs them all: a title match is a match, and so is a page's case. Passed to PostgreSQL,
    50,000 ids cost 40 ms of planning per statement.

    A case's relevance is its own rank plus that of its best page among `pages` (DocumentPage rows): a page's
    words weigh least (D), so one long document cannot outweigh a case whose title matches. Ranking reads each
    ranked case's search vector and each ranked page's (TOASTed) vector, and a common word matches half the
    cases and hundreds of thousands of pages: too many to rank for one page of results. So only candidates
    are ranked: the RANKED_MATCHES cases whose titles rank best (from their small, GIN-indexed title vectors,
    so every title match is considered), the RANKED_MATCHES most recently active matches, and the cases of the
    first RANKED_PAGES matching pages the document index yields (those of them that are public and in queryset),
    whose ranks are their best pages among those.
    When a search matches fewer cases and pages than that, the order is exact. Beyond, it is approximate: a
    case matched only by its summary, parties or documents is ranked only if it is recent or its pages come
    first, and a page further on adds nothing to its case's rank.
    """
    text = text[:MAX_QUERY_CHARS]
    query = index_query(text)
    if query is None:
        return []
    rank_query = search_query(text, transliterated=True)
    titled = (
        queryset.filter(title_vector=query)
        .annotate(title_rank=SearchRank(F("title_vector"), rank_query))
        .order_by("-title_rank", "pk")
        .values("pk")[:RANKED_MATCHES]
    )
    # Read off the activity index, testing each case: by id when there are few matches (else thousands of vectors
    # are tested before a hundred match), by its vector when a match comes every few cases.
    if matches is not None and len(matches) <= FEW_MATCHES:
        recent = queryset.filter(among("pk", matches))
    else:
        recent = queryset.filter(search_vector=query)
    recent = recent.order_by(*RECENT).values("pk")[:RANKED_MATCHES]
    # A document's match may have no vector of its own yet (written outside the actions): it ranks 0 here.
    own = Case.objects.filter(pk__in=titled.union(recent)).annotate(
        rank=Coalesce(SearchRank(F("search_vector"), rank_query), Value(0.0))
    )
    ranks = dict(own.values_list("pk", "rank"))
    if pages is not None:
        # The first pages the index yields, of any document, then those of them `pages` and queryset allow: asked
        # in one statement, PostgreSQL would join every public document to its case before taking the first few.
        first = search_pages(DocumentPage.objects.order_by(), text).values_list("pk", flat=True)[:RANKED_PAGES]
        with through_index_bitmaps():
            first = list(first)
        found = pages.filter(pk__in=first).with_case_id()
        found = found.annotate(rank=SearchRank(F("search_vector"), search_query(text))).order_by()
        best = {}
        for case_id, rank in found.values_list("case_id", "rank"):
            best[case_id] = max(rank, best.get(case_id, 0.0))
        # Those of their cases in queryset, by key: as a subquery, PostgreSQL would hash every case it selects.
        for case_id in queryset.filter(pk__in=list(best)).order_by().values_list("pk", flat=True):
            ranks[case_id] = ranks.get(case_id, 0.0) + best[case_id]
    return sorted(ranks, key=lambda pk: (-ranks[pk], pk))


class _Position(Func):
    """`array_position(array, value)`: where value is in array, from 1."""

    function = "array_position"
    output_field = IntegerField()


def ranked_by(queryset, best):
    """Annotate each case in queryset with its `rank`, higher for those earlier in best, else 0 (PostgreSQL only).

    best are best_matches' ids, so a list sorted by `-rank, title` shows every other case in title order after
    the ranked ones.
    """
    if not best:
        return queryset.annotate(rank=Value(0))
    ids = Value(best, output_field=ArrayField(BigIntegerField()))
    # Only the ranked few look up their place; the ANY is a hash lookup for every other case.
    place = Value(len(best) + 1) - _Position(ids, F("pk"))
    return queryset.annotate(rank=models.Case(models.When(among("pk", best), then=place), default=Value(0)))


@contextmanager
def through_index_bitmaps():
    """Let PostgreSQL read tables only through bitmaps of their indexes within the block.

    PostgreSQL costs `@@` as cheap, not knowing that it decompresses each case's vector and reads each page's
    from TOAST: for a word in half the cases it reads every published case and tests its vector (0.8-1 s at
    100,000 cases) instead of reading the rows the GIN index lists (0.1 s), and likewise every page (180 ms
    at 10,000 pages, against 8 ms); to find the first 500 pages with a word on one page in forty, it reads
    20,000 pages (55 ms at 200,000 pages, and more the rarer the word).
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off")
        yield
        # Within an outer transaction (a test's), SET LOCAL would last until that one ends.
        cursor.execute("RESET enable_seqscan; RESET enable_indexscan")


def matching_ids(cases, text, *, texts=None):
    """Return the ids of the cases among `cases` matching text, and of those whose documents in `texts` do (PostgreSQL).

    `texts` are DocumentText rows whose stored `case_id` may be shown, e.g. selectors.searchable_document_texts().
    A document matches when it holds all the words, on one page or across its pages (a quoted phrase: its words).
    """
    text = text[:MAX_QUERY_CHARS]
    query = index_query(text)
    if query is None:
        return []
    # Each as one array: 57,000 rows through the ORM cost 40 ms in Python.
    with through_index_bitmaps():
        ids = set(cases.filter(search_vector=query).aggregate(ids=ArrayAgg("pk", default=[]))["ids"])
        if texts is not None:
            # Each document's words in one vector, and its case as stored on it: a common word's 57,000
            # documents need neither their million pages read nor a join to their filings, proceedings and cases.
            found = search_documents(texts, text).aggregate(ids=ArrayAgg("case_id", default=[]))
            ids.update(found["ids"])
    return list(ids)


def search_cases(queryset, text, *, texts=None, pages=None):
    """Filter queryset to cases matching text, or holding a document in `texts` that does; rank them (PostgreSQL).

    On PostgreSQL each case is annotated with its `rank` (see ranked_by), to which its best pages among `pages`
    (DocumentPage rows) add. Elsewhere a case also matches when one of `pages` contains the text.
    """
    text = text[:MAX_QUERY_CHARS]
    if not text:
        return queryset
    if connection.vendor == "postgresql":
        ids = matching_ids(queryset, text, texts=texts)
        found = queryset.filter(among("pk", ids))
        return ranked_by(found, best_matches(queryset, text, matches=ids, pages=pages))
    # A confidential decision's citation must not find its case.
    matches = Q(proceedings__decisions__is_public=True, proceedings__decisions__identifiers__value__icontains=text)
    for field in FALLBACK_FIELDS:
        matches |= Q(**{f"{field}__icontains": text})
    if pages is not None:
        matches |= Q(pk__in=search_pages(pages, text).with_case_id().values("case_id"))
    return queryset.filter(pk__in=Case.objects.filter(matches).values("pk"))
