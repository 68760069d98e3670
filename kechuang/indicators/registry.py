"""Computed indicators: domain apps register a function year -> value of the home region.

An app registers its indicators in its AppConfig.ready():

    from kechuang.indicators.registry import register
    register("rd_intensity", lambda year: rd_aggregates(year)["rd_intensity_pct"],
             records_url=lambda year: f"/rnd/?year={year}")

The catalogue row (`Indicator` with source "computed" and the same code) carries the name, unit,
direction and definition; the registry carries how to compute it from live data, and optionally
where the records behind the figure are listed and what is still pending for a year.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

__all__ = [
    "ComputedIndicator",
    "REGISTRY",
    "register",
    "computed_value",
    "computed_values",
    "memo",
    "memoised",
]


@dataclass(frozen=True)
class ComputedIndicator:
    """A registered computation. `func(year)` returns the value in the catalogue's unit or None
    when the year has no data; `records_url(year)` links to the records behind the value;
    `pending(year)` names what is not published yet (e.g. a recognition batch), or ""."""

    code: str
    func: Callable[[int], float | None]
    records_url: Callable[[int], str] | None = None
    pending: Callable[[int], str] | None = None
    app: str = ""


REGISTRY: dict[str, ComputedIndicator] = {}


def register(
    code: str,
    func: Callable[[int], float | None],
    *,
    records_url: Callable[[int], str] | None = None,
    pending: Callable[[int], str] | None = None,
    app: str = "",
) -> None:
    """Register (or replace) the computation of indicator `code`."""
    REGISTRY[code] = ComputedIndicator(code, func, records_url, pending, app)


# A page reads the same figures for many sets and years; within `memo()` each (key, year) is
# computed once. Outside it nothing is cached, so data changes are always seen.
_MEMO: ContextVar[dict | None] = ContextVar("indicator_memo", default=None)


@contextmanager
def memo() -> Iterator[None]:
    """Cache computed figures for the duration of the block (e.g. one request)."""
    if _MEMO.get() is not None:
        yield
        return
    token = _MEMO.set({})
    try:
        yield
    finally:
        _MEMO.reset(token)


def memoised(key, func: Callable[[], object]):
    """`func()`, cached under `key` inside a `memo()` block."""
    cache = _MEMO.get()
    if cache is None:
        return func()
    if key not in cache:
        cache[key] = func()
    return cache[key]


def computed_value(code: str, year: int) -> float | None:
    """The home region's value of a registered indicator, or None (unregistered or no data)."""
    entry = REGISTRY.get(code)
    if entry is None:
        return None
    value = memoised(("indicator", code, year), lambda: entry.func(year))
    return None if value is None else float(value)


def computed_values(codes, year: int) -> dict[str, float | None]:
    """Values of several registered indicators for one year (one call per indicator)."""
    return {code: computed_value(code, year) for code in codes}
