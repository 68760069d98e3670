"""High-tech enterprise recognition (高新技术企业认定), docs/qualification-rules.md#high-tech-enterprise.

Sources: 《高新技术企业认定管理办法》 国科发火〔2016〕32号 第十一条 (conditions H1–H8) and
《高新技术企业认定管理工作指引》 国科发火〔2016〕195号 §三 (definitions, headcount method,
innovation-capability scoring).  ``A`` = application year; ``Y1..Y3 = A-3..A-1``.

Engine conventions (documented, not policy): a zero denominator (Σ sales, Σ R&D, total
income net of non-taxable income, average employees) makes the condition ``unknown`` with the
note ``zero denominator`` (manual review).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from .conditions import cond, in_band, negate, ratio, tier_status
from .gaps import FEN_PER_WAN, ceil_fen, new_items_gap
from .rulesets import RuleSet

ZERO_DEN = "zero denominator: manual review"
# The most points of the achievement-conversion part and of each growth index: the range an
# unknown input leaves open (docs/qualification-rules.md, "Achievement conversion", "Growth").
CONVERSION_MAX_POINTS = 30
GROWTH_MAX_POINTS = 10


def operated_years(f: dict[str, Any]) -> list[int]:
    """Indices (1..3) of Y1..Y3 the enterprise operated in (docs/qualification-rules.md#basic-conditions: sums over the years operated).

    Year ``Yi`` counts when the registration year is <= Yi; with an unknown registration date a
    year counts when its sales figure is present.
    """
    reg = f["registration_date"]
    a = f["application_date"].year
    years = []
    for i in (1, 2, 3):
        y = a - 4 + i
        if reg is not None:
            if reg.year <= y:
                years.append(i)
        elif f[f"y{i}_sales_revenue"] is not None:
            years.append(i)
    return years


def h5_facts(f: dict[str, Any], rs: RuleSet) -> dict[str, Any]:
    """H5/H5b inputs: 3-year sums over operated years and the band of Y3 sales (32号 第十一条(五))."""
    years = operated_years(f)
    out: dict[str, Any] = {"years": years, "ok": None, "ratio": None, "band": None, "note": None}
    s3 = f["y3_sales_revenue"]
    if s3 is not None:
        for upper, rate in rs.v("ht.rd_bands"):
            if upper is None or s3 <= upper:
                out["band"] = rate
                break
    sales = [f[f"y{i}_sales_revenue"] for i in years]
    rd = [f[f"y{i}_rd_expense_hnte"] for i in years]
    dom = [f[f"y{i}_rd_expense_hnte_domestic"] for i in years]
    out["sum_sales"] = None if not years or None in sales else sum(sales, Fraction(0))
    out["sum_rd"] = None if not years or None in rd else sum(rd, Fraction(0))
    out["sum_dom"] = None if not years or None in dom else sum(dom, Fraction(0))
    if out["sum_sales"] is not None and out["sum_rd"] is not None:
        if out["sum_sales"] == 0:
            out["note"] = ZERO_DEN
        else:
            out["ratio"] = out["sum_rd"] / out["sum_sales"]
            if out["band"] is not None:
                out["ok"] = out["ratio"] >= out["band"]
    return out


def growth(values: list[Fraction | None]) -> tuple[str, Fraction | None]:
    """Growth rate of 195号 §三(七)4 over the operated years' values.

    Returns ``("rate", g)``, ``("zero", None)`` (the item scores 0 by rule), or
    ``("unknown", None)``.  Three years: ``½(X2/X1 + X3/X2) − 1``; X1 <= 0 → ``X3/X2 − 1``;
    X2 <= 0 → 0 points.  Two years: ``Xb/Xa − 1`` (UNCONFIRMED); one year: 0 points.
    Negative year-1/2 values are treated like zero (UNCONFIRMED, docs/qualification-rules.md#growth).
    """
    if len(values) <= 1:
        return "zero", None
    if any(v is None for v in values):
        return "unknown", None
    if len(values) == 3:
        x1, x2, x3 = values
        if x2 <= 0:
            return "zero", None
        if x1 <= 0:
            return "rate", x3 / x2 - 1
        return "rate", (x2 / x1 + x3 / x2) / 2 - 1
    xa, xb = values
    if xa <= 0:
        return "zero", None
    return "rate", xb / xa - 1


def growth_band(kind: str, g: Fraction | None, rs: RuleSet) -> tuple[int, int] | None:
    """Points range for a growth rate (None = unknown)."""
    if kind == "unknown":
        return None
    if kind == "zero" or g <= 0:
        return 0, 0
    for threshold, lo, hi in rs.v("ht.growth_bands"):
        if g >= threshold:
            return int(lo), int(hi)
    lo, hi = rs.v("ht.growth_positive_below_bands")
    return int(lo), int(hi)


def innovation(f: dict[str, Any], rs: RuleSet) -> dict[str, Any]:
    """Innovation-capability range (195号 §三(七)); expert items absent → full official range."""
    years = operated_years(f)
    deterministic_unknown = False
    warnings: list[str] = []
    mx = rs.v("ht.ip_maxima")
    # 1. IP (<= 30 incl. bonus)
    c1, c2u = f["ip_class1_count"], f["ip_class2_unused_count"]
    if c1 is None or c2u is None:
        q = (0, int(mx["quantity"]))
        deterministic_unknown = True
    else:
        q = (0, 0)
        for kind, n, lo, hi in rs.v("ht.ip_quantity_bands"):
            if (c1 if kind == "class1" else c2u) >= n:
                q = (int(lo), int(hi))
                break
    q = in_band(f["ex_ip_quantity"], *q)
    acq_r = rs.v("ht.ip_acquisition_ranges")
    if c1 is None or c2u is None:
        acq = (0, int(mx["acquisition"]))
    elif c1 + c2u == 0:
        acq = tuple(acq_r["none"])
    elif f["ip_self_developed"] is False:
        acq = tuple(acq_r["acquired_only"])
    else:
        acq = tuple(acq_r["self_developed"])
    acq = in_band(f["ex_ip_acquisition"], int(acq[0]), int(acq[1]))
    adv = in_band(f["ex_ip_advancement"], 0, int(mx["advancement"]))
    core = in_band(f["ex_ip_core_support"], 0, int(mx["core_support"]))
    bonus = in_band(f["ex_ip_standards_bonus"], 0, int(mx["standards_bonus"]))
    parts = (adv, core, q, acq, bonus)
    cap = int(mx["cap"])
    ip = (min(cap, sum(p[0] for p in parts)), min(cap, sum(p[1] for p in parts)))
    # 2. conversion
    n = f["conversions_3y"]
    if n is None:
        conv = (0, CONVERSION_MAX_POINTS)
        deterministic_unknown = True
    else:
        d = len(years) if 1 <= len(years) < 3 else 3
        avg = Fraction(n, d)
        conv = (0, 0)
        for threshold, lo, hi in rs.v("ht.conversion_bands"):
            if avg >= threshold:
                conv = (int(lo), int(hi))
                break
        else:
            if avg > 0:
                conv = tuple(int(x) for x in rs.v("ht.conversion_below_one"))
    conv = in_band(f["ex_conversion"], *conv)
    # 3. R&D management
    mg = [in_band(f[f"ex_rd_mgmt_{i}"], 0, m) for i, m in enumerate(rs.v("ht.rd_mgmt_maxima"), 1)]
    mgmt = (sum(m[0] for m in mg), sum(m[1] for m in mg))
    # 4. growth
    gparts = []
    rates: dict[str, Any] = {}
    for key, field, ex in (
        ("net_assets", "net_assets", "ex_growth_net_assets"),
        ("sales", "sales_revenue", "ex_growth_sales"),
    ):
        kind, g = growth([f[f"y{i}_{field}"] for i in years])
        rates[key] = (kind, g)
        band = growth_band(kind, g, rs)
        if band is None:
            deterministic_unknown = True
            band = (0, GROWTH_MAX_POINTS)
        if g is not None and g == rs.v("ht.growth_d_boundary_warning"):
            warnings.append(f"growth_{key} exactly 5%: 195号 main table ≥5% vs 附件4 >5%")
        if kind == "zero" or len(years) < 3:
            warnings.append(f"growth_{key}: zero/short-history rule applied, manual review")
        gparts.append(in_band(f[ex], *band))
    grow = (gparts[0][0] + gparts[1][0], gparts[0][1] + gparts[1][1])
    lo = ip[0] + conv[0] + mgmt[0] + grow[0]
    hi = ip[1] + conv[1] + mgmt[1] + grow[1]
    return {
        "range": (lo, hi),
        "subscores": {
            "ip": list(ip),
            "conversion": list(conv),
            "rd_mgmt": list(mgmt),
            "growth": list(grow),
        },
        "deterministic_unknown": deterministic_unknown,
        "growth_rates": rates,
        "warnings": warnings,
    }


def h7_status(lo: int, hi: int, deterministic_unknown: bool, pass_above: int) -> str:
    """pass if min > 70; fail if max <= 70; unknown if data could decide it; else borderline."""
    if lo > pass_above:
        return "pass"
    if hi <= pass_above:
        return "fail"
    return "unknown" if deterministic_unknown else "borderline"


def evaluate_high_tech(f: dict[str, Any], rs: RuleSet) -> dict[str, Any]:
    """Tier ``high_tech``: H1–H8 with H5b (32号 第十一条)."""
    it = rs.items
    t = f["application_date"]
    reg = f["registration_date"]
    days = None if reg is None else (t - reg).days
    min_days = rs.v("ht.min_registration_days")
    h1 = None if days is None else days >= min_days
    c1, c2u = f["ip_class1_count"], f["ip_class2_unused_count"]
    n_ip = None if c1 is None or c2u is None else c1 + c2u
    h2 = None if n_ip is None else n_ip >= 1
    h3 = f["core_tech_in_supported_fields"]
    e, tech = f["y3_employees_avg"], f["y3_tech_staff_avg"]
    staff_ratio = ratio(tech, e)
    min_staff = rs.v("ht.min_tech_staff_ratio")
    h4 = None if staff_ratio is None else staff_ratio >= min_staff
    h5 = h5_facts(f, rs)
    dom_ratio = ratio(h5["sum_dom"], h5["sum_rd"])
    min_dom = rs.v("ht.min_domestic_rd_ratio")
    h5b = None if dom_ratio is None else dom_ratio >= min_dom
    inc, nontax, hti = f["y3_total_income"], f["y3_non_taxable_income"], f["y3_hightech_income"]
    income = None if inc is None or nontax is None else inc - nontax
    ht_ratio = ratio(hti, income) if income is None or income > 0 else None
    min_ht = rs.v("ht.min_hightech_income_ratio")
    h6 = None if ht_ratio is None else ht_ratio >= min_ht
    inn = innovation(f, rs)
    lo, hi = inn["range"]
    pass_above = rs.v("ht.innovation_pass_score")
    h7 = h7_status(lo, hi, inn["deterministic_unknown"], pass_above)
    h8 = negate(f["incident_h8"])

    conditions = [
        cond("H1", h1, days, ">=", min_days, it["ht.min_registration_days"]),
        cond(
            "H2",
            h2,
            n_ip,
            ">=",
            1,
            None,
            "拥有对主要产品（服务）在技术上发挥核心支持作用的知识产权（Ⅱ类知识产权仅可使用一次）",
            clause="国科发火〔2016〕32号 第十一条(二); 195号 §三(二)",
        ),
        cond(
            "H3",
            h3,
            h3,
            "==",
            True,
            None,
            "核心支持技术属于《国家重点支持的高新技术领域》规定的范围",
            clause="国科发火〔2016〕32号 第十一条(三)",
        ),
        cond(
            "H4",
            h4,
            staff_ratio,
            ">=",
            min_staff,
            it["ht.min_tech_staff_ratio"],
            note=ZERO_DEN if e == 0 else None,
        ),
        cond("H5", h5["ok"], h5["ratio"], ">=", h5["band"], it["ht.rd_bands"], note=h5["note"]),
        cond(
            "H5b",
            h5b,
            dom_ratio,
            ">=",
            min_dom,
            it["ht.min_domestic_rd_ratio"],
            note=ZERO_DEN if h5["sum_rd"] == 0 else None,
        ),
        cond(
            "H6",
            h6,
            ht_ratio,
            ">=",
            min_ht,
            it["ht.min_hightech_income_ratio"],
            note=ZERO_DEN if income is not None and income <= 0 else None,
        ),
        cond("H7", h7, [lo, hi], ">", pass_above, it["ht.innovation_pass_score"]),
        cond("H8", h8, f["incident_h8"], "==", False, it["ht.incident_window_days"]),
    ]
    gaps: list[dict[str, Any]] = []
    if h1 is False:
        gaps.append(
            {
                "condition": "H1",
                "field": "registration_days",
                "additional": min_days - days,
                "unit": "days",
            }
        )
    if h2 is False:
        gaps.append(
            {"condition": "H2", "field": "ip_class2_unused_count", "additional": 1, "unit": "items"}
        )
    if h4 is False:
        x = new_items_gap(tech, e, min_staff)
        gaps.append(
            {
                "condition": "H4",
                "field": "tech_staff_avg",
                "additional": float(x),
                "unit": "persons",
            }
        )
    if h5["ok"] is False:
        extra = ceil_fen(h5["band"] * h5["sum_sales"] - h5["sum_rd"])
        gaps.append(
            {
                "condition": "H5",
                "field": "rd_expense_hnte",
                "additional": extra / FEN_PER_WAN,
                "unit": "万元",
            }
        )
    if h5b is False:
        extra = ceil_fen(new_items_gap(h5["sum_dom"], h5["sum_rd"], min_dom))
        gaps.append(
            {
                "condition": "H5b",
                "field": "rd_expense_hnte_domestic",
                "additional": extra / FEN_PER_WAN,
                "unit": "万元",
            }
        )
    if h6 is False:
        extra = ceil_fen(new_items_gap(hti, income, min_ht))
        gaps.append(
            {
                "condition": "H6",
                "field": "hightech_income",
                "additional": extra / FEN_PER_WAN,
                "unit": "万元",
            }
        )
    if h7 == "fail":
        gaps.append(
            {
                "condition": "H7",
                "field": "innovation_score",
                "additional": pass_above + 1 - hi,
                "unit": "points",
            }
        )
    status = tier_status(conditions)
    out = {
        "status": status,
        "score_range": [lo, hi],
        "subscores": inn["subscores"],
        "conditions": conditions,
        "gaps": gaps if status != "pass" else [],
        "basis": "CONFIRMED",
        "pending_verification": [
            "ht.conversion_below_one",
            "ht.conversion_short_history_divisor",
            "ht.growth_short_history",
        ],
    }
    if inn["warnings"]:
        out["warnings"] = inn["warnings"]
    return out


def h_flags(result: dict[str, Any]) -> dict[str, bool | None]:
    """Condition id → True/False/None from an ``evaluate_high_tech`` result (for cultivation)."""
    m = {"pass": True, "fail": False}
    return {c["id"]: m.get(c["status"]) for c in result["conditions"]}
