"""Background workers: who is alive, and the tasks a lost worker left running.

docs/deployment.md#task-workers. The django-tasks database backend claims a task by locking
its row (`SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL; an exclusive transaction on SQLite,
whose single writer serialises the claims) and marking it running under the worker's id, so two
workers never take one task. It never looks at a running task again: a worker killed in the
middle (OOM, kill -9, a lost machine) would leave its task running forever. `kechuang worker`
therefore marks itself alive, and `recover_lost_tasks()` — run by every worker when it starts
and every RECOVER_SECONDS — puts the task of a worker that is gone back in the queue (at most
MAX_ATTEMPTS runs; then it is failed with `WorkerLost`).

Alive means, on PostgreSQL, that the worker's session still holds its advisory lock (released
by the server the moment the worker's connection dies, on any machine); on SQLite (one machine
by definition) that the worker's process still exists.
"""

from __future__ import annotations

import logging
import os
import socket
import zlib
from typing import Any

from django.db import connection, connections, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string

__all__ = [
    "MAX_ATTEMPTS",
    "RECOVER_SECONDS",
    "Liveness",
    "WorkerLost",
    "is_alive",
    "new_worker_id",
    "recover_lost_tasks",
]

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
RECOVER_SECONDS = 60
# The first key of the two-key advisory locks Kechuang's workers hold ("KC").
LOCK_NAMESPACE = 0x4B43


class WorkerLost(Exception):
    """The worker running the task stopped before finishing it, MAX_ATTEMPTS times."""


def new_worker_id() -> str:
    """host:pid:random — the host and process let a worker on the same machine be checked."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{get_random_string(8)}"


def _lock_key(worker_id: str) -> int:
    return zlib.crc32(worker_id.encode()) - 2**31  # a signed 32-bit key


class Liveness:
    """Holds the worker's advisory lock on a connection of its own (PostgreSQL) for as long as
    the worker runs; on SQLite the process itself is the mark."""

    def __init__(self, worker_id: str, using: str = "default") -> None:
        self.worker_id = worker_id
        self.using = using
        self._raw: Any = None

    def hold(self) -> None:
        wrapper = connections[self.using]
        if wrapper.vendor != "postgresql":
            return
        self._raw = wrapper.get_new_connection(wrapper.get_connection_params())
        self._raw.autocommit = True
        with self._raw.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_lock(%s, %s)", [LOCK_NAMESPACE, _lock_key(self.worker_id)]
            )

    def release(self) -> None:
        if self._raw is not None:
            # Unlocked explicitly: the server drops a closed session's locks only once its
            # backend process has exited, a moment after the client has gone.
            import psycopg

            try:
                with self._raw.cursor() as cursor:
                    cursor.execute(
                        "SELECT pg_advisory_unlock(%s, %s)",
                        [LOCK_NAMESPACE, _lock_key(self.worker_id)],
                    )
            except psycopg.Error:
                pass  # the session is already gone, and its lock with it
            finally:
                self._raw.close()
                self._raw = None


def is_alive(worker_id: str) -> bool:
    """Whether the worker `worker_id` still runs (unknown workers count as alive)."""
    if connection.vendor == "postgresql":
        key = [LOCK_NAMESPACE, _lock_key(worker_id)]
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", key)
            free = cursor.fetchone()[0]
            if free:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", key)
        return not free
    host, _sep, rest = worker_id.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname()[:40] or not pid.isdigit():
        return True  # another machine or a worker id of another form: leave it alone
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover_lost_tasks(max_attempts: int = MAX_ATTEMPTS) -> dict[str, int]:
    """Requeue (or, after `max_attempts` runs, fail) the running tasks of workers that are gone.

    Returns {"requeued": n, "failed": m}. Safe to run in several workers at once: each task row
    is locked while it is looked at, and a row another worker holds is skipped.
    """
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    done = {"requeued": 0, "failed": 0}
    running = list(
        DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).values_list("id", "worker_ids")
    )
    for task_id, worker_ids in running:
        if worker_ids and is_alive(worker_ids[-1]):
            continue
        with transaction.atomic():
            row = (
                DBTaskResult.objects.select_for_update(skip_locked=True)
                .filter(id=task_id, status=TaskResultStatus.RUNNING)
                .first()
            )
            if row is None:
                continue
            if len(row.worker_ids) >= max_attempts:
                row.status = TaskResultStatus.FAILED
                row.finished_at = timezone.now()
                row.exception_class_path = f"{WorkerLost.__module__}.{WorkerLost.__qualname__}"
                row.traceback = (
                    f"WorkerLost: the task's worker stopped before it finished, "
                    f"{len(row.worker_ids)} times ({', '.join(row.worker_ids)})\n"
                )
                row.save(
                    update_fields=["status", "finished_at", "exception_class_path", "traceback"]
                )
                done["failed"] += 1
                logger.warning(
                    "task %s failed: its worker was lost %d times", row.id, len(row.worker_ids)
                )
            else:
                row.status = TaskResultStatus.READY
                row.started_at = None
                row.save(update_fields=["status", "started_at"])
                done["requeued"] += 1
                logger.warning("task %s requeued: worker %s is gone", row.id, row.worker_ids[-1])
    return done
