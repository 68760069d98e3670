"""The figure catalogue: every headline figure of the platform, registered by the app that owns
its data, read by the dashboard, `kechuang stats`, the indicators and the annual report.

An app registers in its AppConfig.ready() (core is the lowest layer, so any app may):

    from kechuang.core.figures import Figure, register_figures

    register_figures(
        headline_figures,  # year -> {key: value} for the home region, one call per year
        Figure("key_rd_projects_noticed", _("Key R&D projects publicly noticed"), "count",
               definition=_("…"), drill_down=lambda year: reverse(...) + f"?year={year}"),
        ...
    )

A figure key is spelled once, here in its app's registration; other modules look the figure up
by key. A provider computes several figures at once because they usually share one query.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

__all__ = [
    "Figure",
    "FIGURES",
    "PROVIDERS",
    "register_figures",
    "figure",
    "provided_figures",
]

Provider = Callable[[int], dict[str, Any]]


@dataclass(frozen=True)
class Figure:
    """One figure: its key, label (lazy translation), unit ("count", "yuan", "pct", "ratio",
    "score"), definition, the official source it follows, and where its records are listed."""

    key: str
    label: Any
    unit: str = "count"
    definition: Any = ""
    source: Any = ""
    drill_down: Callable[[int], str | None] | None = None
    app: str = ""


FIGURES: dict[str, Figure] = {}
PROVIDERS: list[Provider] = []


def register_figures(provider: Provider, *figures: Figure) -> None:
    """Register a provider and the figures it returns (idempotent: ready() may run twice)."""
    if provider not in PROVIDERS:
        PROVIDERS.append(provider)
    for item in figures:
        FIGURES[item.key] = item


def figure(key: str) -> Figure:
    """The catalogue entry of `key` (KeyError for an unknown key: a programming error)."""
    return FIGURES[key]


def provided_figures(year: int, providers: Iterable[Provider] | None = None) -> dict[str, Any]:
    """The values of every registered provider for `year`, merged in registration order."""
    values: dict[str, Any] = {}
    for provider in PROVIDERS if providers is None else providers:
        values.update(provider(year))
    return values
