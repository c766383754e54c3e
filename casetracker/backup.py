"""Back up and restore the database (pg_dump, or SQLite's online backup) and the uploaded media."""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

MANIFEST = "manifest.json"
MEDIA_ARCHIVE = "media.tar.gz"
POSTGRES_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"


class BackupError(Exception):
    """A backup or restore could not be completed."""


def _postgres_env():
    db = settings.DATABASES["default"]
    env = {**os.environ, "PGDATABASE": db["NAME"], "PGUSER": db.get("USER") or "", "PGHOST": db.get("HOST") or ""}
    env["PGPORT"] = str(db.get("PORT") or "")
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _run(command):
    result = subprocess.run(command, env=_postgres_env(), capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def _sqlite_connection():
    connection.ensure_connection()
    return connection.connection


def backup(parent):
    """Write a new backup folder under parent and return its path."""
    folder = Path(parent) / timezone.now().strftime("%Y%m%d-%H%M%S-%f")
    folder.mkdir(parents=True)
    vendor = connection.vendor
    if vendor == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={folder / POSTGRES_DUMP}"])
    elif vendor == "sqlite":
        target = sqlite3.connect(folder / SQLITE_COPY)
        with target:
            _sqlite_connection().backup(target)  # consistent even while the site writes
        target.close()
    else:
        raise BackupError(f"Backups of {vendor} databases are not supported.")
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(folder / MEDIA_ARCHIVE, "w:gz") as archive:
        if media.is_dir():
            archive.add(media, arcname=".")
    manifest = {"database": vendor, "created_at": timezone.now().isoformat(), "media_root": str(media)}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2))
    return folder


def restore(folder):
    """Replace the database and the media with the contents of a backup folder."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"{folder} is not a backup made by `make backup`: {error}") from error
    vendor = connection.vendor
    if manifest["database"] != vendor:
        raise BackupError(f"The backup holds a {manifest['database']} database; this site uses {vendor}.")
    if vendor == "postgresql":
        connection.close()
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={settings.DATABASES['default']['NAME']}",
                str(folder / POSTGRES_DUMP),
            ]
        )
    else:
        source = sqlite3.connect(folder / SQLITE_COPY)
        source.backup(_sqlite_connection())
        source.close()
    media = Path(settings.MEDIA_ROOT)
    if media.is_dir():
        shutil.rmtree(media)
    media.mkdir(parents=True)
    with tarfile.open(folder / MEDIA_ARCHIVE, "r:gz") as archive:
        archive.extractall(media, filter="data")  # "data" refuses absolute paths and ../ escapes
