"""Crash recovery: heartbeats, the stale-run sweeper, retry, a worker killed mid-commit (real
SIGKILL), concurrent commits, queued re-assessment, upload retention."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import IntegrityError, connection
from django.urls import reverse
from django.utils import timezone

from kechuang.core.roles import Role
from kechuang.enterprises.models import Enterprise
from kechuang.enterprises.tests.factories import make_credit_code, make_town, make_user
from kechuang.imports.models import ImportBatch, ImportStatus
from kechuang.imports.recovery import Heartbeat, purge_uploads, sweep_stale
from kechuang.imports.tests.test_import import ENT, enterprise_rows, workbook

WORKER = Path(__file__).with_name("crash_worker.py")
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def staff(client):
    user = make_user(Role.BUREAU_STAFF)
    client.force_login(user)
    return user


def _batch(status=ImportStatus.RUNNING, beat_age_s=None, **kw) -> ImportBatch:
    batch = ImportBatch.objects.create(entity="", file_name="a.xlsx", status=status, **kw)
    if beat_age_s is not None:
        ImportBatch.objects.filter(pk=batch.pk).update(
            heartbeat_at=timezone.now() - dt.timedelta(seconds=beat_age_s)
        )
    return batch


# ------------------------------------------------------------------ sweeper and heartbeat


@pytest.mark.django_db
def test_sweeper_marks_only_batches_without_a_recent_heartbeat(settings):
    settings.KECHUANG_STALE_AFTER_SECONDS = 300
    dead = _batch(beat_age_s=301)
    alive = _batch(beat_age_s=10)
    done = _batch(status=ImportStatus.COMMITTED, beat_age_s=10_000)
    assert sweep_stale()["imports"] == 1
    dead.refresh_from_db(), alive.refresh_from_db(), done.refresh_from_db()
    assert dead.status == ImportStatus.INTERRUPTED and dead.finished_at is not None
    assert alive.status == ImportStatus.RUNNING
    assert done.status == ImportStatus.COMMITTED


@pytest.mark.django_db
def test_sweeper_marks_dead_assessment_runs(settings):
    from kechuang.qualifications.models import AssessmentRun, RunStatus
    from kechuang.qualifications.selectors import ruleset_rows

    settings.KECHUANG_STALE_AFTER_SECONDS = 60
    rule_set = ruleset_rows()[0]
    run = AssessmentRun.objects.create(
        year=2024,
        evaluation_date=dt.date(2025, 1, 1),
        rule_set=rule_set,
        rule_set_version=rule_set.version,
        heartbeat_at=timezone.now() - dt.timedelta(minutes=5),
    )
    assert sweep_stale()["runs"] == 1
    run.refresh_from_db()
    assert run.status == RunStatus.INTERRUPTED and run.error


@pytest.mark.django_db
def test_heartbeat_keeps_writing_while_the_work_runs():
    batch = _batch(beat_age_s=1000)
    with Heartbeat(ImportBatch.objects.filter(pk=batch.pk), interval=3600):
        batch.refresh_from_db()
        assert timezone.now() - batch.heartbeat_at < dt.timedelta(seconds=5)


@pytest.mark.django_db
def test_interrupted_batch_shows_retry_and_retry_commits(
    client, staff, tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path / "media"
    town = make_town("浒山街道")
    path = workbook(
        tmp_path / "ok.xlsx", {ENT.sheet: enterprise_rows(town.name, [make_credit_code()])}
    )
    batch = _batch(status=ImportStatus.INTERRUPTED, dry_run=False)
    batch.file.save("ok.xlsx", ContentFile(path.read_bytes()))
    page = client.get(reverse("imports:import_detail", args=[batch.pk]))
    html = page.content.decode()
    assert "已中断" in html and "重试" in html and 'data-testid="retry"' in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:import_retry", args=[batch.pk]))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTED
    assert Enterprise.objects.count() == 1
    # A second retry (double click) does nothing.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:import_retry", args=[batch.pk]))
    assert Enterprise.objects.count() == 1


# ------------------------------------------------------------------ concurrent commits


@pytest.mark.django_db
def test_second_commit_of_one_check_gets_a_message_not_an_error(
    client, staff, tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path / "media"
    town = make_town("浒山街道")
    path = workbook(
        tmp_path / "ok.xlsx", {ENT.sheet: enterprise_rows(town.name, [make_credit_code()])}
    )
    check = _batch(status=ImportStatus.VALIDATED, dry_run=True)
    check.file.save("ok.xlsx", ContentFile(path.read_bytes()))
    url = reverse("imports:import_commit", args=[check.pk])
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url)
        second = client.post(url, follow=True)
    assert first.status_code == 302 and second.status_code == 200
    assert "该已校验文件正在导入" in second.content.decode()
    assert ImportBatch.objects.filter(dry_run=False).count() == 1
    assert Enterprise.objects.count() == 1


@pytest.mark.django_db
def test_a_collision_inside_the_commit_is_a_clear_message(monkeypatch, tmp_path, settings):
    from kechuang.imports import tasks

    settings.MEDIA_ROOT = tmp_path / "media"
    batch = _batch(status=ImportStatus.PENDING, dry_run=False, language="zh-hans")
    batch.file.save("x.xlsx", ContentFile(b"PK"))

    def collide(*args, **kwargs):
        raise IntegrityError("UNIQUE constraint failed: enterprises_enterprise.credit_code")

    monkeypatch.setattr(tasks, "import_file", collide)
    tasks.import_batch_run.call(batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED
    message = batch.errors[0]["message"]
    assert "UNIQUE" not in message and "IntegrityError" not in message
    assert "同时" in message


# ------------------------------------------------------------------ assessment re-run


@pytest.mark.django_db
def test_rerun_from_a_page_is_queued_not_run_in_the_request(client, monkeypatch):
    from kechuang.qualifications import views
    from kechuang.qualifications.models import AssessmentRun

    user = make_user(Role.BUREAU_STAFF)
    client.force_login(user)
    queued = []

    class FakeTask:
        def enqueue(self, **kwargs):
            queued.append(kwargs)

    monkeypatch.setattr(views, "assess_year", FakeTask())
    monkeypatch.setattr(views, "available_assessment_years", lambda: [2024])
    response = client.post(reverse("qualifications:assessment_rerun"), {"year": "2024"})
    assert response.status_code == 302
    assert queued == [{"year": 2024, "force": True, "user_id": user.pk}]
    assert not AssessmentRun.objects.exists()  # nothing was assessed inside the request


# ------------------------------------------------------------------ retention


@pytest.mark.django_db
def test_uploaded_files_are_removed_after_the_retention_period(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.KECHUANG_UPLOAD_RETENTION_DAYS = 30
    old = _batch(status=ImportStatus.COMMITTED)
    old.file.save("old.xlsx", ContentFile(b"x"))
    new = _batch(status=ImportStatus.COMMITTED)
    new.file.save("new.xlsx", ContentFile(b"y"))
    ImportBatch.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=31))
    old_path, new_path = Path(old.file.path), Path(new.file.path)
    assert purge_uploads() == 1
    assert not old_path.exists() and new_path.exists()
    old.refresh_from_db()
    assert old.file_removed_at is not None and old.status == ImportStatus.COMMITTED
    call_command("sweep")  # the command runs the same (nothing more to remove)
    assert new_path.exists()


# ------------------------------------------------------------------ a worker killed mid-commit


def _run(mode: str, *args, env) -> str:
    out = subprocess.run(
        [sys.executable, str(WORKER), mode, *map(str, args)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return out.stdout.strip().splitlines()[-1]


def _database_url(tmp_path) -> str:
    """A database the child processes share: a file copy of the SQLite test database (its
    schema), or the PostgreSQL test database itself (the test is transactional)."""
    if connection.vendor == "sqlite":
        target = tmp_path / "crash.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        return f"sqlite:///{target}"
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_commit_leaves_nothing_and_the_batch_recovers(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(tmp_path),
        "KECHUANG_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }
    batch_id = int(_run("setup", tmp_path, env=env))
    worker = subprocess.Popen(
        [sys.executable, str(WORKER), "work", str(batch_id), str(tmp_path)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 240
        while not (tmp_path / "inside-commit").exists():
            assert worker.poll() is None, worker.stderr.read().decode()[-3000:]
            assert time.monotonic() < deadline, "the worker never reached the commit"
            time.sleep(0.2)
        os.kill(worker.pid, signal.SIGKILL)  # mid-commit: enterprises inserted, figures not
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    assert worker.returncode == -signal.SIGKILL
    after_kill = json.loads(_run("count", batch_id, env=env))
    assert after_kill == {
        "status": "running",
        "enterprises": 0,
        "figures": 0,
        "enterprise_history": 0,
    }  # all or nothing: the inserted enterprises were rolled back
    recovered = json.loads(_run("recover", batch_id, env=env))
    assert recovered["after_sweep"] == "interrupted" and recovered["retried"] is True
    assert recovered["status"] == "committed"
    assert recovered["enterprises"] == 40 and recovered["figures"] == 40
    assert recovered["enterprise_history"] == 40


@pytest.mark.django_db
def test_an_interrupted_assessment_shows_retry_on_the_ladder(client, settings):
    from kechuang.qualifications.models import AssessmentRun, RunStatus
    from kechuang.qualifications.selectors import available_assessment_years, ruleset_rows

    client.force_login(make_user(Role.BUREAU_STAFF))
    from kechuang.enterprises.tests.factories import make_annual_figure

    make_annual_figure(year=2024)
    rule_set = ruleset_rows()[0]
    year = max(available_assessment_years())
    AssessmentRun.objects.create(
        year=year,
        evaluation_date=dt.date(year + 1, 1, 1),
        rule_set=rule_set,
        rule_set_version=rule_set.version,
        status=RunStatus.INTERRUPTED,
    )
    html = client.get(reverse("qualifications:ladder"), {"year": year}).content.decode()
    assert 'data-testid="run-interrupted"' in html
    assert "已中断" in html and "重试" in html
