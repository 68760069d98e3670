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

__all__ = ["data_version", "memoised"]

_LOCK = threading.Lock()
_MEMO: OrderedDict = OrderedDict()
_MAX_ENTRIES = 64


def _source_models():
    from kechuang.enterprises.models import (
        AnnualFigure,
        Enterprise,
        IntellectualProperty,
        Qualification,
    )
    from kechuang.platforms.models import RDInstitution

    return (AnnualFigure, Enterprise, Qualification, IntellectualProperty, RDInstitution)


def data_version() -> tuple:
    """One cheap query whose result changes whenever a source table changes."""
    q = connection.ops.quote_name
    parts = []
    for model in _source_models():
        parts.append(
            f"(SELECT MAX({q('history_id')}) FROM {q(model.history.model._meta.db_table)})"
        )
        parts.append(f"(SELECT MAX({q('id')}) FROM {q(model._meta.db_table)})")
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
