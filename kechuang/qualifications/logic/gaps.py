"""Gap ("reachable") analysis (docs/qualification-rules.md#gaps).

Closed forms (all exact; money gaps are rounded **up** to the whole fen, so applying the gap
always makes the condition pass — rounding happens only after the comparison logic):

* H5 – extra 高企-scope R&D over the three years at current sales:
  ``band · ΣS − ΣRD`` (国科发火〔2016〕32号 第十一条(五)).
* H5b – extra domestic R&D ``d`` with ``(D + d)/(R + d) >= 0.60``: ``(0.6R − D)/0.4``.
* H4 – new S&T staff ``x`` with ``(T + x)/(E + x) >= 0.10``: ``x = (0.10·E − T)/0.9``.
* H6 – new high-tech income ``h`` with ``(H + h)/(I + h) >= 0.60``: ``(0.6I − H)/0.4``.
* C5 (tech-SME score < 60 or tech-staff score 0) – the cheapest set of band moves that
  reaches 60 points with a non-zero staff score (115号 第六条(五), 第七条).  "Cheapest" uses the
  configurable cost weights ``gap.cost_weights`` (an engine heuristic, **not** policy).
"""

from __future__ import annotations

import math
from fractions import Fraction
from functools import lru_cache
from itertools import product

from .rulesets import RuleSet

FEN_PER_WAN = 1_000_000  # 1 万元 = 10,000 yuan = 1,000,000 fen


def ceil_int(x: Fraction) -> int:
    """Smallest integer >= x."""
    return -math.floor(-x)


def ceil_fen(wan: Fraction) -> int:
    """Smallest whole number of fen >= ``wan`` 万元."""
    return ceil_int(Fraction(wan) * FEN_PER_WAN)


def new_items_gap(num_: Fraction, den_: Fraction, threshold: Fraction) -> Fraction:
    """Smallest ``x`` with ``(num + x)/(den + x) >= threshold`` (adding to both sides)."""
    return max(Fraction(0), (threshold * den_ - num_) / (1 - threshold))


@lru_cache(maxsize=8)
def _targets(
    staff_pts: tuple[int, ...], rd_pts: tuple[int, ...], ip_pts: tuple[int, ...], need: int
):
    feasible = [c for c in product(staff_pts, rd_pts, ip_pts) if c[0] > 0 and sum(c) >= need]
    minimal = [
        c
        for c in feasible
        if not any(o != c and all(o[i] <= c[i] for i in range(3)) for o in feasible)
    ]
    return tuple(sorted(minimal))


def tech_sme_targets(rs: RuleSet) -> tuple[tuple[int, int, int], ...]:
    """Minimal (staff, rd, ip) point targets that pass C5 (fixed order = tie-break order)."""
    staff = tuple(sorted({0} | {int(p) for _, p in rs.v("tsn.staff_bands")}))
    rd = tuple(
        sorted(
            {0}
            | {int(p) for _, p in rs.v("tsn.rd_sales_bands")}
            | {int(p) for _, p in rs.v("tsn.rd_cost_bands")}
        )
    )
    ip = tuple(sorted({0} | {int(b[2]) for b in rs.v("tsn.ip_bands")}))
    return _targets(staff, rd, ip, int(rs.v("tsn.pass_score")))


def cost_weights_fen(rs: RuleSet) -> dict[str, int]:
    """Cost weights in fen per unit (R&D weight per fen of R&D)."""
    w = rs.v("gap.cost_weights")
    out = {
        "staff": Fraction(w["tech_staff_person"]) * FEN_PER_WAN,
        "ip2": Fraction(w["ip_class2_item"]) * FEN_PER_WAN,
        "ip1": Fraction(w["ip_class1_item"]) * FEN_PER_WAN,
        "rd": Fraction(w["rd_wan"]),
    }
    if any(v.denominator != 1 for v in out.values()):
        raise ValueError("gap.cost_weights must be whole fen per unit")
    return {k: int(v) for k, v in out.items()}


def staff_threshold(rs: RuleSet, points: int) -> Fraction | None:
    """Lowest staff ratio giving at least ``points`` (None for 0 points)."""
    cands = [Fraction(r) for r, p in rs.v("tsn.staff_bands") if p >= points]
    return min(cands) if points > 0 else None


def ratio_threshold(bands: list, points: int) -> Fraction | None:
    """Lowest ratio in ``bands`` giving at least ``points``."""
    cands = [Fraction(r) for r, p in bands if p >= points]
    return min(cands) if cands and points > 0 else None


def tech_sme_gaps(
    rs: RuleSet,
    *,
    tech_staff: int,
    employees: int,
    staff_points: int,
    rd_fen: Fraction | None,
    sales_fen: Fraction | None,
    cost_fen: Fraction | None,
    rd_points: int,
    ip1: int,
    ip2: int,
    ip_points: int,
) -> dict[str, int] | None:
    """Cheapest band moves reaching 60 points with staff points > 0 (None if unreachable).

    Returns ``{"tech_staff": persons, "rd_fen": fen, "rd_via": 0|1|2, "ip_class2": n,
    "ip_class1": n, "cost_fen": total}`` — ``rd_via`` 1 = R&D/sales, 2 = R&D/cost, 0 = none.
    Hiring S&T staff also raises the headcount; extra R&D also raises the cost total.
    """
    w = cost_weights_fen(rs)
    ip_bands = rs.v("tsn.ip_bands")
    best: dict[str, int] | None = None
    for s_t, r_t, i_t in tech_sme_targets(rs):
        # staff
        x = 0
        if staff_points < s_t:
            thr = staff_threshold(rs, s_t)
            x = max(1, ceil_int(new_items_gap(Fraction(tech_staff), Fraction(employees), thr)))
        # R&D
        y, via = 0, 0
        if rd_points < r_t:
            options = []
            t1 = ratio_threshold(rs.v("tsn.rd_sales_bands"), r_t)
            if rd_fen is not None and sales_fen is not None and sales_fen > 0 and t1 is not None:
                options.append((max(1, ceil_int(t1 * sales_fen - rd_fen)), 1))
            t2 = ratio_threshold(rs.v("tsn.rd_cost_bands"), r_t)
            if rd_fen is not None and cost_fen is not None and cost_fen > 0 and t2 is not None:
                options.append((max(1, ceil_int(new_items_gap(rd_fen, cost_fen, t2))), 2))
            if not options:
                continue
            y, via = min(options)
        # IP
        a1 = a2 = 0
        if ip_points < i_t:
            need2 = min(
                (int(n) for k, n, p in ip_bands if k == "class2" and p >= i_t), default=None
            )
            opts = []
            if need2 is not None:
                opts.append(((need2 - ip2) * w["ip2"], 0, need2 - ip2))
            opts.append((w["ip1"], 1, 0))
            cost_ip, a1, a2 = min(opts, key=lambda o: o[0])
        cost = x * w["staff"] + y * w["rd"] + a1 * w["ip1"] + a2 * w["ip2"]
        if best is None or cost < best["cost_fen"]:
            best = {
                "tech_staff": x,
                "rd_fen": y,
                "rd_via": via,
                "ip_class2": a2,
                "ip_class1": a1,
                "cost_fen": cost,
            }
    return best
