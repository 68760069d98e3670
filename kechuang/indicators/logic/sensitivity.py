"""Uncertainty and sensitivity of a composite index over a tree (docs/indicators.md#sensitivity).

Weights: in each draw every weight of a perturbed level is multiplied by 1 + u, u uniform on
[−f, f] (COINr `get_noisy_weights`; its sensitivity vignette uses f = 0.25 on the pillar and
sub-index levels). Each weight then varies by f/√3 ≈ 14 % whatever the number of siblings — a
Dirichlet draw with a fixed concentration, as the old flat engine used, makes each of k weights
vary by about √((k − 1)/(α + 1)), near 100 % for 49 indicators and α = 50. The perturbed levels
default to every aggregate level below the index (pillars and sub-indices); a flat tree
(indicators → index) perturbs the indicator weights themselves.

Methodology choices: each draw also picks one alternative uniformly for every uncertain step
(e.g. imputation on/off, normalisation method, aggregation method); the data steps are computed
once per distinct alternative, so a draw costs one aggregation and one ranking.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import product
from typing import Any

import numpy as np

from .methodology import Methodology
from .pipeline import Panel, PipelineResult, aggregate, rank_by_year, rerun, run
from .tree import Tree

__all__ = [
    "NOISE_FACTOR",
    "noise_factors",
    "noisy_weights",
    "rank_draws",
    "UncertaintyResult",
    "uncertainty",
    "remove_one",
    "rank_gap",
]

NOISE_FACTOR = 0.25


def default_levels(tree: Tree) -> list[int]:
    """Levels whose weights are perturbed: aggregates below the root, or the indicators of a
    flat tree."""
    return list(range(2, len(tree.levels))) or [1]


def noise_factors(
    tree: Tree,
    rng: np.random.Generator,
    draws: int,
    *,
    factor: float = NOISE_FACTOR,
    levels: Sequence[int] | None = None,
) -> dict[int, np.ndarray]:
    """Per perturbed level, draws × nodes of the level: the factors 1 + U(−factor, factor)."""
    return {
        lvl: 1.0 + rng.uniform(-factor, factor, (draws, len(tree.levels[lvl - 1])))
        for lvl in (levels or default_levels(tree))
    }


def noisy_weights(
    tree: Tree,
    rng: np.random.Generator,
    draws: int,
    *,
    factor: float = NOISE_FACTOR,
    levels: Sequence[int] | None = None,
) -> list[dict[str, float]]:
    """`draws` weight sets: w·(1 + U(−factor, factor)) for every node of `levels`."""
    f = noise_factors(tree, rng, draws, factor=factor, levels=levels)
    out: list[dict[str, float]] = [{} for _ in range(draws)]
    for lvl, arr in f.items():
        codes = tree.levels[lvl - 1]
        base = np.array([tree.nodes[c].weight for c in codes])
        for k, row in enumerate(arr * base):
            out[k].update(zip(codes, row.tolist(), strict=True))
    return out


@dataclass(frozen=True)
class UncertaintyResult:
    """Index ranks per draw (draws × units) and their summary per unit."""

    units: np.ndarray
    years: np.ndarray
    draw_ranks: np.ndarray
    nominal: np.ndarray
    median: np.ndarray
    mean: np.ndarray
    low: np.ndarray
    high: np.ndarray
    coverage: float
    choices: list[dict[str, object]]


def _variants(method: Methodology, alternatives: Mapping[str, Sequence[object]]):
    keys = list(alternatives)
    for combo in product(*(alternatives[k] for k in keys)):
        m = method
        for key, value in zip(keys, combo, strict=True):
            change: dict[str, Any] = {key: value}
            if key == "aggregate":
                change = {key: (value,) if isinstance(value, str) else tuple(value)}  # type: ignore[arg-type]
            m = dataclasses.replace(m, **change)
        yield dict(zip(keys, combo, strict=True)), m


def _aggregate_draws(
    norm: np.ndarray,
    tree: Tree,
    method: Methodology,
    factors: Mapping[int, np.ndarray],
    chunk: int = 200,
) -> np.ndarray:
    """Index of every row under every draw's weights (draws × rows), all draws of a chunk in
    one matrix product per level."""
    draws = next(iter(factors.values())).shape[0]
    out = np.empty((draws, norm.shape[0]))
    mats = [tree.weight_matrix(level) for level in range(1, len(tree.levels))]
    for lo in range(0, draws, chunk):
        hi = min(lo + chunk, draws)
        cur = norm[None]
        for level, w in enumerate(mats, start=1):
            wd = w[None] * factors[level][lo:hi, :, None] if level in factors else w[None]
            how = method.aggregation_for(level)
            ok = ~np.isnan(cur)
            den = np.matmul(ok.astype(float), wd)
            with np.errstate(invalid="ignore", divide="ignore"):
                if how == "arithmetic":
                    y = np.matmul(np.where(ok, cur, 0.0), wd) / den
                else:
                    if (cur[ok] <= 0).any():
                        raise ValueError(f"{how} aggregation needs positive scores")
                    safe = np.where(ok, cur, 1.0)
                    if how == "geometric":
                        y = np.exp(np.matmul(np.where(ok, np.log(safe), 0.0), wd) / den)
                    else:
                        y = den / np.matmul(np.where(ok, 1.0 / safe, 0.0), wd)
            cur = np.where(den > 0, y, np.nan)
        out[lo:hi] = cur[..., 0]
    return out


def rank_draws(index: np.ndarray, years: np.ndarray, chunk: int = 100) -> np.ndarray:
    """Competition ranks (1 = best) of every draw's index within each year (draws × rows)."""
    out = np.empty(index.shape)
    x = np.round(index, 9)
    for year in np.unique(years):
        rows = np.flatnonzero(years == year)
        v = x[:, rows]
        for lo in range(0, v.shape[0], chunk):
            b = v[lo : lo + chunk]
            out[lo : lo + chunk, rows] = 1 + (b[:, None, :] > b[:, :, None]).sum(axis=2)
    return out


def uncertainty(
    tree: Tree,
    method: Methodology,
    panel: Panel,
    *,
    draws: int = 1000,
    seed: int = 2024,
    factor: float = NOISE_FACTOR,
    levels: Sequence[int] | None = None,
    alternatives: Mapping[str, Sequence[object]] | None = None,
    coverage: float = 0.9,
) -> UncertaintyResult:
    """Rank intervals under weight noise and methodology alternatives (module docstring).

    `alternatives` maps a Methodology field (impute, normalise, treat, aggregate) to the
    values it may take; units dropped by screening in any variant are left out.
    """
    rng = np.random.default_rng(seed)
    nominal = run(tree, method, panel)
    variants = list(_variants(method, alternatives or {})) or [({}, method)]
    runs: list[PipelineResult] = [rerun(nominal, m, panel) for _c, m in variants]
    keys = list(zip(nominal.units.tolist(), nominal.years.tolist(), strict=True))
    common = set(keys)
    for r in runs:
        common &= set(zip(r.units.tolist(), r.years.tolist(), strict=True))
    rows = [i for i, k in enumerate(keys) if k in common]
    t = nominal.tree
    factors = noise_factors(t, rng, draws, factor=factor, levels=levels)
    pick = rng.integers(len(runs), size=draws)
    index = np.empty((draws, len(rows)))
    for v, r in enumerate(runs):
        sel = np.flatnonzero(pick == v)
        if not len(sel):
            continue
        pos = {k: i for i, k in enumerate(zip(r.units.tolist(), r.years.tolist(), strict=True))}
        take = [pos[keys[i]] for i in rows]
        index[sel] = _aggregate_draws(
            r.normalised[take], r.tree, r.methodology, {k: f[sel] for k, f in factors.items()}
        )
    years = nominal.years[rows]
    ranks = rank_draws(index, years)
    tail = (1.0 - coverage) / 2.0
    return UncertaintyResult(
        units=nominal.units[rows],
        years=years,
        draw_ranks=ranks,
        nominal=nominal.rank(t.root)[rows],
        median=np.median(ranks, axis=0),
        mean=ranks.mean(axis=0),
        low=np.quantile(ranks, tail, axis=0),
        high=np.quantile(ranks, 1.0 - tail, axis=0),
        coverage=coverage,
        choices=[variants[v][0] for v in pick],
    )


def remove_one(result: PipelineResult) -> dict[str, np.ndarray]:
    """For each indicator, every unit's index rank with that indicator removed minus its rank
    with all (positive: the unit falls without it). The other steps are kept as they ran."""
    tree, m = result.tree, result.methodology
    base = result.rank(tree.root)
    out = {}
    for j, code in enumerate(tree.indicators):
        norm = result.normalised.copy()
        norm[:, j] = np.nan  # left out of its pillar's mean, the others re-weighted
        current = norm
        for level in range(1, len(tree.levels)):
            current = aggregate(current, tree.weight_matrix(level), m.aggregation_for(level))
        out[code] = rank_by_year(current, result.years)[:, 0] - base
    return out


def rank_gap(result: PipelineResult, home: int, other: int) -> dict[str, float]:
    """What separates unit row `home` from unit row `other` on the index, per indicator:
    effective weight × (home's normalised score − other's). Exact for an arithmetic tree with
    no missing values (the parts then sum to the index difference); for geometric or harmonic
    levels, a first-order reading of the same gap."""
    eff = result.tree.effective_weights()
    diff = result.normalised[home] - result.normalised[other]
    return {
        code: float(eff[code] * d)
        for code, d in zip(result.tree.indicators, diff, strict=True)
        if not np.isnan(d)
    }
