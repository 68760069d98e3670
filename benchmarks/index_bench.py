"""Benchmark of the composite-index pipeline (kechuang.indicators.logic, no database).

Three workloads, each run through the full pipeline (denominate → group-mean imputation →
screening → winsorise/log treatment → min–max → arithmetic aggregation over a three-level tree
→ ranks) and through a bare NumPy implementation of the same steps written for speed (the
floor), in the same run:

  asem       COINr's ASEM example from raw data (51 units × 49 indicators, one year);
  synthetic  3,000 units × 60 indicators × 5 years (lognormal values, 5 % missing);
  panel      100 regions × 60 indicators × 10 years, plus a 1,000-draw uncertainty analysis
             (weight noise on pillars and sub-indices, normalisation min–max / z-score).

The floor returns the index and checks it equals the pipeline's (to 1e-9). With --quick the
synthetic workload has 600 units. The LAST line printed is one JSON object with the figures.

Usage: python benchmarks/index_bench.py [--quick] [--repeat K]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from common import Timer, emit, log  # noqa: E402

from kechuang.indicators.logic.methodology import Normalise, parse  # noqa: E402
from kechuang.indicators.logic.offline import read_data, read_meta, read_method  # noqa: E402
from kechuang.indicators.logic.pipeline import Panel, run  # noqa: E402
from kechuang.indicators.logic.sensitivity import uncertainty  # noqa: E402
from kechuang.indicators.logic.tree import Node, Tree  # noqa: E402

REF = Path(__file__).resolve().parents[1] / "kechuang" / "indicators" / "tests" / "coinr_asem"
METHOD = Path(__file__).resolve().parents[1] / "kechuang" / "indicators" / "methods"


# ------------------------------------------------------------------ floor
#
# The floor: the same steps as the pipeline, written as the least NumPy that computes them.
# Rows are laid out as a (years, units, indicators) grid; no Python loop runs over units,
# indicators or years. Winsorisation steps every failing (year, indicator) column at once, at
# most `winmax` rounds; ranks come from one argsort per array.


def _moments3(x):
    """Sample skewness and excess kurtosis along axis 1 (NaN ignored), as the pipeline's."""
    ok = ~np.isnan(x)
    n = ok.sum(axis=1)
    d = np.where(ok, x - np.nanmean(x, axis=1, keepdims=True), 0.0)
    d2 = d * d
    m2, m3, m4 = d2.sum(axis=1), (d2 * d).sum(axis=1), (d2 * d2).sum(axis=1)
    with np.errstate(all="ignore"):
        s = np.sqrt(n) * m3 / m2**1.5 * np.sqrt(n * (n - 1)) / (n - 2)
        r = n * m4 / m2**2
        k = ((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))
    return s, k


def _failing(x, skew=2.0, kurt=3.5):
    s, k = _moments3(x)
    enough = (~np.isnan(x)).sum(axis=1) >= 4
    return enough & (np.abs(s) >= skew) & (k >= kurt), s


def _ranks(v, axis=1):
    """Competition ranks (1 = highest, ties share the better rank) along `axis`; NaN stays."""
    v = np.moveaxis(v, axis, -1)
    key = np.where(np.isnan(v), -np.inf, np.round(v, 9))
    order = np.argsort(-key, axis=-1, kind="stable")
    srt = np.take_along_axis(key, order, axis=-1)
    new = np.ones(srt.shape, bool)
    new[..., 1:] = srt[..., 1:] != srt[..., :-1]
    pos = np.broadcast_to(np.arange(srt.shape[-1]), srt.shape)
    first = np.maximum.accumulate(np.where(new, pos, 0), axis=-1) + 1.0
    out = np.empty(srt.shape)
    np.put_along_axis(out, order, first, axis=-1)
    return np.moveaxis(np.where(np.isnan(v), np.nan, out), -1, axis)


def floor_treated(values, n_years, groups, denoms, dirs, winmax=5, thresh=0.9):
    """Denominate, impute by group and year, screen, winsorise/log: the directed treated grid
    (years × units × indicators), screened rows NaN."""
    x = values / denoms
    ok = ~np.isnan(x)
    n, units = len(x), len(x) // n_years
    _, g = np.unique(groups, return_inverse=True)
    key = g.reshape(n_years, units) + (g.max() + 1) * np.arange(n_years)[:, None]
    onehot = np.zeros((n, key.max() + 1))
    onehot[np.arange(n), key.ravel()] = 1.0
    with np.errstate(all="ignore"):
        means = (onehot.T @ np.where(ok, x, 0.0)) / (onehot.T @ ok.astype(float))
    x = np.where(ok, x, means[key.ravel()])
    x[(~np.isnan(x)).mean(axis=1) < thresh] = np.nan
    x = x.reshape(n_years, units, -1)
    fails, s = _failing(x)
    w = x.copy()
    active, nmax, nmin = fails.copy(), np.zeros(fails.shape, int), np.zeros(fails.shape, int)
    while active.any():  # at most `winmax` rounds: each round winsorises ≥ 1 point per column
        up = (active & (s >= 0))[:, None, :]
        down = (active & (s < 0))[:, None, :]
        hi = np.nanmax(w, axis=1, keepdims=True)
        lo = np.nanmin(w, axis=1, keepdims=True)
        at_hi, at_lo = w == hi, w == lo
        next_hi = np.nanmax(np.where(at_hi, np.nan, w), axis=1, keepdims=True)
        next_lo = np.nanmin(np.where(at_lo, np.nan, w), axis=1, keepdims=True)
        w = np.where(at_hi & up, next_hi, np.where(at_lo & down, next_lo, w))
        nmax = np.where(up[:, 0], at_hi.sum(axis=1), nmax)
        nmin = np.where(down[:, 0], at_lo.sum(axis=1), nmin)
        still, s = _failing(w)
        active &= still & (nmax + nmin < winmax)
    still, _s = _failing(w)
    logged = fails & still
    lo, hi = np.nanmin(x, axis=1, keepdims=True), np.nanmax(x, axis=1, keepdims=True)
    with np.errstate(all="ignore"):
        arg = x - lo + 0.01 * (hi - lo)
        logx = np.log(np.where(arg > 0, arg, 1.0))
    t = np.where(logged[:, None, :], logx, np.where(fails[:, None, :], w, x))
    return t * dirs


def floor_minmax(t):
    lo, hi = np.nanmin(t, axis=1, keepdims=True), np.nanmax(t, axis=1, keepdims=True)
    span = hi - lo
    with np.errstate(all="ignore"):
        return np.where(span > 0, (t - lo) / np.where(span > 0, span, 1.0), 0.5) * 100.0


def floor(values, n_years, groups, denoms, dirs, w1, w2, w3):
    """The whole pipeline: scores of every aggregate (years × units × aggregates) and ranks."""
    norm = floor_minmax(floor_treated(values, n_years, groups, denoms, dirs))
    levels, cur = [], norm
    for w in (w1, w2, w3):
        m = ~np.isnan(cur)
        with np.errstate(all="ignore"):
            cur = np.where(m, cur, 0.0) @ w / (m.astype(float) @ w)
        levels.append(cur)
    scores = np.concatenate(levels, axis=2)
    return scores, _ranks(scores)


# ------------------------------------------------------------------ workloads


def synthetic(units: int, indicators: int, years: int, seed: int = 7):
    rng = np.random.default_rng(seed)
    pillars, subs = 10, 2
    nodes = {}
    for j in range(indicators):
        nodes[f"i{j}"] = Node(f"i{j}", f"p{j % pillars}", 1.0, direction=1 if j % 4 else -1,
                              denominator="pop" if j % 3 == 0 else None)  # fmt: skip
    for p in range(pillars):
        nodes[f"p{p}"] = Node(f"p{p}", f"s{p % subs}")
    for s in range(subs):
        nodes[f"s{s}"] = Node(f"s{s}", "Index")
    nodes["Index"] = Node("Index", None)
    tree = Tree(nodes)
    n = units * years
    values = rng.lognormal(0, 1.2, (n, indicators))
    values[rng.random(values.shape) < 0.05] = np.nan
    panel = Panel(
        units=np.tile(np.array([f"u{i}" for i in range(units)], dtype=object), years),
        years=np.repeat(np.arange(2020, 2020 + years), units),
        values=values,
        indicators=tree.indicators,
        denominators={"pop": rng.uniform(10, 100, n)},
        groups={"g": np.array(["A", "B"], dtype=object)[rng.integers(0, 2, n)]},
    )
    return tree, panel


def _floor_args(tree: Tree, panel: Panel, group: str):
    denoms = np.column_stack([
        panel.denominators[d] if (d := tree.nodes[c].denominator) else np.ones(len(panel.units))
        for c in tree.indicators
    ])  # fmt: skip
    dirs = np.array([tree.nodes[c].direction for c in tree.indicators], dtype=float)
    ws = [tree.weight_matrix(k) for k in (1, 2, 3)]
    n_years = len(np.unique(panel.years))
    assert (np.asarray(panel.years).reshape(n_years, -1) == np.unique(panel.years)[:, None]).all()
    return (panel.columns(tree.indicators), n_years, np.asarray(panel.groups[group]).astype(str),
            denoms, dirs, *ws)  # fmt: skip


def _same(res, fl) -> None:
    """The floor computes what the pipeline computes: every score and rank."""
    scores, ranks = (a.reshape(-1, a.shape[-1]) for a in fl)
    assert np.allclose(scores, res.scores, atol=1e-9, equal_nan=True)
    assert np.array_equal(ranks, res.ranks, equal_nan=True)


def floor_uncertainty(fa, draws: int, seed: int = 2024):
    """The uncertainty analysis, plain NumPy: normalisation min–max or z-score (drawn), pillar and
    sub-index weights × (1 + U(−0.25, 0.25)); the same random draws as the pipeline's."""
    values, n_years, groups, denoms, dirs, w1, w2, w3 = fa
    rng = np.random.default_rng(seed)
    f2 = 1 + rng.uniform(-0.25, 0.25, (draws, w2.shape[0]))
    f3 = 1 + rng.uniform(-0.25, 0.25, (draws, w3.shape[0]))
    pick = rng.integers(2, size=draws)
    t = floor_treated(values, n_years, groups, denoms, dirs)
    zs = (t - np.nanmean(t, axis=1, keepdims=True)) / np.nanstd(t, axis=1, ddof=1, keepdims=True)
    index = np.empty((draws,) + t.shape[:2])
    for choice, x0 in enumerate((floor_minmax(t), zs)):  # the two normalisations
        sel = np.flatnonzero(pick == choice)
        m = ~np.isnan(x0)
        pillars = (
            np.where(m, x0, 0.0) @ w1 / (m.astype(float) @ w1)
        )  # indicator weights not perturbed
        a2 = w2[None] * f2[sel, :, None]
        a3 = w3[None] * f3[sel, :, None]
        flat = pillars.reshape(-1, pillars.shape[-1])[None]  # 1 × rows × pillars
        subs = np.matmul(flat, a2) / a2.sum(axis=1)[:, None, :]  # draws × rows × sub-indices
        top = np.matmul(subs, a3)[..., 0] / a3.sum(axis=1)  # draws × rows
        index[sel] = top.reshape(len(sel), *t.shape[:2])
    ranks = _ranks(index, axis=2).reshape(draws, -1)
    return np.median(ranks, axis=0), np.quantile(ranks, [0.05, 0.95], axis=0)


def _time(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        with Timer() as t:
            out = fn()
        times.append(t.seconds)
    return statistics.median(times), out


def _load() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    result: dict[str, object] = {"quick": args.quick, "load_before": _load()}
    method = parse({
        "denominate": True, "impute": {"method": "group_mean", "group": "g"},
        "screen": {"min_availability": 0.9}, "treat": {"method": "winsorise_log"},
        "normalise": {"method": "min_max"},
    })  # fmt: skip

    def case(name, tree, panel, m, group, **extra):
        t_pipe, res = _time(lambda: run(tree, m, panel), args.repeat)
        fa = _floor_args(tree, panel, group)
        t_floor, fl = _time(lambda: floor(*fa), args.repeat)
        _same(res, fl)
        result[name] = {**extra, "pipeline_s": round(t_pipe, 4), "floor_s": round(t_floor, 4),
                        "ratio": round(t_pipe / t_floor, 2)}  # fmt: skip
        log(name, result[name])

    tree = read_meta(REF / "asem_meta.csv")
    case("asem", tree, read_data(REF / "asem_raw.csv", tree),
         read_method(METHOD / "coinr_asem.json"), "EurAsia_group")  # fmt: skip
    units = 600 if args.quick else 3000
    tree, panel = synthetic(units, 60, 5)
    case("synthetic", tree, panel, method, "g", units=units, indicators=60, years=5)

    tree, panel = synthetic(100, 60, 10, seed=11)
    draws = 1000
    alternatives = {"normalise": [Normalise("min_max"), Normalise("z_score")]}
    t_pipe, unc = _time(
        lambda: uncertainty(tree, method, panel, draws=draws, alternatives=alternatives),
        args.repeat,
    )
    fa = _floor_args(tree, panel, "g")
    t_floor, (median, _interval) = _time(lambda: floor_uncertainty(fa, draws), args.repeat)
    assert np.array_equal(median, unc.median)
    result["panel"] = {"units": 100, "indicators": 60, "years": 10, "draws": draws,
                       "pipeline_s": round(t_pipe, 4), "floor_s": round(t_floor, 4),
                       "ratio": round(t_pipe / t_floor, 2), "target_s": 2.0,
                       "target_ratio": 3.0}  # fmt: skip
    log("panel", result["panel"])
    result["load_after"] = _load()
    emit(result)


if __name__ == "__main__":
    main()
