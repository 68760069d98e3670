"""The composite index, transparently: normalise each indicator, weight, aggregate, rank.

Inputs are plain arrays: a matrix of values (regions × indicators), one direction per indicator
(+1 higher is better, −1 lower is better), weights and optional targets. Nothing here knows about
Django or the database, so one call scores every region of a year and tests need no database.

The methods follow the OECD/JRC *Handbook on Constructing Composite Indicators* (2008), §5–6:
min–max and z-score normalisation, distance to a reference (here the indicator's target), linear
(arithmetic) and geometric aggregation, and uncertainty analysis by random weights.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = [
    "NORMALISATIONS",
    "AGGREGATIONS",
    "IndexResult",
    "SensitivityResult",
    "min_max",
    "z_score",
    "distance_to_target",
    "normalise",
    "to_positive",
    "arithmetic",
    "geometric",
    "aggregate",
    "contributions",
    "ranks",
    "composite_index",
    "sensitivity_draws",
    "rank_intervals",
]

NORMALISATIONS = ("min_max", "z_score", "distance_to_target")
AGGREGATIONS = ("arithmetic", "geometric")


# ------------------------------------------------------------------ normalisation


def min_max(values: Sequence[float], direction: int = 1) -> np.ndarray:
    """(x − min) / (max − min), in [0, 1]; for lower-is-better, (max − x) / (max − min).

    A column where every region has the same value carries no information: every region gets 0.5.
    """
    x = np.asarray(values, dtype=float)
    lo, hi = x.min(), x.max()
    if hi == lo:
        return np.full_like(x, 0.5)
    s = (x - lo) / (hi - lo)
    return s if direction >= 0 else 1.0 - s


def z_score(values: Sequence[float], direction: int = 1) -> np.ndarray:
    """(x − mean) / standard deviation (population, ddof = 0), sign flipped for lower-is-better.

    A constant column gives 0 for every region.
    """
    x = np.asarray(values, dtype=float)
    sd = x.std()
    if sd == 0:
        return np.zeros_like(x)
    z = (x - x.mean()) / sd
    return z if direction >= 0 else -z


def distance_to_target(values: Sequence[float], target: float, direction: int = 1) -> np.ndarray:
    """Share of the target reached, capped at 1: min(x / target, 1) when higher is better,
    min(target / x, 1) when lower is better (x ≤ 0 then counts as the target reached).

    Raises ValueError if the target is not positive (a share of it means nothing then).
    """
    if target is None or not target > 0:
        raise ValueError("distance to target needs a positive target")
    x = np.asarray(values, dtype=float)
    if direction >= 0:
        s = x / target
    else:
        with np.errstate(divide="ignore"):
            s = np.where(x > 0, target / np.where(x > 0, x, 1.0), 1.0)
    return np.minimum(np.maximum(s, 0.0), 1.0)


def normalise(
    matrix: np.ndarray,
    directions: Sequence[int],
    method: str,
    targets: Sequence[float | None] | None = None,
) -> np.ndarray:
    """Normalise every column of `matrix` (regions × indicators) with `method`."""
    m = np.asarray(matrix, dtype=float)
    out = np.empty_like(m)
    for j, d in enumerate(directions):
        if method == "min_max":
            out[:, j] = min_max(m[:, j], d)
        elif method == "z_score":
            out[:, j] = z_score(m[:, j], d)
        elif method == "distance_to_target":
            out[:, j] = distance_to_target(m[:, j], (targets or [None] * m.shape[1])[j], d)
        else:
            raise ValueError(f"unknown normalisation {method!r}")
    return out


def to_positive(scores: np.ndarray, method: str) -> np.ndarray:
    """Map normalised scores onto a positive scale for geometric aggregation.

    Geometric means need strictly positive inputs, and a 0 would wipe out a region's index. As
    Chinese provincial evaluations commonly do, min–max and target scores go to [1, 100]
    (1 + 99·s) and z-scores to 100 + 10·z, floored at 1.
    """
    s = np.asarray(scores, dtype=float)
    if method == "z_score":
        return np.maximum(100.0 + 10.0 * s, 1.0)
    return 1.0 + 99.0 * s


# ------------------------------------------------------------------ aggregation


def _weights(weights: Sequence[float]) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    if (w < 0).any() or w.sum() <= 0:
        raise ValueError("weights must be non-negative and not all zero")
    return w / w.sum()


def arithmetic(scores: np.ndarray, weights: Sequence[float]) -> np.ndarray:
    """Σ wᵢ·sᵢ per row, with the weights rescaled to sum to 1."""
    return np.asarray(scores, dtype=float) @ _weights(weights)


def geometric(scores: np.ndarray, weights: Sequence[float]) -> np.ndarray:
    """Π sᵢ^wᵢ per row (weights rescaled to sum to 1); every score must be positive.

    Raises ValueError on a non-positive score (see `to_positive`).
    """
    s = np.asarray(scores, dtype=float)
    if (s <= 0).any():
        raise ValueError("geometric aggregation needs positive scores")
    return np.exp(np.log(s) @ _weights(weights))


def aggregate(scores: np.ndarray, weights: Sequence[float], method: str) -> np.ndarray:
    if method == "arithmetic":
        return arithmetic(scores, weights)
    if method == "geometric":
        return geometric(scores, weights)
    raise ValueError(f"unknown aggregation {method!r}")


def contributions(scores: np.ndarray, weights: Sequence[float], method: str) -> np.ndarray:
    """Each indicator's part of each region's index, relative to the peer-group average.

    Arithmetic: wᵢ·(sᵢ − mean sᵢ); the row sums to index − mean index.
    Geometric: wᵢ·(ln sᵢ − mean ln sᵢ); the row sums to ln(index) − mean ln(index).
    A positive part lifts the region above the average region, a negative one drags it down.
    """
    s = np.asarray(scores, dtype=float)
    w = _weights(weights)
    if method == "geometric":
        s = np.log(s)
    return (s - s.mean(axis=0)) * w


def ranks(index: Sequence[float], *, decimals: int = 9) -> np.ndarray:
    """Competition ranks (1 = best; ties share the better rank: 1, 2, 2, 4).

    Values are rounded to `decimals` first, so floating-point noise does not split a tie.
    """
    x = np.round(np.asarray(index, dtype=float), decimals)
    return np.array([1 + int((x > v).sum()) for v in x])


# ------------------------------------------------------------------ one index


@dataclass(frozen=True)
class IndexResult:
    """The index of every region: scores (normalised, regions × indicators), index, ranks in
    the whole group and contributions (see `contributions`)."""

    scores: np.ndarray
    index: np.ndarray
    ranks: np.ndarray
    contributions: np.ndarray


def composite_index(
    matrix: np.ndarray,
    directions: Sequence[int],
    weights: Sequence[float],
    *,
    normalisation: str = "min_max",
    aggregation: str = "arithmetic",
    targets: Sequence[float | None] | None = None,
) -> IndexResult:
    """Normalise, (for geometric) shift to a positive scale, aggregate and rank.

    The arithmetic index of min–max or target scores is reported on a 0–100 scale.
    """
    scores = normalise(matrix, directions, normalisation, targets)
    if aggregation == "geometric":
        scores = to_positive(scores, normalisation)
        index = geometric(scores, weights)
    else:
        index = arithmetic(scores, weights)
        if normalisation != "z_score":
            scores = scores * 100.0
            index = index * 100.0
    return IndexResult(
        scores=scores,
        index=index,
        ranks=ranks(index),
        contributions=contributions(scores, weights, aggregation),
    )


# ------------------------------------------------------------------ sensitivity


@dataclass(frozen=True)
class SensitivityResult:
    """Ranks within one group over the draws (draws × group regions), and per region of the
    group the median rank and the central interval [low, high] covering `coverage` of draws."""

    draw_ranks: np.ndarray
    median: np.ndarray
    low: np.ndarray
    high: np.ndarray
    coverage: float


def sensitivity_draws(
    matrix: np.ndarray,
    directions: Sequence[int],
    weights: Sequence[float],
    *,
    aggregation: str = "arithmetic",
    normalisations: Sequence[str] = ("min_max", "z_score"),
    targets: Sequence[float | None] | None = None,
    draws: int = 500,
    seed: int = 2024,
    concentration: float = 50.0,
    noise: float | None = None,
) -> np.ndarray:
    """The index of every region (columns) in each of `draws` random variants of the method.

    Each draw perturbs the weights and picks one normalisation uniformly from `normalisations`.
    With `noise` f, every weight is multiplied by 1 + U(−f, f) (COINr `get_noisy_weights`), so
    each weight varies by f/√3 whatever the number of indicators (docs/indicators.md#sensitivity);
    without it, weights come from a Dirichlet distribution centred on `weights` (parameters α·w),
    whose spread per weight grows with the number of indicators. Same seed, same draws.
    """
    m = np.asarray(matrix, dtype=float)
    w = _weights(weights)
    rng = np.random.default_rng(seed)
    pre = {method: normalise(m, directions, method, targets) for method in normalisations}
    if aggregation == "geometric":
        pre = {method: np.log(to_positive(s, method)) for method, s in pre.items()}
    alpha = np.maximum(concentration * w, 1e-3)
    out = np.empty((draws, m.shape[0]))
    for k in range(draws):
        if noise is None:
            wk = rng.dirichlet(alpha)
        else:
            wk = w * (1.0 + rng.uniform(-noise, noise, len(w)))
            wk = wk / wk.sum()
        method = normalisations[int(rng.integers(len(normalisations)))]
        out[k] = pre[method] @ wk  # ln of the geometric index: same order
    return out


def rank_intervals(
    draw_index: np.ndarray, mask: Sequence[bool] | None = None, coverage: float = 0.9
) -> SensitivityResult:
    """Ranks within the regions of `mask` (default all) in every draw, with each region's
    median rank and the central `coverage` interval (e.g. 0.9: the 5th to 95th percentile)."""
    d = np.asarray(draw_index, dtype=float)
    if mask is not None:
        d = d[:, np.asarray(mask, dtype=bool)]
    x = np.round(d, 9)
    r = 1 + (x[:, None, :] > x[:, :, None]).sum(axis=2)  # per draw: regions strictly better
    tail = (1.0 - coverage) / 2.0
    return SensitivityResult(
        draw_ranks=r,
        median=np.median(r, axis=0),
        low=np.floor(np.quantile(r, tail, axis=0)).astype(int),
        high=np.ceil(np.quantile(r, 1.0 - tail, axis=0)).astype(int),
        coverage=coverage,
    )
