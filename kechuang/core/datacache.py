"""In-process memo of derived figures, keyed by a cheap fingerprint of the source tables.

Region-wide figures (dashboard, R&D snapshot) are expensive at province scale and change only
when data changes. `data_version()` is one index-only query (largest primary key and history id
of each source table), so any saved change — form, API, import, even a bare `save()` — yields a
new version and a recomputation on the next call, in every server process. Writes that bypass
both the ORM and the history tables (raw SQL, `QuerySet.update()`) are not seen: services never
do that. Inside a transaction the memo is bypassed, so uncommitted rows never leak.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from django.conf import settings
from django.db import connection

__all__ = ["SOURCE_MODELS", "data_version", "memoised", "register_source_models"]

_LOCK = threading.Lock()
_MEMO: OrderedDict = OrderedDict()
_MAX_ENTRIES = 64


# The tables derived figures are computed from, registered by the apps that own them from their
# AppConfig.ready() (docs/architecture.md#registries): core never imports a domain app.
SOURCE_MODELS: list = []


def register_source_models(*models) -> None:
    """Add history-tracked models whose changes invalidate the memo (idempotent)."""
    for model in models:
        if model not in SOURCE_MODELS:
            SOURCE_MODELS.append(model)


def _source_models() -> tuple:
    return tuple(SOURCE_MODELS)


def data_version() -> tuple:
    """One cheap query whose result changes whenever a source table changes."""
    q = connection.ops.quote_name
    parts = []
    for model in _source_models():
        parts.append(
            f"(SELECT MAX({q('history_id')}) FROM {q(model.history.model._meta.db_table)})"
        )
        parts.append(f"(SELECT MAX({q('id')}) FROM {q(model._meta.db_table)})")
    if not parts:
        return (connection.alias, connection.settings_dict["NAME"])
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        return (connection.alias, connection.settings_dict["NAME"], *cursor.fetchone())


def enabled() -> bool:
    return getattr(settings, "KECHUANG_DATA_MEMO", True) and not connection.in_atomic_block


def memoised(name: str, compute, *args):
    """`compute(*args)`, reused while the data version is unchanged."""
    if not enabled():
        return compute(*args)
    key = (name, args, data_version())
    with _LOCK:
        if key in _MEMO:
            _MEMO.move_to_end(key)
            return _MEMO[key]
    value = compute(*args)
    with _LOCK:
        _MEMO[key] = value
        while len(_MEMO) > _MAX_ENTRIES:
            _MEMO.popitem(last=False)
    return value
