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


def _skew_kurt(x):
    n = (~np.isnan(x)).sum(axis=0)
    d = x - np.nanmean(x, axis=0)
    m2, m3, m4 = (np.nansum(d**p, axis=0) for p in (2, 3, 4))
    with np.errstate(all="ignore"):
        s = np.sqrt(n) * m3 / m2**1.5 * np.sqrt(n * (n - 1)) / (n - 2)
        r = n * m4 / m2**2
        k = ((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))
    return s, k


def floor(values, years, groups, denoms, dirs, w1, w2, w3, winmax=5, thresh=0.9, norm=False):
    """The same steps, plain NumPy: values rows × indicators; w1 indicators × pillars, …
    With norm=True, returns the normalised matrix and the kept rows' years instead."""
    x = values / denoms
    key = np.unique(np.char.add(groups.astype(str), years.astype(str)), return_inverse=True)[1]
    ok = ~np.isnan(x)
    sums = np.zeros((key.max() + 1, x.shape[1]))
    cnt = np.zeros_like(sums)
    np.add.at(sums, key, np.where(ok, x, 0))
    np.add.at(cnt, key, ok)
    with np.errstate(all="ignore"):
        x = np.where(ok, x, (sums / cnt)[key])
    keep = (~np.isnan(x)).mean(axis=1) >= thresh
    x, years = x[keep], years[keep]
    out = np.empty_like(x)
    for y in np.unique(years):
        rows = years == y
        b = x[rows].copy()
        s, k = _skew_kurt(b)
        for j in np.flatnonzero((np.abs(s) >= 2) & (k >= 3.5)):
            c = b[:, j].copy()
            v = c[~np.isnan(c)]
            orig = v.copy()
            imax = imin = np.zeros(0, int)
            nwin, passing = 0, False
            while not passing and nwin < winmax:
                sk = _skew_kurt(v[:, None])[0][0]
                if sk >= 0:
                    imax = np.flatnonzero(v == v.max())
                    v[imax] = np.delete(v, imax).max()
                else:
                    imin = np.flatnonzero(v == v.min())
                    v[imin] = np.delete(v, imin).min()
                nwin = len(imax) + len(imin)
                sk, kt = (a[0] for a in _skew_kurt(v[:, None]))
                passing = abs(sk) < 2 or kt < 3.5
            if not passing:
                v = np.log(orig - orig.min() + 0.01 * (orig.max() - orig.min()))
            c[~np.isnan(c)] = v
            b[:, j] = c
        b = b * dirs
        lo, hi = np.nanmin(b, axis=0), np.nanmax(b, axis=0)
        out[rows] = (b - lo) / np.where(hi > lo, hi - lo, 1) * 100
    if norm:
        return out, years
    levels = [out]
    for w in (w1, w2, w3):
        cur = levels[-1]
        m = ~np.isnan(cur)
        levels.append(np.where(m, cur, 0) @ w / (m @ w))
    return levels[-1][:, 0]


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
    return (panel.columns(tree.indicators), np.asarray(panel.years), panel.groups[group],
            denoms, dirs, *ws)  # fmt: skip


def _time(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        with Timer() as t:
            out = fn()
        times.append(t.seconds)
    return statistics.median(times), out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    result: dict[str, object] = {"quick": args.quick}
    method = parse({
        "denominate": True, "impute": {"method": "group_mean", "group": "g"},
        "screen": {"min_availability": 0.9}, "treat": {"method": "winsorise_log"},
        "normalise": {"method": "min_max"},
    })  # fmt: skip

    tree = read_meta(REF / "asem_meta.csv")
    panel = read_data(REF / "asem_raw.csv", tree)
    asem_method = read_method(METHOD / "coinr_asem.json")
    t_pipe, res = _time(lambda: run(tree, asem_method, panel), args.repeat)
    fa = _floor_args(tree, panel, "EurAsia_group")
    t_floor, idx = _time(lambda: floor(*fa), args.repeat)
    assert np.allclose(idx, res.score("Index"), atol=1e-9)
    result["asem"] = {"pipeline_s": round(t_pipe, 4), "floor_s": round(t_floor, 4),
                      "ratio": round(t_pipe / t_floor, 2)}  # fmt: skip
    log("asem", result["asem"])

    units = 600 if args.quick else 3000
    tree, panel = synthetic(units, 60, 5)
    t_pipe, res = _time(lambda: run(tree, method, panel), args.repeat)
    fa = _floor_args(tree, panel, "g")
    t_floor, idx = _time(lambda: floor(*fa), args.repeat)
    assert np.allclose(idx, res.score("Index"), atol=1e-9)
    result["synthetic"] = {"units": units, "indicators": 60, "years": 5,
                           "pipeline_s": round(t_pipe, 4), "floor_s": round(t_floor, 4),
                           "ratio": round(t_pipe / t_floor, 2)}  # fmt: skip
    log("synthetic", result["synthetic"])

    tree, panel = synthetic(100, 60, 10, seed=11)
    draws = 1000
    alternatives = {"normalise": [Normalise("min_max"), Normalise("z_score")]}
    t_pipe, _u = _time(
        lambda: uncertainty(tree, method, panel, draws=draws, alternatives=alternatives), 1
    )
    fa = _floor_args(tree, panel, "g")

    def floor_sa():
        rng = np.random.default_rng(0)
        normed, yrs = floor(*fa, norm=True)
        w1, w2, w3 = fa[-3:]
        pick = rng.integers(2, size=draws)
        zs = (normed - np.nanmean(normed, 0)) / np.nanstd(normed, 0, ddof=1)
        ranks = np.empty((draws, len(yrs)))
        f2 = 1 + rng.uniform(-0.25, 0.25, (draws, w2.shape[0]))
        f3 = 1 + rng.uniform(-0.25, 0.25, (draws, w3.shape[0]))
        for choice, x0 in ((0, normed), (1, zs)):
            sel = np.flatnonzero(pick == choice)
            m = ~np.isnan(x0)
            x = (np.where(m, x0, 0) @ w1 / (m @ w1))[None]  # indicator weights not perturbed
            for w in (w2[None] * f2[sel, :, None], w3[None] * f3[sel, :, None]):
                x = x @ w / (np.ones_like(x) @ w)
            idx = x[..., 0]
            for y in np.unique(yrs):
                rows = np.flatnonzero(yrs == y)
                v = idx[:, rows]
                ranks[np.ix_(sel, rows)] = 1 + (v[:, None, :] > v[:, :, None]).sum(axis=2)
        return np.median(ranks, axis=0)

    t_floor, _ = _time(floor_sa, 1)
    result["panel"] = {"units": 100, "indicators": 60, "years": 10, "draws": draws,
                       "pipeline_s": round(t_pipe, 4), "floor_s": round(t_floor, 4),
                       "ratio": round(t_pipe / t_floor, 2), "target_s": 2.0}  # fmt: skip
    log("panel", result["panel"])
    emit(result)


if __name__ == "__main__":
    main()
