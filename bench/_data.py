"""Benchmark databases: one per size, filled by generate_fake_data and reused while the size still matches."""

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/casetracker_bench"


def base_url(url=None):
    """Return the benchmark database URL: the argument, BENCH_DATABASE_URL, or a local PostgreSQL one."""
    return url or os.environ.get("BENCH_DATABASE_URL") or DEFAULT_URL


def url_for(base, size, pages_per_case=0):
    """Return the URL of the database that holds size cases (and pages_per_case document pages per case)."""
    suffix = f"_{size}_pages{pages_per_case}" if pages_per_case else f"_{size}"
    if base.startswith("sqlite:"):
        return f"{base.removesuffix('.sqlite3')}{suffix}.sqlite3"
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"{parts.path}{suffix}"))


def _server_url(url):
    return urlunsplit(urlsplit(url)._replace(path="/postgres"))


def _name(url):
    return urlsplit(url).path.lstrip("/")


def query(url, sql):
    """Return the first row of sql on the database at url, or None if it fails (e.g. no such table)."""
    try:
        if url.startswith("sqlite:"):
            with sqlite3.connect(urlsplit(url).path) as db:
                return db.execute(sql).fetchone()
        with psycopg.connect(url, connect_timeout=5) as db:
            return db.execute(sql).fetchone()
    except (sqlite3.Error, psycopg.Error):
        return None


def manage(url, *args, **env):
    """Run a manage.py command against the database at url, failing loudly."""
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url, **env},
        check=True,
        stdout=subprocess.DEVNULL,
    )


def _recreate(url, template=None):
    """Create the database at url afresh: empty, or a copy of the database at template."""
    if url.startswith("sqlite:"):
        Path(urlsplit(url).path).unlink(missing_ok=True)
        if template:
            shutil.copyfile(urlsplit(template).path, urlsplit(url).path)
        return
    copy = f' TEMPLATE "{_name(template)}"' if template else ""
    with psycopg.connect(_server_url(url), autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{_name(url)}" WITH (FORCE)')
        for _attempt in range(30):
            try:
                server.execute(f'CREATE DATABASE "{_name(url)}"{copy}')
                return
            except psycopg.errors.ObjectInUse:  # someone is reading the template; copying needs it idle
                time.sleep(2)
        raise RuntimeError(f"{_name(template)} stayed in use; could not copy it")


def ensure(base, size, log=print, pages_per_case=0):
    """Return the URL of a migrated database with exactly size generated cases, building it if needed.

    With pages_per_case, the cases' filings and decisions also hold that many pages of document text per case:
    a copy of the database without them, given generated pages.
    """
    url = url_for(base, size, pages_per_case)
    row = query(url, "SELECT count(*) FROM cases_case")
    pages = query(url, "SELECT count(*) FROM cases_documentpage") if pages_per_case else (0,)
    if row and row[0] == size and pages == (size * pages_per_case,):
        log(f"reusing {size}-case database")
        manage(url, "migrate", "--noinput")
        if not query(url, "SELECT 1 FROM cases_facetcount LIMIT 1"):
            manage(url, "rebuild_case_facets")  # built before the facet summary existed
            _vacuum(url)
        return url
    if pages_per_case:
        cases = ensure(base, size, log)
        log(f"copying the {size}-case database and adding document pages (generate_fake_documents)")
        _recreate(url, template=cases)
        manage(url, "generate_fake_documents", "--pages-per-case", str(pages_per_case))
    else:
        log(f"building {size}-case database (generate_fake_data; about 10 s per 1,000 cases on PostgreSQL)")
        _recreate(url)
        manage(url, "migrate", "--noinput")
        manage(url, "generate_fake_data", "--cases", str(size))
    _vacuum(url)
    return url


def _vacuum(url):
    if not url.startswith("sqlite:"):
        # Fresh statistics and visibility maps, as autovacuum would make soon after a bulk load.
        with psycopg.connect(url, autocommit=True) as db:
            db.execute("VACUUM ANALYZE")


def sample_slug(url):
    """Return the slug of a typical published case: the median one by id."""
    count = query(url, "SELECT count(*) FROM cases_case WHERE visibility = 'published'")[0]
    return query(
        url, f"SELECT slug FROM cases_case WHERE visibility = 'published' ORDER BY id LIMIT 1 OFFSET {count // 2}"
    )[0]
