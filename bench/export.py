"""Benchmark: export every public case as CSV and JSON Lines; peak memory must stay flat as the count grows.

    python -m bench.export [--sizes 1000,100000]

Each export runs in a fresh process against that size's database and writes to /dev/null; the process's peak
resident memory (ru_maxrss) is compared with its memory just before the export started.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from bench import _data, _report

ROOT = Path(__file__).resolve().parent.parent


def measure(fmt):
    """Export all public cases in fmt to /dev/null; return rows, seconds and memory in MiB (run under Django)."""
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casetracker.settings")
    django.setup()
    from cases.exports import write_export
    from cases.models import Case

    cases = Case.objects.public().order_by("pk")
    rows = cases.count()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    with open(os.devnull, "w") as sink:
        write_export(cases, fmt, sink)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"format": fmt, "rows": rows, "seconds": seconds, "before_mib": before, "peak_mib": peak}


def report(sizes, results):
    lines = [
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} with "
        f"`python -m bench.export --sizes {','.join(map(str, sizes))}` (one fresh process per export).",
        "",
        "| cases | format | public rows | seconds | rows/s | memory before MiB | peak MiB | growth MiB |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in results:
        lines.append(
            f"| {row['cases']:,} | {row['format']} | {row['rows']:,} | {row['seconds']:.1f} "
            f"| {row['rows'] / row['seconds']:.0f} | {row['before_mib']:.0f} | {row['peak_mib']:.0f} "
            f"| {row['peak_mib'] - row['before_mib']:.0f} |"
        )
    small, large = min(sizes), max(sizes)
    for fmt in dict.fromkeys(row["format"] for row in results):
        a = next((r for r in results if r["cases"] == small and r["format"] == fmt), None)
        b = next((r for r in results if r["cases"] == large and r["format"] == fmt), None)
        if a and b and small != large:
            growth = (b["peak_mib"] - b["before_mib"]) - (a["peak_mib"] - a["before_mib"])
            verdict = "flat" if growth < 50 else "NOT flat"
            lines.append(
                f"\n- {fmt}: export memory growth {growth:+.0f} MiB from {small:,} to {large:,} cases ({verdict})."
            )
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=os.environ.get("BENCH_SIZES", "1000,100000"))
    parser.add_argument("--formats", default="csv,jsonl")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--no-doc", action="store_true")
    parser.add_argument("--measure", metavar="FORMAT", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return None
    sizes = [int(size) for size in args.sizes.split(",")]
    base = _data.base_url(args.database_url)
    results = []
    for size in sizes:
        url = _data.ensure(base, size)
        for fmt in args.formats.split(","):
            output = subprocess.run(
                [sys.executable, "-m", "bench.export", "--measure", fmt],
                cwd=ROOT,
                env={**os.environ, "DATABASE_URL": url},
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            results.append({"cases": size, **json.loads(output.strip().splitlines()[-1])})
            print(f"   {size:,} cases {fmt}: {results[-1]}", flush=True)
    text = report(sizes, results)
    print(text)
    if not args.no_doc:
        _report.write_section("bench.export", text)
    return results


if __name__ == "__main__":
    main(sys.argv[1:])
