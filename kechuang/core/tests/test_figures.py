"""The figure catalogue: one entry per key, each key spelled in one module, scoped providers.

Other modules refer to a figure through the constant of the module that spells its key, so
renaming a figure is a one-line change and a typo is an ImportError, not a silently empty card.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from kechuang.core.figures import (
    FIGURES,
    Figure,
    figure_cards,
    figures_in,
    provided_figures,
    register_figures,
)
from kechuang.core.permissions import Scope

ROOT = Path(__file__).resolve().parents[2]  # the kechuang package

# Strings equal to a figure key that name something else (reviewed one by one): indicator codes
# of the demo's indicator catalogue, the bureau's paragraph placeholder of the same name, and
# the platforms engine's fact "the enterprise holds a high-tech recognition", the reverse
# accessors (related_name) of the cooperation and programme models, and the platforms selector
# function of the same name as its figure.
HOMONYMS = {
    "cooperation_events": {"cooperation/models.py"},
    "programme_applications": {"programmes/models.py"},
    "platforms_by_type_level": {"platforms/platform_selectors.py"},
    "tech_sme_national_filed": {"indicators/demo.py"},
    "high_tech_recognised": {
        "indicators/demo.py",
        "reports/sections.py",
        "platforms/display.py",
        "platforms/logic/batch.py",
        "platforms/logic/evaluate.py",
        "platforms/platform_selectors.py",
    },
}


def _modules() -> list[Path]:
    return [
        p
        for p in ROOT.rglob("*.py")
        if "tests" not in p.relative_to(ROOT).parts
        and "migrations" not in p.relative_to(ROOT).parts
    ]


def _spellings() -> dict[str, set[str]]:
    """Catalogue key → the modules (relative to kechuang/) holding it as a string literal."""
    found: dict[str, set[str]] = {}
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value in FIGURES:
                found.setdefault(node.value, set()).add(str(path.relative_to(ROOT)))
    return found


def test_every_figure_key_is_spelled_in_one_module_of_its_app():
    problems = []
    for key, modules in sorted(_spellings().items()):
        own = modules - HOMONYMS.get(key, set())
        if len(own) > 1:
            problems.append(f"{key}: spelled in {sorted(own)}")
        app = FIGURES[key].app
        if app and any(not m.startswith(f"{app}/") for m in own):
            problems.append(f"{key}: spelled outside its app {app}: {sorted(own)}")
    assert not problems, "\n".join(problems)


def test_catalogue_entries_are_complete():
    """Every figure says what it is: label, unit, definition, source and who owns it."""
    assert FIGURES
    incomplete = [
        key
        for key, f in FIGURES.items()
        if not (str(f.label) and f.unit and str(f.definition) and f.app)
    ]
    assert not incomplete
    for group in ("ladder", "rd"):
        cards = figures_in(group)
        assert cards, group
        assert all(f.drill_down is not None for f in cards), group


def test_scoped_and_region_providers():
    """A narrower scope is answered only by scoped providers; keys pick the providers."""
    calls = []

    def region(year):
        calls.append(("region", year))
        return {"test_region_figure": 1}

    def scoped(year, scope):
        calls.append(("scoped", year, scope))
        return {"test_scoped_figure": 2 if scope is None else 3}

    register_figures(region, Figure("test_region_figure", "r", app="core"))
    register_figures(scoped, Figure("test_scoped_figure", "s", app="core"), scoped=True)
    try:
        providers = [region, scoped]
        assert provided_figures(2024, providers) == {
            "test_region_figure": 1,
            "test_scoped_figure": 2,
        }
        town = Scope(town_ids=frozenset({1}))
        assert provided_figures(2024, providers, scope=town) == {"test_scoped_figure": 3}
        calls.clear()
        provided_figures(2024, providers, keys=["test_scoped_figure"])
        assert [c[0] for c in calls] == ["scoped"]
    finally:
        from kechuang.core import figures as catalogue

        for provider in (region, scoped):
            catalogue.PROVIDERS.remove(provider)
            catalogue._PROVIDES.pop(provider, None)
            if provider in catalogue._SCOPED:
                catalogue._SCOPED.remove(provider)
        FIGURES.pop("test_region_figure")
        FIGURES.pop("test_scoped_figure")


@pytest.mark.parametrize("links", [True, False])
def test_cards_carry_the_catalogue_entry(links):
    values = {f.key: 5 for f in figures_in("ladder")}
    previous = {f.key: 3 for f in figures_in("ladder")}
    cards = figure_cards("ladder", 2024, values, previous, links=links)
    assert [c["key"] for c in cards] == [f.key for f in figures_in("ladder")]
    assert all(c["delta"] == 2 for c in cards)
    assert all((c["url"] is not None) == links for c in cards)
    if links:
        assert all("year=2024" in c["url"] or "2024" in c["url"] for c in cards)
