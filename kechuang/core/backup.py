"""Backups: one archive holding a consistent copy of the database and the uploaded files.

SQLite is copied with its online backup API (a consistent snapshot while the app runs; a plain
file copy can miss pages still in the write-ahead log). PostgreSQL is dumped with `pg_dump`
in its custom format and restored with `pg_restore`. The archive's manifest records every
table's row count; a restore checks them and fails loudly on any difference.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connections

__all__ = [
    "BackupError",
    "RestoreSummary",
    "backup_create",
    "backup_restore",
    "raw_table_counts",
    "table_counts",
]

MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
PG_MEMBER = "database.pgdump"
MEDIA_MEMBER = "media"
FORMAT_VERSION = 1


class BackupError(Exception):
    """A backup or restore could not be completed; nothing was changed."""


@dataclass(frozen=True)
class RestoreSummary:
    tables: int
    rows: int
    media_files: int


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _is_sqlite(alias: str = "default") -> bool:
    return connections[alias].vendor == "sqlite"


def _pg_env(db: dict) -> tuple[list[str], dict[str, str]]:
    """Connection arguments and environment for pg_dump/pg_restore from Django's settings."""
    args = []
    if db.get("HOST"):
        args += ["-h", str(db["HOST"])]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    if db.get("USER"):
        args += ["-U", str(db["USER"])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run(cmd: list[str], env: dict[str, str]) -> None:
    try:
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError as exc:
        raise BackupError(f"{cmd[0]} is not installed (Debian: postgresql-client).") from exc
    if done.returncode != 0:
        raise BackupError(f"{cmd[0]} failed: {done.stderr.strip()[:2000]}")


def table_counts(alias: str = "default") -> dict[str, int]:
    """Row count of every table of the database (Django's and everything else in it)."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        names = sorted(connection.introspection.table_names(cursor))
        counts = {}
        for name in names:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(name)}")
            counts[name] = cursor.fetchone()[0]
    return counts


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


# ---------------------------------------------------------------------------------------------
# Backup
# ---------------------------------------------------------------------------------------------


def backup_create(output: Path, *, alias: str = "default") -> dict:
    """Write a backup archive (tar.gz) of the database and MEDIA_ROOT; returns its manifest."""
    output = Path(output)
    connection = connections[alias]
    db = connection.settings_dict
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        connection.ensure_connection()
        if _is_sqlite(alias):
            target = sqlite3.connect(tmpdir / SQLITE_MEMBER)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
            member = SQLITE_MEMBER
        else:
            args, env = _pg_env(db)
            _run(
                [
                    "pg_dump",
                    *args,
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    "--file",
                    str(tmpdir / PG_MEMBER),
                    str(db["NAME"]),
                ],
                env,
            )
            member = PG_MEMBER
        manifest = {
            "format": FORMAT_VERSION,
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "engine": connection.vendor,
            "database": member,
            "tables": table_counts(alias),
            "media_files": 0,
        }
        media = _media_root()
        files = [p for p in media.rglob("*") if p.is_file()] if media.exists() else []
        manifest["media_files"] = len(files)
        (tmpdir / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
        output.parent.mkdir(parents=True, exist_ok=True)
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(tmpdir / MANIFEST, arcname=MANIFEST)
            tar.add(tmpdir / member, arcname=member)
            for path in files:
                tar.add(path, arcname=f"{MEDIA_MEMBER}/{path.relative_to(media).as_posix()}")
        partial.replace(output)
        output.chmod(0o600)
    return manifest


# ---------------------------------------------------------------------------------------------
# Restore
# ---------------------------------------------------------------------------------------------


def _safe_members(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    """Only regular files under known names; no absolute paths, links or '..'."""
    members = []
    for info in tar.getmembers():
        name = info.name
        if info.isdir():
            continue
        if not info.isfile() or name.startswith("/") or ".." in Path(name).parts:
            raise BackupError(f"Unexpected member in archive: {name}")
        if name not in (MANIFEST, SQLITE_MEMBER, PG_MEMBER) and not name.startswith(
            MEDIA_MEMBER + "/"
        ):
            raise BackupError(f"Unexpected member in archive: {name}")
        members.append(info)
    return members


def _raw_connect(db: dict):
    """A plain DB-API connection to the database described by a Django settings dict."""
    if db["ENGINE"].endswith("sqlite3"):
        name = str(db["NAME"])
        return sqlite3.connect(name, uri=name.startswith("file:"))
    import psycopg

    return psycopg.connect(
        dbname=str(db["NAME"]),
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        autocommit=True,
    )


def raw_table_counts(db: dict) -> dict[str, int]:
    """Row count of every table of the database described by `db` (settings dict)."""
    conn = _raw_connect(db)
    try:
        cursor = conn.cursor()
        if db["ENGINE"].endswith("sqlite3"):
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        else:
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        names = sorted(r[0] for r in cursor.fetchall())
        counts = {}
        for name in names:
            cursor.execute('SELECT COUNT(*) FROM "{}"'.format(name.replace('"', '""')))
            counts[name] = cursor.fetchone()[0]
        return counts
    finally:
        conn.close()


def backup_restore(
    archive: Path, *, db: dict | None = None, alias: str = "default", force: bool = False
) -> RestoreSummary:
    """Restore an archive into a database (the configured one unless `db`, a settings dict),
    which must hold no rows unless `force`. Every table's row count is compared with the
    manifest afterwards.
    """
    if db is None:
        connections[alias].close()
        db = connections[alias].settings_dict
    engine = "sqlite" if db["ENGINE"].endswith("sqlite3") else "postgresql"
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(archive, "r:gz") as tar:
        tmpdir = Path(tmp)
        members = _safe_members(tar)
        tar.extractall(tmpdir, members=members, filter="data")
        try:
            manifest = json.loads((tmpdir / MANIFEST).read_text())
        except (OSError, ValueError) as exc:
            raise BackupError("The archive has no readable manifest.") from exc
        if manifest.get("engine") != engine:
            raise BackupError(
                f"The archive holds a {manifest.get('engine')} database; the target is {engine}."
            )
        existing = {t: n for t, n in raw_table_counts(db).items() if n}
        if existing and not force:
            raise BackupError(
                "The target database is not empty "
                f"({len(existing)} tables hold rows); restore into an empty database or use --force."
            )
        if engine == "sqlite":
            source = sqlite3.connect(tmpdir / SQLITE_MEMBER)
            target = _raw_connect(db)
            try:
                source.backup(target)
            finally:
                source.close()
                target.close()
        else:
            args, env = _pg_env(db)
            _run(
                [
                    "pg_restore",
                    *args,
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--no-privileges",
                    "--single-transaction",
                    "--dbname",
                    str(db["NAME"]),
                    str(tmpdir / PG_MEMBER),
                ],
                env,
            )
        restored = raw_table_counts(db)
        expected = manifest["tables"]
        wrong = {t: (n, restored.get(t)) for t, n in expected.items() if restored.get(t) != n}
        if wrong:
            raise BackupError(f"Row counts differ after restore: {wrong}")
        media_src = tmpdir / MEDIA_MEMBER
        media_files = 0
        if media_src.exists():
            media = _media_root()
            for path in media_src.rglob("*"):
                if path.is_file():
                    dest = media / path.relative_to(media_src)
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(path, dest)
                    media_files += 1
    return RestoreSummary(
        tables=len(expected), rows=sum(expected.values()), media_files=media_files
    )
