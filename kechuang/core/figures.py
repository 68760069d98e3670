"""The figure catalogue: every headline figure of the platform, registered by the app that owns
its data, read by the dashboard, the R&D page, `kechuang stats`, the indicators and the annual
report.

An app registers in its AppConfig.ready() (core is the lowest layer, so any app may):

    from kechuang.core.figures import Figure, register_figures

    register_figures(
        headline_figures,  # year -> {key: value} for the home region, one call per year
        Figure("key_rd_projects_noticed", _("Key R&D projects publicly noticed"), "count",
               definition=_("…"), drill_down=lambda year: reverse(...) + f"?year={year}"),
        ...
    )

A provider that can compute its figures for a slice of the region (a town officer's town) is
registered with `scoped=True` and is called `provider(year, scope)`, `scope` being the
`kechuang.core.permissions.Scope` of the reader (`kechuang.core.access.scope_for`) or None for
the whole region. A reader whose scope is narrower than the region sees only the figures of
scoped providers: a region-wide figure is never shown as if it were the reader's slice.

A figure key is spelled once, in the module that defines it; other modules look the figure up
by key (through that module's constant). A provider computes several figures at once because
they usually share one query.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from .permissions import Scope

__all__ = [
    "Figure",
    "FIGURES",
    "PROVIDERS",
    "register_figures",
    "figure",
    "figures_in",
    "provided_figures",
    "figure_values",
    "figure_cards",
    "display_kind",
]

Provider = Callable[..., dict[str, Any]]


@dataclass(frozen=True)
class Figure:
    """One figure: its key, label (lazy translation), unit ("count", "yuan", "pct", "ratio",
    "score", "rank"), definition, the official source it follows, and where its records are
    listed.

    group: the section of the pages that shows it as a card ("ladder", "rd", "institutions"),
    in registration order; "" for a figure only `kechuang stats` and the report read.
    places: decimals a page shows (percentages). unit_label: the unit written after a card's
    value. population: for a figure that is not a count of records, the count figure whose
    records its drill-down lists (a share's denominator or numerator).
    """

    key: str
    label: Any
    unit: str = "count"
    definition: Any = ""
    source: Any = ""
    drill_down: Callable[[int], str | None] | None = None
    app: str = ""
    group: str = ""
    places: int | None = None
    unit_label: Any = ""
    population: str | None = None


FIGURES: dict[str, Figure] = {}
PROVIDERS: list[Provider] = []
_SCOPED: list[Provider] = []
_PROVIDES: dict[Provider, set[str]] = {}


def register_figures(provider: Provider, *figures: Figure, scoped: bool = False) -> None:
    """Register a provider and the figures it returns (idempotent: ready() may run twice)."""
    if provider not in PROVIDERS:
        PROVIDERS.append(provider)
    if scoped and provider not in _SCOPED:
        _SCOPED.append(provider)
    provides = _PROVIDES.setdefault(provider, set())
    for item in figures:
        FIGURES[item.key] = item
        provides.add(item.key)


def figure(key: str) -> Figure:
    """The catalogue entry of `key` (KeyError for an unknown key: a programming error)."""
    return FIGURES[key]


def figures_in(group: str) -> list[Figure]:
    """The figures shown as cards of `group`, in registration order."""
    return [f for f in FIGURES.values() if f.group == group]


def _region(scope: Scope | None) -> bool:
    return scope is None or scope.all


def provided_figures(
    year: int,
    providers: Iterable[Provider] | None = None,
    *,
    scope: Scope | None = None,
    keys: Iterable[str] | None = None,
) -> dict[str, Any]:
    """The values of the registered providers for `year`, merged in registration order.

    scope: the reader's scope (None: the whole region); only scoped providers answer for a
    narrower scope. keys: only the providers of these keys are called (the others cost nothing).
    """
    wanted = set(keys) if keys is not None else None
    values: dict[str, Any] = {}
    for provider in PROVIDERS if providers is None else providers:
        if wanted is not None and not (_PROVIDES.get(provider, set()) & wanted):
            continue
        if provider in _SCOPED:
            values.update(provider(year, None if _region(scope) else scope))
        elif _region(scope):
            values.update(provider(year))
    return values


def figure_values(
    year: int, *, scope: Scope | None = None, keys: Iterable[str] | None = None
) -> dict[str, Any]:
    """`provided_figures`, reused for the whole region while the data is unchanged."""
    wanted = tuple(sorted(keys)) if keys is not None else None
    if not _region(scope):
        return provided_figures(year, scope=scope, keys=wanted)
    from .datacache import memoised

    return memoised("figure_values", _region_values, year, wanted)


def _region_values(year: int, keys: tuple[str, ...] | None) -> dict[str, Any]:
    return provided_figures(year, keys=keys)


def display_kind(item: Figure) -> str:
    """How a page shows the value: "int", "yi" (yuan as 亿元), "pct1" / "pct2" (percent)."""
    if item.unit == "yuan":
        return "yi"
    if item.unit == "pct":
        return f"pct{item.places if item.places is not None else 1}"
    return "int"


def _delta(current, previous):
    if current is None or previous is None:
        return None
    return current - previous


def figure_cards(
    group: str,
    year: int,
    values: dict[str, Any],
    previous: dict[str, Any] | None = None,
    *,
    links: bool = True,
) -> list[dict[str, Any]]:
    """The cards of `group` for `year`: label, value, change on `previous`, unit, definition and
    the drill-down link (None when the reader may not open the lists)."""
    cards = []
    for item in figures_in(group):
        if item.key not in values:
            continue
        value = values[item.key]
        kind = display_kind(item)
        cards.append(
            {
                "key": item.key,
                "label": item.label,
                "value": value,
                "delta": _delta(value, previous.get(item.key)) if previous is not None else None,
                "unit": item.unit_label,
                "kind": kind,
                "money": kind == "yi",
                "pct": kind == "pct1",
                "pct2": kind == "pct2",
                "definition": item.definition,
                "population": item.population or item.key,
                "url": item.drill_down(year) if links and item.drill_down else None,
            }
        )
    return cards
