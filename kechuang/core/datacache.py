"""Derived data (region snapshots, memoised figures) in one store every server process shares.

Region-wide figures (dashboard, R&D snapshot) are expensive at province scale and change only
when data changes. `data_version()` is one index-only query (largest primary key and history id
of each source table), so any saved change — form, API, import, even a bare `save()` — yields a
new version and a recomputation on the next call, in every server process. Writes that bypass
both the ORM and the history tables (raw SQL, `QuerySet.update()`) are not seen: services never
do that. Inside a transaction the memo is bypassed, so uncommitted rows never leak.

Values live in Django's cache framework (`shared_cache()`: the database cache by default, Redis
when CACHE_URL says so; docs/deployment.md#province), with a small copy in each process for
the current version, so a repeated call costs the version query only and a process that has
not computed a value yet takes the one another process stored. `changed_values()` tells an
incremental refresh which rows changed since a stored version (history ids and primary keys
above the stored marks).

`migrate` (and the test database's flush, which sends the same signal) creates the cache table
and clears every stored value: ids restart after a flush, so an old version could repeat.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.db import connection

__all__ = [
    "SOURCE_MODELS",
    "changed_values",
    "clear_all",
    "data_version",
    "epoch",
    "memoised",
    "on_post_migrate",
    "register_local_state",
    "register_source_models",
    "shared_cache",
    "store_delete",
    "store_get",
    "store_set",
    "table_marks",
]

logger = logging.getLogger(__name__)

_LOCK = threading.Lock()
_MEMO: OrderedDict = OrderedDict()
_MAX_ENTRIES = 64
# Shared memo entries expire after a day: old versions are never read again.
MEMO_TIMEOUT = 24 * 3600
_EPOCH = [0]

# The tables derived figures are computed from, registered by the apps that own them from their
# AppConfig.ready() (docs/architecture.md#registries): core never imports a domain app.
SOURCE_MODELS: list = []
# Callables dropping a higher app's own per-process derived state (e.g. the R&D snapshot).
LOCAL_STATE_CLEARERS: list[Callable[[], None]] = []


def register_source_models(*models) -> None:
    """Add history-tracked models whose changes invalidate the memo (idempotent)."""
    for model in models:
        if model not in SOURCE_MODELS:
            SOURCE_MODELS.append(model)


def register_local_state(clear: Callable[[], None]) -> None:
    """Register a callable that drops per-process derived state on `clear_all()` (idempotent)."""
    if clear not in LOCAL_STATE_CLEARERS:
        LOCAL_STATE_CLEARERS.append(clear)


def shared_cache() -> BaseCache:
    """The cache all processes share (the alias KECHUANG_DATA_CACHE, default "default")."""
    return caches[getattr(settings, "KECHUANG_DATA_CACHE", "default")]


def store_get(key: str, default: Any = None) -> Any:
    """`shared_cache().get`, where an unreachable or busy store is a miss (it holds only
    values that can be computed again)."""
    try:
        return shared_cache().get(key, default)
    except Exception:  # the database cache's or Redis's errors alike
        logger.warning("derived-data store: reading %s failed", key, exc_info=True)
        return default


def store_set(key: str, value: Any, timeout: float | None = MEMO_TIMEOUT) -> None:
    """`shared_cache().set`; a failure leaves the value in this process only."""
    try:
        shared_cache().set(key, value, timeout)
    except Exception:
        logger.warning("derived-data store: writing %s failed", key, exc_info=True)


def store_delete(key: str) -> None:
    try:
        shared_cache().delete(key)
    except Exception:
        logger.warning("derived-data store: deleting %s failed", key, exc_info=True)


def epoch() -> int:
    """A counter `clear_all()` increases: per-process state keyed by it is dropped with it."""
    return _EPOCH[0]


def _database() -> tuple:
    return (connection.vendor, str(connection.settings_dict["NAME"]))


# The marks query of each tuple of models, per database vendor: `model.history` builds a
# history manager on every access, too slow to repeat on every request.
_MARKS_SQL: dict[tuple, str] = {}


def _marks_sql(models: tuple) -> str:
    key = (connection.vendor, *models)
    sql = _MARKS_SQL.get(key)
    if sql is None:
        q = connection.ops.quote_name
        parts = []
        for model in models:
            history_table = model.history.model._meta.db_table
            parts.append(f"(SELECT MAX({q('history_id')}) FROM {q(history_table)})")
            parts.append(f"(SELECT MAX({q(model._meta.pk.column)}) FROM {q(model._meta.db_table)})")
        sql = _MARKS_SQL[key] = "SELECT " + ", ".join(parts)
    return sql


def table_marks(models: Iterable) -> tuple:
    """(database, largest id, largest history id, …) of `models`, in one index-only query."""
    models = tuple(models)
    if not models:
        return _database()
    with connection.cursor() as cursor:
        cursor.execute(_marks_sql(models))
        return (*_database(), *(v or 0 for v in cursor.fetchone()))


def data_version() -> tuple:
    """One cheap query whose result changes whenever a source table changes."""
    return table_marks(SOURCE_MODELS)


def changed_values(model, column: str, history_mark: int, id_mark: int) -> set:
    """Values of `column` on rows of `model` saved or deleted since the marks of
    `table_marks`: history rows above `history_mark` and rows above `id_mark` (rows written
    without history, e.g. bulk inserts)."""
    q = connection.ops.quote_name
    table, history = model._meta.db_table, model.history.model._meta.db_table
    sql = (
        f"SELECT {q(column)} FROM {q(history)} WHERE {q('history_id')} > %s "
        f"UNION SELECT {q(column)} FROM {q(table)} WHERE {q(model._meta.pk.column)} > %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [history_mark, id_mark])
        return {row[0] for row in cursor.fetchall() if row[0] is not None}


def enabled() -> bool:
    return getattr(settings, "KECHUANG_DATA_MEMO", True) and not connection.in_atomic_block


def _shared_key(key: tuple) -> str:
    return "memo:" + hashlib.sha1(repr(key).encode()).hexdigest()


def _remember(key: tuple, value: Any) -> None:
    with _LOCK:
        _MEMO[key] = value
        _MEMO.move_to_end(key)
        while len(_MEMO) > _MAX_ENTRIES:
            _MEMO.popitem(last=False)


def memoised(name: str, compute: Callable[..., Any], *args: Any) -> Any:
    """`compute(*args)`, reused by every process while the data version is unchanged."""
    if not enabled():
        return compute(*args)
    key = (epoch(), name, args, data_version())
    with _LOCK:
        if key in _MEMO:
            _MEMO.move_to_end(key)
            return _MEMO[key]
    shared = _shared_key(key[1:])
    found = store_get(shared, _MISSING)
    if found is not _MISSING:
        _remember(key, found)
        return found
    value = compute(*args)
    try:
        pickle.dumps(value)
    except Exception:  # a value that cannot be shared stays in this process only
        logger.warning("memoised %s: value not picklable, kept in this process", name)
    else:
        store_set(shared, value, MEMO_TIMEOUT)
    _remember(key, value)
    return value


_MISSING = object()


def clear_all() -> None:
    """Drop every derived value: this process's copies and the shared store."""
    with _LOCK:
        _MEMO.clear()
        _EPOCH[0] += 1
    for clear in LOCAL_STATE_CLEARERS:
        clear()
    shared_cache().clear()


def on_post_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """After `migrate` (or a flush): create the database cache table, then clear the store."""
    from django.core.cache.backends.db import DatabaseCache
    from django.core.management import call_command

    if any(isinstance(caches[alias], DatabaseCache) for alias in settings.CACHES):
        call_command("createcachetable", database=using, verbosity=0)
    if using == "default":
        clear_all()
