"""Background workers: two workers never run one task twice; a lost worker's task runs again.

The workers are django-tasks' database workers in two threads, each with its own database
connection (PostgreSQL: row locks with SKIP LOCKED; SQLite: exclusive transactions, one writer
at a time — docs/deployment.md#task-workers). A "killed" worker is a worker id whose liveness
mark is gone: its advisory lock's session closed (PostgreSQL) or its process killed (SQLite).
"""

from __future__ import annotations

import sqlite3
import subprocess
import threading
import time

import pytest
from django.db import connection
from django_tasks import task
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from kechuang.core import workers

pytestmark = pytest.mark.django_db(transaction=True)

RUNS: list[int] = []
_RUNS_LOCK = threading.Lock()


@task()
def record(n: int) -> int:
    with _RUNS_LOCK:
        RUNS.append(n)
    return n


@pytest.fixture
def db_tasks(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
        "db": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    }
    RUNS.clear()
    return record.using(backend="db")


def _run_worker(worker_id: str) -> None:
    try:
        Worker(
            queue_names=["default"],
            interval=0,
            batch=True,
            backend_name="db",
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        ).run()
    finally:
        connection.close()


@pytest.fixture(autouse=True)
def sqlite_waits_for_the_writer(monkeypatch):
    """SQLite's test database is an in-memory one shared between threads, where a statement
    meeting another connection's lock fails at once ("table is locked") instead of waiting
    out the busy timeout, as it does on the file a deployment uses. Waiting is restored here:
    a locked statement is tried again once the other thread has run."""
    if connection.vendor != "sqlite":
        return
    from django.db.backends.sqlite3.base import SQLiteCursorWrapper

    def waiting(method):
        def run(self, *args, **kwargs):
            for _attempt in range(100_000):
                try:
                    return method(self, *args, **kwargs)
                except sqlite3.OperationalError as exc:
                    if "locked" not in str(exc):
                        raise
                    time.sleep(0)  # let the writer finish
            return method(self, *args, **kwargs)

        return run

    from django.db.backends.sqlite3.base import DatabaseWrapper

    monkeypatch.setattr(SQLiteCursorWrapper, "execute", waiting(SQLiteCursorWrapper.execute))
    # Opening a connection runs statements of its own ("database schema is locked" otherwise).
    monkeypatch.setattr(
        DatabaseWrapper, "get_new_connection", waiting(DatabaseWrapper.get_new_connection)
    )


def _run_two_workers() -> None:
    threads = [threading.Thread(target=_run_worker, args=(f"w{i}",)) for i in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)


def test_two_workers_never_run_one_task_twice(db_tasks):
    for n in range(40):
        db_tasks.enqueue(n)
    _run_two_workers()
    assert sorted(RUNS) == list(range(40))  # each task ran exactly once
    rows = list(DBTaskResult.objects.values_list("status", "worker_ids"))
    assert all(status == TaskResultStatus.SUCCESSFUL for status, _ in rows)
    assert all(len(ids) == 1 for _, ids in rows)  # claimed once


class _Worker:
    """A worker id with a liveness mark that can be killed."""

    def __init__(self) -> None:
        if connection.vendor == "postgresql":
            self.id = workers.new_worker_id()
            self.liveness = workers.Liveness(self.id)
            self.liveness.hold()
            self.process = None
        else:
            self.process = subprocess.Popen(["sleep", "60"])
            self.id = f"{workers.socket.gethostname()[:40]}:{self.process.pid}:test"

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            return
        # The worker's session dies as in a crash: its backend is terminated, and the server
        # drops the lock once the backend has exited, a moment later.
        key = workers._lock_key(self.id) & 0xFFFFFFFF  # pg_locks shows the key as an oid
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory'"
                " AND classid = %s AND objid = %s AND objsubid = 2",
                [workers.LOCK_NAMESPACE, key],
            )
            assert cursor.fetchone() == (True,)
        deadline = time.monotonic() + 30
        while workers.is_alive(self.id) and time.monotonic() < deadline:
            time.sleep(0.05)

    def stop(self) -> None:
        """A worker that shuts down in order."""
        if self.process is not None:
            self.kill()
        else:
            self.liveness.release()


def _claimed_by(result, worker: _Worker) -> None:
    row = DBTaskResult.objects.get(id=result.id)
    row.claim(worker.id)


def test_a_killed_workers_task_is_run_again(db_tasks):
    lost, busy = _Worker(), _Worker()
    try:
        first, second = db_tasks.enqueue(1), db_tasks.enqueue(2)
        _claimed_by(first, lost)
        _claimed_by(second, busy)
        lost.kill()
        assert workers.is_alive(busy.id) and not workers.is_alive(lost.id)
        assert workers.recover_lost_tasks() == {"requeued": 1, "failed": 0}
        _run_two_workers()
        assert RUNS == [1]  # the busy worker's task is left to it
        row = DBTaskResult.objects.get(id=first.id)
        assert row.status == TaskResultStatus.SUCCESSFUL
        assert row.worker_ids[0] == lost.id and len(row.worker_ids) == 2
        assert DBTaskResult.objects.get(id=second.id).status == TaskResultStatus.RUNNING
    finally:
        busy.stop()
    assert workers.recover_lost_tasks() == {"requeued": 1, "failed": 0}


def test_a_task_that_keeps_losing_its_worker_fails(db_tasks):
    result = db_tasks.enqueue(3)
    for _attempt in range(workers.MAX_ATTEMPTS):
        worker = _Worker()
        _claimed_by(result, worker)
        worker.kill()
        workers.recover_lost_tasks()
    row = DBTaskResult.objects.get(id=result.id)
    assert row.status == TaskResultStatus.FAILED
    assert row.exception_class_path == "kechuang.core.workers.WorkerLost"
    assert RUNS == []
