"""The web benchmark runs end to end on a tiny database (this checks that it works, not how fast)."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench.web import parse_wrk
from tests.conftest import need

ROOT = Path(__file__).resolve().parent.parent

WRK_OUTPUT = """Running 1s test @ http://127.0.0.1:8000/cases/
  2 threads and 2 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     3.10ms    1.00ms  12.00ms   90.00%
  Latency Distribution
     50%  850.00us
     75%    3.00ms
     90%    4.00ms
     99%    1.20s
  643 requests in 1.00s, 1.00MB read
  Socket errors: connect 0, read 1, write 0, timeout 2
  Non-2xx or 3xx responses: 4
Requests/sec:    640.51
Transfer/sec:      1.00MB
"""


def test_parse_wrk_reads_throughput_latency_and_errors():
    assert parse_wrk(WRK_OUTPUT) == {"rps": 640.51, "p50_ms": 0.85, "p99_ms": 1200.0, "requests": 643, "errors": 7}


@pytest.mark.timeout(600)
def test_tiny_benchmark_serves_every_path_without_errors(tmp_path, redis_url):
    need(shutil.which("wrk"), "needs wrk (Debian package wrk)")
    command = [sys.executable, "-m", "bench.web", "--sizes", "20", "--duration", "1", "--connections", "2"]
    command += ["--database-url", f"sqlite:///{tmp_path}/bench.sqlite3", "--cache-url", redis_url]
    command += ["--output", str(tmp_path), "--no-doc"]

    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=500)

    assert result.returncode == 0, result.stderr[-3000:]
    rows = json.loads((tmp_path / "web.json").read_text())
    names = {"trivial", "list", "list_filtered", "list_searched", "case", "feed", "map", "api_list", "system", "vendor"}
    assert {(row["cache"], row["name"]) for row in rows} == {
        (cache, name) for cache in ("none", "redis") for name in names
    }
    assert all(row["requests"] > 0 and row["errors"] == 0 for row in rows)
    assert "| 20 | redis | trivial |" in result.stdout


def run_bench(module, *args, env=None):
    """Run one benchmark module in its own process and return its standard output."""
    command = [sys.executable, "-m", f"bench.{module}", *args]
    result = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=500, env={**os.environ, **(env or {})}
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    return result.stdout


def postgres_url(name):
    from django.db import connection

    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


@pytest.mark.timeout(600)
def test_tiny_reminder_benchmark_delivers_every_email_once(require_postgres, redis_url):
    env = {"DATABASE_URL": postgres_url("bench_smoke_reminders"), "CELERY_BROKER_URL": redis_url}
    output = run_bench("reminders", "--count", "20", "--concurrency", "1", "--no-write", env=env)
    assert "Ratio (worker / plain loop)" in output


@pytest.mark.timeout(600)
def test_tiny_search_and_export_benchmarks_run(require_postgres):
    database = postgres_url("bench_smoke")
    assert "icontains" in run_bench("search", "--size", "20", "--repeat", "1", "--database-url", database, "--no-doc")
    assert "20" in run_bench("export", "--sizes", "20", "--formats", "csv", "--database-url", database, "--no-doc")


@pytest.mark.timeout(600)
def test_tiny_document_search_benchmark_runs(require_postgres):
    database = postgres_url("bench_smoke_documents")
    args = ["--size", "20", "--pages-per-case", "2", "--repeat", "1", "--database-url", database, "--no-doc"]
    output = run_bench("document_search", *args)
    assert "| data protection impact assessment |" in output


def test_extraction_benchmark_reads_both_kinds_of_pdf():
    need(shutil.which("tesseract") and shutil.which("pdftoppm"), "needs tesseract-ocr and poppler-utils (Debian)")
    from bench import extraction

    rows = extraction.main(["--text-pages", "3", "--ocr-pages", "1", "--no-write"])

    assert [pages for _label, pages, _seconds in rows] == [3, 1]


@pytest.mark.timeout(600)
def test_tiny_targets_benchmark_measures_every_target(tmp_path):
    database = f"sqlite:///{tmp_path}/targets.sqlite3"
    output = run_bench("targets", "--sizes", "20", "--repeat", "1", "--database-url", database, "--no-doc")
    assert "| admin changelist, lawyer, search |" in output and "| filtered export, with the nightly dump" in output
    assert "| nightly dump (`write_data_dump`), s |" in output
    assert "Load average at the end" in output
