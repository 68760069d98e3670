"""Crash recovery of background work: heartbeats, the stale-run sweeper, retries, upload retention.

An import batch or assessment run that is "running" writes a heartbeat every
``KECHUANG_HEARTBEAT_SECONDS`` (15) from a helper thread. If its worker dies (killed, out of
memory, server restart) the heartbeat stops; after ``KECHUANG_STALE_AFTER_SECONDS`` (300) the
sweeper marks it *interrupted*. Its writes were all inside one transaction, so nothing of it was
kept; the page then offers "retry", which queues the same work again.

The sweeper runs when a background task starts (so a restarted worker first cleans up after the
dead one), when the import pages are opened, and from ``kechuang sweep`` (which also removes
uploaded files older than ``KECHUANG_UPLOAD_RETENTION_DAYS``, 90).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from .models import ImportBatch, ImportStatus

__all__ = [
    "BATCH_RUNNERS",
    "Heartbeat",
    "STALE_SWEEPERS",
    "enqueue_batch_run",
    "import_batch_retry",
    "stale_rows",
    "purge_uploads",
    "sweep",
    "sweep_stale",
]

log = logging.getLogger(__name__)
_last_sweep = 0.0

# Registries filled from AppConfig.ready() (docs/architecture.md#registries):
# `batch_id -> None` queues the background run of a stored batch (imports.tasks: tasks import
# services and this module, never the reverse, docs/architecture.md#services-and-tasks);
# `(cutoff, message) -> {name: n}` marks the stale running work of a higher app interrupted
# (the qualification engine's assessment runs).
BATCH_RUNNERS: list[Callable[[int], None]] = []
STALE_SWEEPERS: list[Callable[[dt.datetime, str], dict[str, int]]] = []


def enqueue_batch_run(batch_id: int) -> None:
    """Queue the background run of batch `batch_id` (call it inside `transaction.on_commit`)."""
    for run in BATCH_RUNNERS:
        run(batch_id)


def heartbeat_seconds() -> float:
    return float(getattr(settings, "KECHUANG_HEARTBEAT_SECONDS", 15))


def stale_after() -> dt.timedelta:
    return dt.timedelta(seconds=float(getattr(settings, "KECHUANG_STALE_AFTER_SECONDS", 300)))


def retention_days() -> int:
    return int(getattr(settings, "KECHUANG_UPLOAD_RETENTION_DAYS", 90))


# ------------------------------------------------------------------ heartbeat


class Heartbeat:
    """``with Heartbeat(queryset):`` keeps ``heartbeat_at`` of the running row(s) fresh.

    The beat is written from a separate thread (its own database connection), so it continues
    while the main thread is busy in a long transaction. On SQLite that write waits for the
    transaction; the stale limit is far longer than any single import transaction.
    """

    def __init__(self, queryset, interval: float | None = None):
        self.queryset = queryset
        self.interval = heartbeat_seconds() if interval is None else interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def beat(self) -> None:
        self.queryset.update(heartbeat_at=timezone.now())

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.interval):
                try:
                    self.beat()
                except DatabaseError:  # busy database: the next beat will do
                    log.warning("heartbeat not written", exc_info=True)
        finally:
            connection.close()  # this thread's own connection

    def __enter__(self) -> Heartbeat:
        self.beat()
        self._thread = threading.Thread(target=self._run, name="kechuang-heartbeat", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.interval + 5)


# ------------------------------------------------------------------ sweeper


def interrupted_message() -> str:
    return _(
        "The work stopped before it finished (the server or its background worker was "
        "restarted). Nothing of it was written. Retry to run it again."
    )


def stale_rows(qs, cutoff: dt.datetime):
    """The rows of `qs` whose heartbeat (or, never beaten, creation) is older than `cutoff`."""
    return qs.filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff)
    )


def sweep_stale(now: dt.datetime | None = None) -> dict[str, int]:
    """Mark running import batches and assessment runs without a recent heartbeat interrupted.

    Reads first and writes only when something is stale (a page load never waits for a
    database write lock). Returns {"imports": n, "runs": n}.
    """
    now = now or timezone.now()
    cutoff = now - stale_after()
    with override(getattr(settings, "LANGUAGE_CODE", "zh-hans")):
        message = interrupted_message()
    counts = {"imports": 0}
    batches = stale_rows(ImportBatch.objects.filter(status=ImportStatus.RUNNING), cutoff)
    if batches.exists():
        counts["imports"] = batches.update(
            status=ImportStatus.INTERRUPTED,
            finished_at=now,
            errors=[{"sheet": "", "row": None, "column": "", "value": None, "message": message}],
        )
    for sweeper in STALE_SWEEPERS:
        counts.update(sweeper(cutoff, message))
    if any(counts.values()):
        log.warning("marked interrupted: %s", counts)
    return counts


def sweep_stale_quietly(min_interval: float = 30.0) -> None:
    """``sweep_stale`` at most every ``min_interval`` seconds per process, never raising
    (for page loads and task starts)."""
    global _last_sweep
    if time.monotonic() - _last_sweep < min_interval:
        return
    _last_sweep = time.monotonic()
    try:
        sweep_stale()
    except DatabaseError:
        log.warning("stale-run sweep skipped", exc_info=True)


def on_task_started(sender=None, **kwargs) -> None:
    """``django_tasks.signals.task_started`` handler: a (re)started worker sweeps first."""
    sweep_stale_quietly()


# ------------------------------------------------------------------ retry


def import_batch_retry(batch: ImportBatch, *, user=None) -> bool:
    """Queue an interrupted batch again (the same file, dry run or commit); False if it is not
    interrupted any more (someone else retried it) or its file is gone."""
    if not batch.file or batch.file_removed_at is not None:
        return False
    claimed = ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.INTERRUPTED).update(
        status=ImportStatus.PENDING,
        progress=0,
        errors=[],
        summary={},
        finished_at=None,
        heartbeat_at=None,
    )
    if not claimed:
        return False
    log.info("import batch %s retried by %s", batch.pk, getattr(user, "pk", None))
    transaction.on_commit(lambda: enqueue_batch_run(batch.pk))
    return True


# ------------------------------------------------------------------ retention


def purge_uploads(now: dt.datetime | None = None, days: int | None = None) -> int:
    """Delete stored upload files of finished batches older than the retention period.

    The batch records (who imported what, when, with which outcome) stay; only the file goes,
    and ``file_removed_at`` says when. Returns the number of files removed.
    """
    now = now or timezone.now()
    days = retention_days() if days is None else days
    cutoff = now - dt.timedelta(days=days)
    old = (
        ImportBatch.objects.filter(created_at__lt=cutoff, file_removed_at__isnull=True)
        .exclude(file="")
        .exclude(status__in=[ImportStatus.PENDING, ImportStatus.RUNNING])
    )
    names = set(old.values_list("file", flat=True))
    # A file shared by a check and its commit goes only when every batch using it is old.
    in_use = set(
        ImportBatch.objects.filter(file__in=names)
        .filter(
            Q(created_at__gte=cutoff) | Q(status__in=[ImportStatus.PENDING, ImportStatus.RUNNING])
        )
        .values_list("file", flat=True)
    )
    removed = 0
    storage = ImportBatch._meta.get_field("file").storage
    for name in sorted(names - in_use):
        try:
            if storage.exists(name):
                storage.delete(name)
                removed += 1
        except OSError:
            log.warning("could not remove %s", name, exc_info=True)
            continue
    ImportBatch.objects.filter(file__in=names - in_use, file_removed_at__isnull=True).update(
        file_removed_at=now
    )
    return removed


def sweep(now: dt.datetime | None = None) -> dict[str, int]:
    """Everything ``kechuang sweep`` does: interrupted runs and expired upload files."""
    counts = sweep_stale(now)
    counts["files"] = purge_uploads(now)
    return counts
