"""Cross-app notifications without signals hidden in models.

Services that change enterprise data call `data_changed(years=...)` after their transaction
commits; apps that derive data from it (e.g. the qualification engine's stored assessments)
register a handler in their AppConfig.ready().
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial

from django.db import transaction

__all__ = ["DATA_CHANGED_HANDLERS", "data_changed"]

DATA_CHANGED_HANDLERS: list[Callable[[set[int] | None], None]] = []


def data_changed(*, years: Iterable[int] | None = None) -> None:
    """Tell derived-data handlers that enterprise data changed (called inside the writer's
    transaction; handlers run after it commits).

    years: the fiscal years whose figures changed, or None when the change may affect every
    year (IP, qualifications, institutions, enterprise profile).
    """
    if years is not None:
        years = {int(y) for y in years if y is not None}
        if not years:
            return
    changed: set[int] | None = years if years is None else set(years)
    for handler in DATA_CHANGED_HANDLERS:
        transaction.on_commit(partial(handler, changed))
