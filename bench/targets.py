"""Benchmark: every target of issue 12, one request at a time, uncached, at each size in the same run.

    python -m bench.targets [--sizes 1000,100000] [--repeat 11]

For each size it builds (or reuses) a generated database, starts gunicorn (2 sync workers, production
settings, no page cache) and times each URL `--repeat` times after one warm-up request, one request at a
time, taking the median. Staff pages use sign-in cookies of a benchmark editor and lawyer. The export rate is
a filtered JSON download as large as EXPORT_MAX_CASES allows, timed the same way: built from the database,
then again once `manage.py write_data_dump` (timed: the nightly dump) has written the dump it copies current
records from. `EXPLAIN ANALYZE` of the list's page query (bench._explain) must show an index and no sequential
scan of cases_case. It writes one table, with met or missed per target, the command and the load average, into
docs/benchmarks.md.
"""

import argparse
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.request import Request, urlopen

from bench import _data, _report
from bench.web import Server

ROOT = Path(__file__).resolve().parent.parent

# (name, path, target ms at the largest size, also within 3x of the smallest size's figure, who asks)
TARGETS = [
    ("trivial view", "/bench/trivial", None, False, None),
    ("list", "/cases/", 50, True, None),
    ("list, page 40", "/cases/?page=40", 50, True, None),
    ("list, by title", "/cases/?sort=title", 50, True, None),
    ("list, one filter (country)", "/cases/?country=RU", 100, True, None),
    ("list, one filter (technology)", "/cases/?technology=cctv", 100, True, None),
    ("list, one filter (the most-sued agency)", "/cases/?party={agency}", 100, True, None),
    ("list, rare-word search", "/cases/?q={rare}", 100, True, None),
    ("list, common-word search", "/cases/?q={common}", 300, True, None),
    ("list, page 999999 (capped)", "/cases/?page=999999", 100, False, None),
    ("case page", "/cases/{slug}/", 50, False, None),
    ("home", "/", 50, False, None),
    ("latest feed", "/feeds/latest.atom", 50, False, None),
    ("list feed", "/cases/feed.atom", 50, False, None),
    ("party page (the most-sued agency)", "/parties/{agency}/", 50, False, None),
    ("technology page", "/technologies/cctv/", 50, False, None),
    ("system page (the most-challenged)", "/systems/fake-city-cameras/", 50, False, None),
    ("vendor page", "/vendors/fake-vision/", 50, False, None),
    ("list, one filter (system)", "/cases/?system=fake-city-cameras", 100, True, None),
    ("stats", "/stats/", 20, False, None),
    ("map", "/map/", 50, False, None),
    ("API list", "/api/v1/cases/", 40, False, None),
    ("API list, page_size=100", "/api/v1/cases/?page_size=100", 150, False, None),
    ("API list, fields=slug,title", "/api/v1/cases/?page_size=100&fields=slug,title", 150, False, None),
    ("admin changelist, editor", "/admin/cases/case/", 150, False, "Editors"),
    ("admin changelist, editor, search", "/admin/cases/case/?q={common}", 150, False, "Editors"),
    ("admin changelist, lawyer", "/admin/cases/case/", 150, False, "Lawyers"),
    ("admin changelist, lawyer, search", "/admin/cases/case/?q={common}", 150, False, "Lawyers"),
]
EXPORT_TARGET = 5000  # cases per second
DUMP_TARGET = 120  # seconds for the nightly dump


def fetch(url, cookie=None):
    """Return (seconds, body) of one GET."""
    request = Request(url, headers={"Cookie": cookie} if cookie else {})
    started = time.perf_counter()
    with urlopen(request, timeout=300) as response:
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"{url} answered {response.status}")
    return time.perf_counter() - started, body


def sample(url):
    """Return the values the target URLs are filled with, chosen from the database at url."""
    agency = _data.query(
        url,
        "SELECT p.slug FROM cases_party p JOIN cases_participation r ON r.party_id = p.id "
        "WHERE r.role = 'defendant' GROUP BY p.slug ORDER BY count(*) DESC LIMIT 1",
    )[0]
    return {"agency": agency, "slug": _data.sample_slug(url), "common": "camera", "rare": "council"}


def export_filter(url, limit):
    """Return the country with the most published cases that one export may still hold, and its count."""
    return _data.query(
        url,
        "SELECT country, count(*) FROM cases_case WHERE visibility = 'published' GROUP BY country "
        f"HAVING count(*) <= {limit} ORDER BY count(*) DESC LIMIT 1",
    )


def run_module(module, url, secret_key):
    """Run a bench module in a Django process on the database at url; return the JSON its last line prints."""
    env = {"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "bench._settings", "SECRET_KEY": secret_key}
    output = subprocess.run(
        [sys.executable, "-m", module],
        cwd=ROOT,
        env={**os.environ, **env, "DJANGO_DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1", "CELERY_BROKER_URL": "memory://"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def worker_rss_mib(server):
    """Return the largest resident memory of the server's worker processes, in MiB."""
    children = Path(f"/proc/{server.process.pid}/task/{server.process.pid}/children")
    sizes = []
    for pid in children.read_text().split() if children.exists() else []:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) / 1024)
    return max(sizes, default=0)


def export_rate(server, url, limit, repeat):
    """Return (cases, cases per second) of the largest filtered JSON export one request may hold.

    Like the pages, the median of `repeat` requests after a warm-up one (which also reads the dump's index).
    """
    country, count = export_filter(url, limit)
    times = []
    for _ in range(repeat + 1):
        seconds, body = fetch(f"{server.base}/cases/export.json?country={country}")
        assert body.rstrip().endswith(b"]"), "export ended early"
        times.append(seconds)
    return count, count / statistics.median(times[1:])


def write_dump(url, directory):
    """Write the nightly open-data dump of the database at url into directory; return the seconds it took."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "manage.py", "write_data_dump", "--directory", str(directory)],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url, "CELERY_BROKER_URL": "memory://"},
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def measure(url, repeat, limit):
    values = sample(url)
    secret_key = secrets.token_urlsafe(64)  # sessions are signed with the server's key
    cookies = run_module("bench._staff", url, secret_key)
    plans = run_module("bench._explain", url, secret_key)
    dump = Path(tempfile.mkdtemp(prefix="bench-dump-"))
    server = Server(url, None, 2, secret_key=secret_key, env={"DATA_DUMP_ROOT": str(dump)})
    try:
        server.wait()
        rows = {}
        for name, path, _target, _relative, who in TARGETS:
            full = server.base + path.format(**values)
            cookie = cookies[who] if who else None
            fetch(full, cookie)  # warm-up: connections, imports, PostgreSQL's buffers
            times = [fetch(full, cookie)[0] * 1000 for _ in range(repeat)]
            rows[name] = statistics.median(times)
        # Built from the database, then, once the nightly dump exists (as it does in production), copied from it.
        count, built = export_rate(server, url, limit, repeat)
        rows["dump"] = write_dump(url, dump)
        _count, copied = export_rate(server, url, limit, repeat)
        rows["export"] = {"cases": count, "rate": built, "copied": copied}
        rows["memory"] = worker_rss_mib(server)
        rows["plans"] = plans
        return rows
    finally:
        server.stop()
        shutil.rmtree(dump)


def verdict(met):
    return "met" if met else "**MISSED**"


def report(sizes, results, command, load):
    small, large = sizes[0], sizes[-1]
    lines = [
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} with `{command}` (gunicorn 2 sync "
        f"workers, production settings, no page cache, median of single requests). Load average at the end: "
        f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1 / 5 / 15 min) on 2 cores shared with other work.",
        "",
        f"| endpoint | {small:,} cases ms | {large:,} cases ms | target at {large:,} | result |",
        "|---|---:|---:|---|---|",
    ]
    for name, _path, target, relative, _who in TARGETS:
        a, b = results[small][name], results[large][name]
        if target is None:
            lines.append(f"| {name} | {a:.1f} | {b:.1f} | baseline | |")
            continue
        goal = f"≤ {target} ms" + (" and ≤ 3× the small figure" if relative else "")
        met = b <= target and (not relative or b <= 3 * a)
        lines.append(f"| {name} | {a:.1f} | {b:.1f} | {goal} | {verdict(met)} |")
    rates = [results[size]["export"] for size in (small, large)]
    for key, how in (("rate", "built from the database"), ("copied", "with the nightly dump")):
        lines.append(
            f"| filtered export, {how}, cases/s ({rates[0]['cases']:,} and {rates[1]['cases']:,} cases) | "
            f"{rates[0][key]:,.0f} | {rates[1][key]:,.0f} | ≥ {EXPORT_TARGET:,}/s | "
            f"{verdict(rates[1][key] >= EXPORT_TARGET)} |"
        )
    dumps = [results[size]["dump"] for size in (small, large)]
    lines.append(
        f"| nightly dump (`write_data_dump`), s | {dumps[0]:.1f} | {dumps[1]:.1f} | < {DUMP_TARGET} s | "
        f"{verdict(dumps[1] < DUMP_TARGET)} |"
    )
    for state, plan in results[large]["plans"].items():
        lines.append(
            f"| plan of the list's page query `/cases/?{state}`, ms (`EXPLAIN ANALYZE`) | "
            f"{results[small]['plans'][state]['ms']:.1f} | {plan['ms']:.1f} | an index, no seq scan on cases_case | "
            f"{verdict(plan['indexed'])} |"
        )
    memory = [results[size]["memory"] for size in (small, large)]
    lines.append(
        f"| largest gunicorn worker after the run, MiB | {memory[0]:.0f} | {memory[1]:.0f} | < 250 | "
        f"{verdict(memory[1] < 250)} |"
    )
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,100000")
    parser.add_argument("--repeat", type=int, default=11)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--export-limit", type=int, default=2000)
    parser.add_argument("--no-doc", action="store_true", help="print the table only")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    base = _data.base_url(args.database_url)
    urls = {size: _data.ensure(base, size) for size in sizes}
    results = {size: measure(urls[size], args.repeat, args.export_limit) for size in sizes}
    command = f"python -m bench.targets --sizes {args.sizes} --repeat {args.repeat}"
    text = report(sizes, results, command, os.getloadavg())
    print(text)
    if not args.no_doc:
        _report.write_section("bench.targets", text)


if __name__ == "__main__":
    main(sys.argv[1:])
