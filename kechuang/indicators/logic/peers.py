"""Synthetic peer-region values for the demo, placed so that the engine ranks the home region
where the demo needs it (pure: numpy only).

Peers are drawn around the home region's values; peers meant to rank above the home region
start stronger, the others weaker, with per-indicator noise so that no peer dominates the home
region on every indicator. Then peers on the wrong side of the home region are nudged, a few
per cent at a time, until `composite_index` itself puts the home region at the wanted ranks.
The rank is therefore a result of the engine over the stored values, never a typed number.

Plausible ranges: an indicator may carry bounds (low, high), e.g. an R&D intensity of a county
between 1.5 % and 5 %. Values then approach a bound smoothly without ever passing it
(low + (home − low)·e^(k·o) below the home value, high − (high − home)·e^(−k·o) above), with
the slope of the unbounded curve at the home value, so nudging still moves every peer and no
peer lands on an absurd figure however far it is nudged.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .compute import composite_index

__all__ = ["place_home"]


def _round(values: np.ndarray, decimals: Sequence[int], caps: Sequence[float | None]) -> np.ndarray:
    out = values.copy()
    for j, (d, cap) in enumerate(zip(decimals, caps, strict=True)):
        col = np.maximum(out[:, j], 0.0)
        if cap is not None:
            col = np.minimum(col, cap)
        out[:, j] = np.round(col, d)
    return out


def place_home(
    home: Sequence[float],
    directions: Sequence[int],
    weights: Sequence[float],
    *,
    in_city: Sequence[bool],
    rank_province: int,
    rank_city: int,
    rng: np.random.Generator,
    normalisation: str = "min_max",
    aggregation: str = "arithmetic",
    targets: Sequence[float | None] | None = None,
    decimals: Sequence[int] | None = None,
    caps: Sequence[float | None] | None = None,
    bounds: Sequence[tuple[float, float] | None] | None = None,
    spread: float = 0.35,
    noise: float = 0.25,
    step: float = 0.02,
    max_rounds: int = 2000,
) -> np.ndarray:
    """Values of the peers (rows, in the order of `in_city`) × indicators such that the home
    region ranks `rank_province` among home + peers and `rank_city` among home + city peers.

    home: the home region's values (they are not changed). Returns the peers' matrix, rounded
    to `decimals` and capped by `caps` (e.g. 100 for a percentage); with `bounds` (low, high)
    per indicator, every peer value lies within [low, high] (widened to take in the home
    value, from half to one and a half of it, when it lies outside). Raises ValueError when the ranks cannot be reached (more
    regions above than exist).
    """
    home = np.asarray(home, dtype=float)
    dirs = np.asarray(directions, dtype=float)
    city = np.asarray(in_city, dtype=bool)
    k = len(home)
    decimals = list(decimals or [2] * k)
    caps = list(caps or [None] * k)
    above_city, above_other = rank_city - 1, rank_province - rank_city
    if above_city > city.sum() or above_other > (~city).sum() or above_other < 0:
        raise ValueError("ranks not reachable with these peers")
    want_above = np.zeros(len(city), dtype=bool)
    want_above[rng.choice(np.flatnonzero(city), above_city, replace=False)] = True
    want_above[rng.choice(np.flatnonzero(~city), above_other, replace=False)] = True
    side = np.where(want_above, 1.0, -1.0)
    base = np.abs(rng.normal(0.0, spread, len(city))) * side
    # log-scale offsets per peer and indicator, positive = better than the home region
    offset = base[:, None] + rng.normal(0.0, noise, (len(city), k))
    safe_home = np.where(home > 0, home, 1.0)

    cap_arr = np.array([c if c is not None else np.inf for c in caps], dtype=float)
    bounds = list(bounds or [None] * k)
    has_bounds = np.array([b is not None for b in bounds])
    # A home value outside its range widens the range around it (to half or one and a half of
    # the home value); a home value inside leaves the range as it is.
    lows = np.array(
        [
            (min(b[0], h / 2) if h < b[0] else b[0]) if b else 0.0
            for b, h in zip(bounds, safe_home, strict=True)
        ]
    )
    highs = np.array(
        [
            (max(b[1], h * 1.5) if h > b[1] else b[1]) if b else 1.0
            for b, h in zip(bounds, safe_home, strict=True)
        ]
    )
    # Slopes that match the unbounded curve home·e^o at o = 0 (guarded for home on a bound).
    k_up = safe_home / np.maximum(highs - safe_home, 1e-9)
    k_down = safe_home / np.maximum(safe_home - lows, 1e-9)

    def values() -> np.ndarray:
        o = offset * dirs
        raw = safe_home * np.exp(o)
        # A bounded indicator (e.g. a share in %) approaches its cap without reaching it, so
        # peers do not pile up at 100 %: above the home value, cap − (cap − home)·e^(−o).
        bounded = np.isfinite(cap_arr) & (safe_home < cap_arr)
        finite_cap = np.where(bounded, cap_arr, 0.0)
        near = np.where(bounded, finite_cap - (finite_cap - safe_home) * np.exp(-o), raw)
        out = np.where((o > 0) & bounded, near, raw)
        if has_bounds.any():
            up = highs - (highs - safe_home) * np.exp(-np.clip(k_up * o, -700, 700))
            down = lows + (safe_home - lows) * np.exp(np.clip(k_down * o, -700, 700))
            out = np.where(has_bounds, np.where(o > 0, up, down), out)
        return _round(out, decimals, caps)

    for _round_no in range(max_rounds):
        peers = values()
        result = composite_index(
            np.vstack([home, peers]),
            directions,
            weights,
            normalisation=normalisation,
            aggregation=aggregation,
            targets=targets,
        )
        above = result.ranks[1:] < result.ranks[0]
        wrong = above != want_above
        # A tie with the home region counts as "not above" for a peer that should be below,
        # but a peer that should be above must be strictly above.
        if not wrong.any():
            return peers
        offset[wrong] += step * side[wrong, None]
    raise ValueError("could not place the home region at the wanted ranks")
