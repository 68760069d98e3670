"""The composite-index pipeline, step by step, on a panel of units × years × indicators:

    denominate → impute → screen units → treat outliers → normalise → aggregate (per level) → rank

Every step is a pure function of arrays and the `Methodology` (logic/methodology.py); `run`
chains them and keeps every stage's output so each one can be inspected and exported (which
values were imputed, which winsorised or log-transformed). The rules, and where they come from,
are in docs/indicators.md#pipeline; they follow the OECD/JRC *Handbook on Constructing Composite
Indicators* (2008) and the JRC's COINr package (Becker et al. 2022, doi:10.21105/joss.04567),
whose published ASEM example the tests reproduce from its raw data.

Rows are unit-years. All steps are vectorised over units (and, where the rule allows it, over
indicators); loops run over years, indicators or tree levels only, never over units.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from .methodology import Methodology, Normalise, Treat
from .tree import Tree

__all__ = [
    "Panel",
    "PipelineResult",
    "FLAG_NONE",
    "FLAG_WIN_HIGH",
    "FLAG_WIN_LOW",
    "FLAG_LOG",
    "skewness",
    "kurtosis",
    "denominate",
    "impute",
    "availability",
    "treat_column",
    "treat",
    "normalise",
    "aggregate",
    "rank_desc",
    "rank_by_year",
    "run",
    "rerun",
    "rank_changes_on_rounding",
]

FLAG_NONE, FLAG_WIN_HIGH, FLAG_WIN_LOW, FLAG_LOG = 0, 1, 2, 3
RANK_DECIMALS = 9


@dataclass
class Panel:
    """The input: `values` rows (unit-years) × the tree's indicators (NaN = missing).

    `units[i]` and `years[i]` label row i (years default to one year, 0); `denominators` and
    `groups` are columns of the same rows, by name (e.g. "GDP", "EurAsia_group").
    """

    units: np.ndarray
    values: np.ndarray
    indicators: list[str]
    years: np.ndarray | None = None
    denominators: Mapping[str, np.ndarray] = field(default_factory=dict)
    groups: Mapping[str, np.ndarray] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.units = np.asarray(self.units, dtype=object)
        self.values = np.asarray(self.values, dtype=float)
        n = len(self.units)
        if self.values.shape != (n, len(self.indicators)):
            raise ValueError("values must be rows × indicators")
        self.years = np.zeros(n, dtype=int) if self.years is None else np.asarray(self.years)
        if len(self.years) != n:
            raise ValueError("one year per row")
        keys = list(zip(self.units.tolist(), self.years.tolist(), strict=True))
        if len(set(keys)) != n:
            raise ValueError("a unit appears twice in one year")

    def columns(self, codes: Sequence[str]) -> np.ndarray:
        idx = {c: j for j, c in enumerate(self.indicators)}
        missing = [c for c in codes if c not in idx]
        if missing:
            raise ValueError(f"no data for indicator(s) {', '.join(missing)}")
        return self.values[:, [idx[c] for c in codes]]


# ------------------------------------------------------------------ moments


def skewness(x: np.ndarray) -> np.ndarray:
    """Sample skewness per column, NaN ignored (e1071 type 2, Excel's SKEW; as COINr's `skew`)."""
    x = np.asarray(x, dtype=float)
    n = (~np.isnan(x)).sum(axis=0)
    d = x - np.nanmean(x, axis=0)
    m2, m3 = np.nansum(d**2, axis=0), np.nansum(d**3, axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        y = np.sqrt(n) * m3 / m2**1.5
        return y * np.sqrt(n * (n - 1)) / (n - 2)


def kurtosis(x: np.ndarray) -> np.ndarray:
    """Sample excess kurtosis per column (e1071 type 2, Excel's KURT; as COINr's `kurt`)."""
    x = np.asarray(x, dtype=float)
    n = (~np.isnan(x)).sum(axis=0)
    d = x - np.nanmean(x, axis=0)
    m2, m4 = np.nansum(d**2, axis=0), np.nansum(d**4, axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = n * m4 / m2**2
        return ((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))


def _moments(v: np.ndarray) -> tuple[float, float]:
    """Skewness and kurtosis of a 1-D array without missing values (the formulas above)."""
    n = len(v)
    d = v - v.mean()
    d2 = d * d
    m2 = float(d2.sum())
    if n < 4 or m2 == 0.0:
        return float("nan"), float("nan")
    m3, m4 = float(d2 @ d), float(d2 @ d2)
    s = np.sqrt(n) * m3 / m2**1.5 * np.sqrt(n * (n - 1)) / (n - 2)
    r = n * m4 / m2**2
    return float(s), float(((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3)))


def _passes(x: np.ndarray, spec: Treat) -> bool:
    """|skew| < threshold OR kurtosis < threshold (COINr `check_SkewKurt`)."""
    s, k = _moments(x)
    if np.isnan(s) or np.isnan(k):  # constant column: nothing to treat
        return True
    return bool(abs(s) < spec.skew or k < spec.kurtosis)


# ------------------------------------------------------------------ steps


def denominate(values: np.ndarray, tree: Tree, panel: Panel) -> np.ndarray:
    """Divide each indicator that names a denominator by that column (x / denominator)."""
    out = values.copy()
    for j, code in enumerate(tree.indicators):
        name = tree.nodes[code].denominator
        if not name:
            continue
        if name not in panel.denominators:
            raise ValueError(f"indicator {code}: no denominator column {name}")
        d = np.asarray(panel.denominators[name], dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            out[:, j] = np.where(d != 0, out[:, j] / d, np.nan)
    return out


def _group_fill(values: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Fill NaN with the mean of the non-missing values of the same key (per column)."""
    _, inv = np.unique(keys, return_inverse=True)
    ok = ~np.isnan(values)
    k = inv.max() + 1 if len(inv) else 0
    sums = np.zeros((k, values.shape[1]))
    counts = np.zeros((k, values.shape[1]))
    np.add.at(sums, inv, np.where(ok, values, 0.0))
    np.add.at(counts, inv, ok)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = sums / counts
    return np.where(ok, values, means[inv])


def impute(values: np.ndarray, method: Methodology, panel: Panel) -> np.ndarray:
    """Impute missing values (docs/indicators.md#impute).

    group_mean: the mean of the unit's group in the same year (COINr `i_mean_grp`);
    unit_mean_over_time: the mean of the unit's own values in the other years;
    none: leave missing values missing.
    """
    spec = method.impute
    if spec.method == "none":
        return values.copy()
    years = np.asarray(panel.years).astype(str)
    if spec.method == "group_mean":
        if spec.group is None or spec.group not in panel.groups:
            raise ValueError(f"impute.group: no group column {spec.group}")
        group = np.asarray(panel.groups[spec.group]).astype(str)
        return _group_fill(values, np.char.add(np.char.add(group, "\x1f"), years))
    if spec.method == "unit_mean_over_time":
        return _group_fill(values, np.asarray(panel.units).astype(str))
    raise ValueError(f"impute.method: unknown {spec.method}")


def availability(values: np.ndarray) -> np.ndarray:
    """Share of non-missing values per row."""
    if values.shape[1] == 0:
        return np.ones(values.shape[0])
    return (~np.isnan(values)).mean(axis=1)


def _winsorise(v: np.ndarray, spec: Treat) -> tuple[np.ndarray, np.ndarray]:
    """COINr's `winsorise`: while the column fails the skew/kurtosis test and fewer than
    `winmax` points are winsorised, set the highest value(s) to the next highest (positive
    skew) or the lowest to the next lowest (negative skew). Ties move together and count."""
    x = v.copy()
    flags = np.zeros(len(x), dtype=np.int8)
    imax = imin = np.zeros(0, dtype=int)
    nwin = 0
    passing = _passes(x, spec)
    while not passing and nwin < spec.winmax:
        if _moments(x)[0] >= 0:
            imax = np.flatnonzero(x == x.max())
            rest = np.delete(x, imax)
            if not len(rest):
                break
            x[imax] = rest.max()
        else:
            imin = np.flatnonzero(x == x.min())
            rest = np.delete(x, imin)
            if not len(rest):
                break
            x[imin] = rest.min()
        nwin = len(imax) + len(imin)
        passing = _passes(x, spec)
    flags[imax] = FLAG_WIN_HIGH
    flags[imin] = FLAG_WIN_LOW
    return x, flags


def _log_ct(v: np.ndarray) -> np.ndarray:
    """COINr's `log_CT`: ln(x − min + 0.01·(max − min))."""
    lo, hi = v.min(), v.max()
    with np.errstate(divide="ignore"):
        return np.log(v - lo + 0.01 * (hi - lo))


def treat_column(x: np.ndarray, spec: Treat) -> tuple[np.ndarray, np.ndarray]:
    """Treat one column (NaN ignored) — docs/indicators.md#treat.

    If |skew| ≥ `skew` and kurtosis ≥ `kurtosis`: winsorise up to `winmax` points; if it
    still fails, take ln(x − min + 0.01·(max − min)) of the *original* values instead.
    Returns the treated column and a flag per value (FLAG_*).
    """
    out = np.asarray(x, dtype=float).copy()
    flags = np.zeros(len(out), dtype=np.int8)
    ok = ~np.isnan(out)
    v = out[ok]
    if spec.method == "none" or len(v) < 4 or _passes(v, spec):
        return out, flags
    if spec.method in ("winsorise", "winsorise_log"):
        w, f = _winsorise(v, spec)
        if spec.method == "winsorise" or _passes(w, spec):
            out[ok], flags[ok] = w, f
            return out, flags
    out[ok] = _log_ct(v)
    flags[ok] = FLAG_LOG
    return out, flags


def treat(values: np.ndarray, spec: Treat, years: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`treat_column` for every indicator within every year."""
    out = values.copy()
    flags = np.zeros(values.shape, dtype=np.int8)
    if spec.method == "none":
        return out, flags
    for year in np.unique(years):
        rows = np.flatnonzero(years == year)
        block = values[rows]
        # the skew/kurtosis test for every column at once; only failing columns are treated
        s, k = skewness(block), kurtosis(block)
        n = (~np.isnan(block)).sum(axis=0)
        fails = (n >= 4) & (np.abs(s) >= spec.skew) & (k >= spec.kurtosis)
        for j in np.flatnonzero(fails):
            out[rows, j], flags[rows, j] = treat_column(block[:, j], spec)
    return out, flags


def _ranks_asc(x: np.ndarray) -> np.ndarray:
    """Ranks per column, ascending, ties sharing the lowest rank ("min"), NaN kept."""
    out = np.full(x.shape, np.nan)
    for j in range(x.shape[1]):
        col = x[:, j]
        ok = ~np.isnan(col)
        s = np.sort(col[ok])
        out[ok, j] = 1 + np.searchsorted(s, col[ok], side="left")
    return out


def _normalise_block(
    x: np.ndarray, spec: Normalise, targets: np.ndarray, directions: np.ndarray
) -> np.ndarray:
    """Normalise the columns of one block of rows (one year, or all years pooled)."""
    m = spec.method
    with np.errstate(invalid="ignore", divide="ignore"):
        if m == "min_max":
            lo, hi = np.nanmin(x, axis=0), np.nanmax(x, axis=0)
            span = hi - lo
            s = (x - lo) / np.where(span > 0, span, 1.0)
            s = np.where(span > 0, s, 0.5)  # a constant column carries no information
            return s * (spec.high - spec.low) + spec.low
        if m == "z_score":
            mean = np.nanmean(x, axis=0)
            sd = np.nanstd(x, axis=0, ddof=spec.ddof)
            z = np.where(sd > 0, (x - mean) / np.where(sd > 0, sd, 1.0), 0.0)
            return z * spec.sd + spec.mean
        if m == "rank":
            return _ranks_asc(x)
        if m == "percentile_rank":
            n = (~np.isnan(x)).sum(axis=0)
            return (_ranks_asc(x) - 1.0) / np.maximum(n - 1, 1) * spec.scale
        if m == "target_distance":
            t = targets * directions
            s = 1.0 - (t - x) / (t - np.nanmin(x, axis=0))
            return (np.minimum(s, 1.0) if spec.cap else s) * spec.scale
        if m == "target_share":
            raw = x * directions  # back to the original sign
            share = np.where(
                directions > 0,
                raw / targets,
                np.where(raw > 0, targets / np.where(raw > 0, raw, 1.0), 1.0),
            )
            share = np.maximum(share, 0.0)
            return (np.minimum(share, 1.0) if spec.cap else share) * spec.scale
    raise ValueError(f"normalise.method: unknown {m}")


def normalise(values: np.ndarray, tree: Tree, spec: Normalise, years: np.ndarray) -> np.ndarray:
    """Normalise every indicator (docs/indicators.md#normalise) after turning lower-is-better
    indicators round (x·direction, as COINr does), per year or over all years together."""
    directions = np.array([tree.nodes[c].direction for c in tree.indicators], dtype=float)
    targets = np.array(
        [np.nan if tree.nodes[c].target is None else tree.nodes[c].target for c in tree.indicators]
    )
    if spec.method.startswith("target"):
        missing = [c for c, t in zip(tree.indicators, targets, strict=True) if np.isnan(t)]
        if missing:
            raise ValueError(f"normalise: no target for {', '.join(missing)}")
        if spec.method == "target_share" and (targets <= 0).any():
            raise ValueError("normalise: a share of the target needs positive targets")
    x = values * directions
    if spec.across_years:
        return _normalise_block(x, spec, targets, directions)
    out = np.empty_like(x)
    for year in np.unique(years):
        rows = years == year
        out[rows] = _normalise_block(x[rows], spec, targets, directions)
    return out


def aggregate(children: np.ndarray, weights: np.ndarray, how: str) -> np.ndarray:
    """Weighted mean of the children (columns) into their parents (weights: children × parents),
    missing children left out and the weights of the rest rescaled (COINr `a_amean`, `a_gmean`,
    `a_hmean`). A parent with no child value is missing."""
    ok = ~np.isnan(children)
    den = ok.astype(float) @ weights
    with np.errstate(invalid="ignore", divide="ignore"):
        if how == "arithmetic":
            y = np.where(ok, children, 0.0) @ weights / den
        elif how in ("geometric", "harmonic"):
            if (children[ok] <= 0).any():
                raise ValueError(f"{how} aggregation needs positive scores")
            if how == "geometric":
                y = np.exp(np.where(ok, np.log(np.where(ok, children, 1.0)), 0.0) @ weights / den)
            else:
                y = den / (np.where(ok, 1.0 / np.where(ok, children, 1.0), 0.0) @ weights)
        else:
            raise ValueError(f"aggregate: unknown method {how}")
    return np.where(den > 0, y, np.nan)


def rank_desc(x: np.ndarray) -> np.ndarray:
    """Competition ranks of a 1-D array, 1 = highest, ties share the better rank, NaN kept.
    Values are rounded to 9 decimals first so floating-point noise does not split a tie."""
    out = np.full(len(x), np.nan)
    ok = ~np.isnan(x)
    v = np.round(x[ok], RANK_DECIMALS)
    s = np.sort(v)
    out[ok] = 1 + len(s) - np.searchsorted(s, v, side="right")
    return out


def rank_by_year(scores: np.ndarray, years: np.ndarray) -> np.ndarray:
    """`rank_desc` of every column within every year."""
    out = np.full(scores.shape, np.nan)
    for year in np.unique(years):
        rows = np.flatnonzero(years == year)
        for j in range(scores.shape[1]):
            out[rows, j] = rank_desc(scores[rows, j])
    return out


# ------------------------------------------------------------------ the whole pipeline


@dataclass
class PipelineResult:
    """Every stage of one run. Input-row arrays: raw_units, raw_years, raw, denominated,
    imputed, imputed_mask, availability, kept. Kept-row arrays (units/years of the kept rows): treated, treat_flags,
    normalised, scores and ranks (columns `tree.aggregates`)."""

    tree: Tree
    methodology: Methodology
    raw_units: np.ndarray
    raw_years: np.ndarray
    raw: np.ndarray
    denominated: np.ndarray
    imputed: np.ndarray
    imputed_mask: np.ndarray
    availability: np.ndarray
    kept: np.ndarray
    units: np.ndarray
    years: np.ndarray
    treated: np.ndarray
    treat_flags: np.ndarray
    normalised: np.ndarray
    scores: np.ndarray
    ranks: np.ndarray

    def score(self, code: str) -> np.ndarray:
        return self.scores[:, self.tree.aggregates.index(code)]

    def rank(self, code: str) -> np.ndarray:
        return self.ranks[:, self.tree.aggregates.index(code)]

    def table(self) -> tuple[list[str], list[list[object]]]:
        """Header and rows: uCode, (Time when several years), then `<node>_score`, `<node>_rank`
        for every aggregate of the tree, the index included."""
        multi = len(np.unique(self.years)) > 1
        header = ["uCode", *(["Time"] if multi else [])]
        for code in self.tree.aggregates:
            header += [f"{code}_score", f"{code}_rank"]
        rows = []
        for i, unit in enumerate(self.units):
            row: list[object] = [unit, *([int(self.years[i])] if multi else [])]
            for j in range(len(self.tree.aggregates)):
                s, r = self.scores[i, j], self.ranks[i, j]
                row += [None if np.isnan(s) else float(s), None if np.isnan(r) else int(r)]
            rows.append(row)
        return header, rows


def aggregate_tree(
    normalised: np.ndarray,
    tree: Tree,
    method: Methodology,
    weights: Mapping[str, float] | None = None,
) -> np.ndarray:
    """Scores of every aggregate (columns `tree.aggregates`), level by level."""
    current = normalised
    out = []
    for level in range(1, len(tree.levels)):
        w = tree.weight_matrix(level, weights)
        current = aggregate(current, w, method.aggregation_for(level))
        out.append(current)
    return np.hstack(out)


def run(tree: Tree, method: Methodology, panel: Panel) -> PipelineResult:
    """Run every step of `method` on `panel` over `tree` (see the module docstring)."""
    if method.exclude:
        tree = tree.without(method.exclude)
    if method.weights:
        unknown = set(method.weights) - set(tree.nodes)
        if unknown:
            raise ValueError(f"weights: unknown node(s) {', '.join(sorted(unknown))}")
        tree = tree.with_weights(method.weights)
    years = np.asarray(panel.years)
    raw = panel.columns(tree.indicators)
    den = denominate(raw, tree, panel) if method.denominate else raw.copy()
    imp = impute(den, method, panel)
    avail = availability(imp)
    kept = avail >= method.screen.min_availability - 1e-12
    if not kept.any():
        raise ValueError("screen: no unit has enough data")
    k_years = years[kept]
    treated, flags = treat(imp[kept], method.treat, k_years)
    norm = normalise(treated, tree, method.normalise, k_years)
    scores = aggregate_tree(norm, tree, method)
    return PipelineResult(
        tree=tree,
        methodology=method,
        raw_units=np.asarray(panel.units),
        raw_years=years,
        raw=raw,
        denominated=den,
        imputed=imp,
        imputed_mask=np.isnan(den) & ~np.isnan(imp),
        availability=avail,
        kept=kept,
        units=np.asarray(panel.units)[kept],
        years=k_years,
        treated=treated,
        treat_flags=flags,
        normalised=norm,
        scores=scores,
        ranks=rank_by_year(scores, k_years),
    )


def rerun(result: PipelineResult, method: Methodology, panel: Panel) -> PipelineResult:
    """`run(tree, method, panel)`, reusing `result`'s treated data when `method` differs from
    the one that produced it only in normalisation or aggregation (same data steps)."""
    old = result.methodology
    same = all(
        getattr(old, f) == getattr(method, f)
        for f in ("denominate", "impute", "screen", "treat", "exclude", "weights")
    )
    if not same:
        return run(result.tree, method, panel)
    norm = normalise(result.treated, result.tree, method.normalise, result.years)
    scores = aggregate_tree(norm, result.tree, method)
    return dataclasses.replace(
        result,
        methodology=method,
        normalised=norm,
        scores=scores,
        ranks=rank_by_year(scores, result.years),
    )


def rank_changes_on_rounding(
    tree: Tree, method: Methodology, panel: Panel, decimals: int | Sequence[int]
) -> int:
    """How many index ranks change when the raw values are rounded to `decimals` places (one
    number, or one per column of `panel.values`, each indicator to the decimals it is shown
    with): the check behind the warning that stored precision would change the ranking."""
    full = run(tree, method, panel)
    scale = 10.0 ** np.broadcast_to(np.asarray(decimals, dtype=float), panel.values.shape[1:])
    rounded = Panel(
        units=panel.units,
        values=np.round(panel.values * scale) / scale,
        indicators=panel.indicators,
        years=panel.years,
        denominators=panel.denominators,
        groups=panel.groups,
    )
    short = run(tree, method, rounded)
    a, b = full.rank(full.tree.root), short.rank(short.tree.root)
    if len(a) != len(b) or (full.units != short.units).any():
        return int(len(a))
    return int((a != b).sum())
