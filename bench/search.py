"""Benchmark: full-text search (cases.search, GIN-indexed) against an unindexed icontains scan of the same text.

    python -m bench.search [--size 100000] [--repeat 7]

Both fetch the first page of 20 public cases and the total count, as the public list does. PostgreSQL only.
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
QUERIES = ["biometric", "Popova", "Moscow Department of Information Technology", "interception warrant"]


def timed(function, repeat):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def measure(repeat):
    """Return one row per query: median ms for full-text search and for the icontains scan (run under Django)."""
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casetracker.settings")
    django.setup()
    from django.db.models import Q

    from cases.models import Case
    from cases.search import FALLBACK_FIELDS, search_cases

    rows = []
    for text in QUERIES:
        full_text = search_cases(Case.objects.public(), text)
        matches = Q()
        for field in FALLBACK_FIELDS:
            matches |= Q(**{f"{field}__icontains": text})
        scan = Case.objects.public().filter(pk__in=Case.objects.filter(matches).values("pk"))

        def page(queryset, order):
            return list(queryset.order_by(*order)[:20]), queryset.count()

        fts_ms = timed(lambda qs=full_text: page(qs, ["-rank", "title", "pk"]), repeat)
        scan_ms = timed(lambda qs=scan: page(qs, ["title", "pk"]), repeat)
        rows.append({"query": text, "hits": full_text.count(), "fts_ms": fts_ms, "scan_ms": scan_ms})
    return rows


def report(size, repeat, rows):
    lines = [
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} with "
        f"`python -m bench.search --size {size} --repeat {repeat}` (median of {repeat}; first page + count).",
        "",
        "| cases | query | hits | full-text ms | icontains scan ms | speed-up |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for row in rows:
        speedup = row["scan_ms"] / row["fts_ms"]
        lines.append(
            f"| {size:,} | {row['query']} | {row['hits']:,} | {row['fts_ms']:.1f} | {row['scan_ms']:.1f} "
            f"| {speedup:.1f}x{'' if speedup >= 10 else ' (MISSES the 10x target)'} |"
        )
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=int(os.environ.get("BENCH_SIZES", "100000").split(",")[-1]))
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--no-doc", action="store_true")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(args.repeat)))
        return None
    base = _data.base_url(args.database_url)
    if base.startswith("sqlite:"):
        sys.exit("bench.search compares PostgreSQL full-text search with a scan; give a postgres:// URL")
    url = _data.ensure(base, args.size)
    output = subprocess.run(
        [sys.executable, "-m", "bench.search", "--measure", "--repeat", str(args.repeat)],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    rows = json.loads(output.strip().splitlines()[-1])
    text = report(args.size, args.repeat, rows)
    print(text)
    if not args.no_doc:
        _report.write_section("bench.search", text)
    return rows


if __name__ == "__main__":
    main(sys.argv[1:])
