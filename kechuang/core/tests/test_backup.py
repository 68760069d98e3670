"""Backup and restore round trip: every table of the restored database equals the original."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection

from kechuang.core.backup import (
    BackupError,
    _raw_connect,
    backup_create,
    backup_restore,
    raw_table_counts,
)
from kechuang.enterprises.tests.factories import make_annual_figure, make_enterprise, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def _rows(db: dict, table: str) -> list[tuple]:
    conn = _raw_connect(db)
    try:
        cursor = conn.cursor()
        cursor.execute(f'SELECT * FROM "{table}"')
        return sorted((tuple(r) for r in cursor.fetchall()), key=repr)
    finally:
        conn.close()


@pytest.fixture
def empty_target(tmp_path):
    """An empty database of the same engine as the test database, dropped afterwards."""
    source = dict(connection.settings_dict)
    if connection.vendor == "sqlite":
        yield {**source, "NAME": str(tmp_path / "restored.sqlite3")}
        return
    name = f"kc_restore_{uuid.uuid4().hex[:10]}"
    admin = _raw_connect({**source, "NAME": "postgres"})
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {**source, "NAME": name}
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture
def data(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    (tmp_path / "media" / "imports").mkdir(parents=True)
    (tmp_path / "media" / "imports" / "名单.xlsx").write_bytes(b"PK\x03\x04 uploaded bytes")
    enterprise = make_enterprise(name="慈溪备份测试有限公司")
    make_annual_figure(enterprise, year=2023, rd_expense_stat=Decimal("1234567.89"))
    make_annual_figure(enterprise, year=2024)
    make_user("bureau_staff", username="backup-staff")
    return enterprise


def test_round_trip_restores_every_table_and_file(data, tmp_path, empty_target, settings):
    archive = tmp_path / "backup.tar.gz"
    manifest = backup_create(archive)
    assert manifest["tables"]["enterprises_enterprise"] >= 1

    # Restore into an empty database; the uploaded files go to a fresh media folder.
    settings.MEDIA_ROOT = str(tmp_path / "media-restored")
    summary = backup_restore(archive, db=empty_target)

    source = connection.settings_dict
    source_counts = raw_table_counts(source)
    assert raw_table_counts(empty_target) == source_counts
    assert summary.rows == sum(source_counts.values()) and summary.rows > 0
    for table, count in source_counts.items():
        if count:
            assert _rows(empty_target, table) == _rows(source, table), table
    restored_file = tmp_path / "media-restored" / "imports" / "名单.xlsx"
    assert restored_file.read_bytes() == b"PK\x03\x04 uploaded bytes"
    assert summary.media_files == 1


def test_restore_refuses_a_database_that_holds_rows(data, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    backup_create(archive)
    with pytest.raises(BackupError, match="not empty"):
        backup_restore(archive, db=dict(connection.settings_dict))


def test_restore_refuses_unsafe_archive_members(tmp_path, empty_target):
    import io
    import tarfile

    archive = tmp_path / "evil.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        info = tarfile.TarInfo("../outside.txt")
        info.size = 3
        tar.addfile(info, io.BytesIO(b"bad"))
    with pytest.raises(BackupError, match="Unexpected member"):
        backup_restore(archive, db=empty_target)


def test_backup_command_writes_an_archive(data, tmp_path):
    out = tmp_path / "cmd.tar.gz"
    call_command("backup", output=str(out))
    assert out.exists() and out.stat().st_size > 0
