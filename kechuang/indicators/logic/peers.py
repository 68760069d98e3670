"""Synthetic peer-region values for the demo, placed so that the engine ranks the home region
where the demo needs it (pure: numpy only).

Peers are drawn around the home region's values; peers meant to rank above the home region
start stronger, the others weaker, with per-indicator noise so that no peer dominates the home
region on every indicator. Then peers on the wrong side of the home region are nudged, a few
per cent at a time, until `composite_index` itself puts the home region at the wanted ranks.
The rank is therefore a result of the engine over the stored values, never a typed number.
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
    spread: float = 0.35,
    noise: float = 0.25,
    step: float = 0.02,
    max_rounds: int = 2000,
) -> np.ndarray:
    """Values of the peers (rows, in the order of `in_city`) × indicators such that the home
    region ranks `rank_province` among home + peers and `rank_city` among home + city peers.

    home: the home region's values (they are not changed). Returns the peers' matrix, rounded
    to `decimals` and capped by `caps` (e.g. 100 for a percentage). Raises ValueError when the
    ranks cannot be reached (more regions above than exist).
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

    def values() -> np.ndarray:
        o = offset * dirs
        raw = safe_home * np.exp(o)
        # A bounded indicator (e.g. a share in %) approaches its cap without reaching it, so
        # peers do not pile up at 100 %: above the home value, cap − (cap − home)·e^(−o).
        bounded = np.isfinite(cap_arr) & (safe_home < cap_arr)
        finite_cap = np.where(bounded, cap_arr, 0.0)
        near = np.where(bounded, finite_cap - (finite_cap - safe_home) * np.exp(-o), raw)
        return _round(np.where((o > 0) & bounded, near, raw), decimals, caps)

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
