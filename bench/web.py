"""Benchmark: public pages, feed and API served by gunicorn and loaded with wrk, beside a trivial Django view.

    python -m bench.web [--sizes 1000,100000] [--duration 10] [--path name=/url ...]

For each size it builds (or reuses) a database of generated cases, starts gunicorn with production settings,
and runs wrk against every path twice: without a page cache, and with the Redis page cache (--cache-url).
It prints throughput, p50/p99 latency and errors, and writes them into docs/benchmarks.md.
"""

import argparse
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.request import urlopen

from bench import _data, _report

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATHS = [
    ("trivial", "/bench/trivial"),
    ("list", "/cases/"),
    ("list_filtered", "/cases/?country=RU&status=pending"),
    ("list_searched", "/cases/?q=biometric"),
    ("case", "/cases/{slug}/"),
    ("feed", "/cases/feed.atom"),
    ("map", "/map/"),
    ("api_list", "/api/v1/cases/"),
    ("system", "/systems/fake-city-cameras/"),
    ("vendor", "/vendors/fake-vision/"),
]
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}
# Issue 12: a cached anonymous page at this share of the trivial view's throughput or more.
CACHED_SHARE = 0.8


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn with production settings against one database, optionally with the Redis page cache."""

    def __init__(self, database_url, cache_url, workers, secret_key=None, env=None):
        self.port = free_port()
        env = {
            **os.environ,
            **(env or {}),
            "DJANGO_SETTINGS_MODULE": "bench._settings",
            "DJANGO_DEBUG": "0",
            "SECRET_KEY": secret_key or secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": "memory://",
            "LOG_LEVEL": "WARNING",
            # wrk is one client address: the API's per-address limit would answer most of its requests with 429.
            "API_ANON_RATE": "",
        }
        # Set even when empty: settings would otherwise take CACHE_URL from the worktree's .env file.
        env["CACHE_URL"] = cache_url or ""
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "casetracker.wsgi", "--workers", str(workers)]
            + ["--bind", f"127.0.0.1:{self.port}", "--log-level", "warning"],
            cwd=ROOT,
            env=env,
        )
        self.base = f"http://127.0.0.1:{self.port}"

    def wait(self):
        for _ in range(300):
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn exited while starting")
            try:
                urlopen(f"{self.base}/bench/trivial", timeout=2)
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("gunicorn did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


def to_ms(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * UNITS[unit]


def parse_wrk(output):
    """Return requests/s, p50 and p99 in ms, request count and error count from wrk --latency output."""
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": to_ms(re.search(r"\s50%\s+(\S+)", output).group(1)),
        "p99_ms": to_ms(re.search(r"\s99%\s+(\S+)", output).group(1)),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "errors": (sum(map(int, socket_errors.groups())) if socket_errors else 0)
        + (int(non_2xx.group(1)) if non_2xx else 0),
    }


def run_wrk(url, duration, connections, threads):
    output = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return parse_wrk(output)


def flush_cache(cache_url):
    import redis

    redis.Redis.from_url(cache_url).flushdb()


def measure(database_url, paths, args, cache_url):
    """Return one result row per path for one server."""
    server = Server(database_url, cache_url, args.workers)
    try:
        server.wait()
        rows = []
        for name, path in paths:
            url = server.base + path
            status = urlopen(url, timeout=60).status  # warms the page cache and fails fast on a broken path
            if status != 200:
                raise RuntimeError(f"{path} answered {status}")
            rows.append({"name": name, "path": path, **run_wrk(url, args.duration, args.connections, args.threads)})
        return rows
    finally:
        server.stop()


def table(results):
    lines = [
        "| cases | page cache | endpoint | path | req/s | p50 ms | p99 ms | requests | errors |",
        "|---:|---|---|---|---:|---:|---:|---:|---:|",
    ]
    for row in results:
        lines.append(
            f"| {row['cases']:,} | {row['cache']} | {row['name']} | `{row['path']}` | {row['rps']:.0f} "
            f"| {row['p50_ms']:.1f} | {row['p99_ms']:.1f} | {row['requests']:,} | {row['errors']} |"
        )
    return "\n".join(lines)


def comparisons(results):
    """Return the issue's targets, checked against these results."""
    index = {(r["cases"], r["cache"], r["name"]): r for r in results}
    sizes = sorted({r["cases"] for r in results})
    lines = []
    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        for name in ("list", "case"):
            for cache in ("none", "redis"):
                a, b = index.get((small, cache, name)), index.get((large, cache, name))
                if a and b:
                    ratio = b["p50_ms"] / a["p50_ms"]
                    verdict = "meets" if ratio <= 1.5 else "MISSES"
                    lines.append(
                        f"- {name} (cache {cache}): p50 {b['p50_ms']:.1f} ms at {large:,} vs {a['p50_ms']:.1f} ms "
                        f"at {small:,} = {ratio:.2f}x ({verdict} the 1.5x target)"
                    )
    for size in sizes:
        trivial = index.get((size, "redis", "trivial"))
        if not trivial:
            continue
        for name in ("list", "list_filtered", "case", "feed"):
            row = index.get((size, "redis", name))
            if row:
                share = row["rps"] / trivial["rps"]
                verdict = "meets" if share >= CACHED_SHARE else "MISSES"
                lines.append(
                    f"- cached {name} at {size:,} cases: {row['rps']:.0f} req/s = {share:.0%} of the trivial view's "
                    f"{trivial['rps']:.0f} ({verdict} the {CACHED_SHARE:.0%} target)"
                )
    errors = sum(r["errors"] for r in results)
    lines.append(f"- errors across all runs: {errors} ({'meets' if errors == 0 else 'MISSES'} the zero-error target)")
    return "\n".join(lines)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=os.environ.get("BENCH_SIZES", "1000,100000"))
    parser.add_argument("--duration", type=int, default=int(os.environ.get("BENCH_DURATION", "10")))
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--database-url", default=None, help="base URL; each size gets its own database")
    parser.add_argument(
        "--cache-url",
        default=os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/14"),
        help="Redis database for the cached runs (flushed before each); empty skips them",
    )
    parser.add_argument("--path", action="append", default=[], metavar="NAME=PATH", help="replaces the default paths")
    parser.add_argument("--output", default=str(ROOT / "bench" / "results"))
    parser.add_argument("--no-doc", action="store_true", help="do not update docs/benchmarks.md")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if not shutil.which("wrk"):
        sys.exit("bench.web needs wrk (Debian package wrk; `make system-deps` installs it)")
    paths = [tuple(item.split("=", 1)) for item in args.path] or DEFAULT_PATHS
    base = _data.base_url(args.database_url)
    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        url = _data.ensure(base, size)
        slug = _data.sample_slug(url)
        concrete = [(name, path.format(slug=slug)) for name, path in paths]
        for cache in ("none", "redis") if args.cache_url else ("none",):
            if cache == "redis":
                flush_cache(args.cache_url)
            print(f"-- {size:,} cases, page cache {cache}", flush=True)
            for row in measure(url, concrete, args, args.cache_url if cache == "redis" else None):
                results.append({"cases": size, "cache": cache, **row})
                print(
                    f"   {row['name']:<14} {row['rps']:8.0f} req/s  p50 {row['p50_ms']:7.1f} ms  "
                    f"p99 {row['p99_ms']:7.1f} ms  errors {row['errors']}",
                    flush=True,
                )
    output = Path(args.output)
    output.mkdir(parents=True, exist_ok=True)
    (output / "web.json").write_text(json.dumps(results, indent=2))
    report = (
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} with "
        f"`python -m bench.web --sizes {args.sizes} --duration {args.duration}` "
        f"(gunicorn {args.workers} sync workers, wrk -t{args.threads} -c{args.connections}, same 2-core machine).\n\n"
        f"{table(results)}\n\n{comparisons(results)}"
    )
    print(report)
    if not args.no_doc:
        _report.write_section("bench.web", report)
    return results


if __name__ == "__main__":
    main(sys.argv[1:])
