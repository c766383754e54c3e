"""Benchmark: searching inside documents' text, as the public case list does, with snippets.

    python -m bench.document_search [--size 100000] [--pages-per-case 10] [--repeat 7] [--explain]

Builds (or reuses) a database of --size generated cases with --pages-per-case pages of generated document
text per case (1,000,000 pages at the defaults), then times, for each query, the case list's whole answer to
a search without the page cache, through Django's test client: the first page of matching public cases by
relevance, their count, the facets, and the highlighted snippets of the pages that matched in the cases
shown. PostgreSQL only.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench import _data, _report

ROOT = Path(__file__).resolve().parent.parent
# Words of the language of judgments, common (surveillance) and less so, an English and a Russian phrase, and
# words that are common apart but rare together; then words of the generated long tail (TAIL_RANKS).
QUERIES = [
    "foreseeability",
    "surveillance",
    "data protection impact assessment",
    "биометрические персональные данные",
    "watchlist procurement",
]
# Ranks in the generated tail (cases.fake_documents): a word on about one page in a thousand, and a rarer one.
TAIL_RANKS = [("en", 100), ("ru", 100), ("en", 5000)]


def queries():
    """Return QUERIES and the tail words at TAIL_RANKS (Django must be set up)."""
    from cases.fake_documents import ENGLISH, RUSSIAN, VOCABULARY

    head = {"en": len(ENGLISH.split()), "ru": len(RUSSIAN.split())}
    return QUERIES + [VOCABULARY[language][head[language] + rank] for language, rank in TAIL_RANKS]


def search(client, text):
    """Return the case list's answer to a search for text, as an anonymous visitor gets it without the page cache."""
    from django.urls import reverse

    return client.get(reverse("cases:case_list"), {"q": text})


def measure(repeat, explain):
    """Return one row per query: hits, snippets and the median and spread of `repeat` timings (under Django)."""
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casetracker.settings")
    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's host, and the context of each response
    client = Client()
    rows = []
    for text in queries():
        response = search(client, text)  # once to warm PostgreSQL's buffers, as a live server's are
        page = response.context["page"]
        count, snippets = page.paginator.count, sum(len(case.document_hits) for case in page.object_list)
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            search(client, text)
            times.append((time.perf_counter() - started) * 1000)
        rows.append(
            {
                "query": text,
                "cases": count,
                "snippets": snippets,
                "p50_ms": statistics.median(times),
                "max_ms": max(times),
            },
        )
        if explain:
            connection.force_debug_cursor = True
            search(client, text)
            for query in connection.queries:
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                    plan = "\n".join(row[0] for row in cursor.fetchall())
                print(f"-- {text}\n{query['sql'][:300]}...\n{plan}\n", file=sys.stderr)
            connection.queries_log.clear()
            connection.force_debug_cursor = False
    return rows


def report(size, pages, repeat, rows):
    lines = [
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} with `python -m bench.document_search "
        f"--size {size} --pages-per-case {pages // size} --repeat {repeat}` ({size:,} cases, {pages:,} document "
        f"pages; median of {repeat} after a warm-up; the whole list page with its count, facets and snippets, "
        "as an anonymous visitor gets it without the page cache).",
        "",
        "| query | matching cases | snippets | p50 ms | max ms | target < 300 ms |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        result = "met" if row["p50_ms"] < 300 else "**MISSED**"
        lines.append(
            f"| {row['query']} | {row['cases']:,} | {row['snippets']} | {row['p50_ms']:.0f} | {row['max_ms']:.0f} "
            f"| {result} |"
        )
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=int(os.environ.get("BENCH_SIZES", "100000").split(",")[-1]))
    parser.add_argument("--pages-per-case", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--explain", action="store_true", help="Print EXPLAIN ANALYZE of each query's statements.")
    parser.add_argument("--no-doc", action="store_true")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(args.repeat, args.explain)))
        return None
    base = _data.base_url(args.database_url)
    if base.startswith("sqlite:"):
        sys.exit("bench.document_search measures PostgreSQL full-text search; give a postgres:// URL")
    url = _data.ensure(base, args.size, pages_per_case=args.pages_per_case)
    command = [sys.executable, "-m", "bench.document_search", "--measure", "--repeat", str(args.repeat)]
    output = subprocess.run(
        command + (["--explain"] if args.explain else []),
        cwd=ROOT,
        # No page cache: every search is computed.
        env={**os.environ, "DATABASE_URL": url, "CACHE_URL": ""},
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    ).stdout
    rows = json.loads(output.strip().splitlines()[-1])
    text = report(args.size, args.size * args.pages_per_case, args.repeat, rows)
    print(text)
    if not args.no_doc:
        _report.write_section("bench.document_search", text)
    return rows


if __name__ == "__main__":
    main(sys.argv[1:])
