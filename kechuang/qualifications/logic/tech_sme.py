"""National technology-based SME evaluation (国家科技型中小企业评价), docs/qualification-rules.md#national-tech-sme.

Source: 《科技型中小企业评价办法》 国科发政〔2017〕115号 (MOST, MOF, SAT) — 第六条 entry
conditions, 第七条 scoring table, 第八条 direct qualification.  The 2022 revision
(国科发区〔2022〕67号) was not read; its numbers are assumed unchanged (UNCONFIRMED).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from .conditions import all_of, any_of, band_points, compare, cond, negate, ratio
from .gaps import FEN_PER_WAN, tech_sme_gaps
from .rulesets import RuleSet

DIRECT_FACTS = {
    "high_tech_certificate": "hnte_cert_valid",
    "national_award": "national_st_award_top3_within_5y",
    "rd_institution": "has_recognised_provincial_or_ministerial_rd_institution",
    "led_standard": "led_standard_within_5y",
}


def staff_interval(f: dict[str, Any], rs: RuleSet) -> tuple[int, int]:
    """(a) tech-staff points (第七条(一)); zero employees → 0; unknown → (0, 20)."""
    t, e = f["base_tech_staff"], f["base_employees_total"]
    if t is None or e is None:
        return 0, 20
    if e == 0:
        return 0, 0
    p = band_points(Fraction(t, e), rs.v("tsn.staff_bands"))
    return p, p


def _ratio_interval(rd, den, bands) -> tuple[int, int] | None:
    if rd is None or den is None:
        return 0, 50
    if den == 0:
        return None  # undefined: this ratio is not used (115号 第七条(二))
    p = band_points(rd / den, bands)
    return p, p


def rd_interval(f: dict[str, Any], rs: RuleSet) -> tuple[int, int]:
    """(b) R&D points: the better of R&D/sales and R&D/cost (第七条(二)); both undefined → 0."""
    b1 = _ratio_interval(
        f["base_rd_deduction"], f["base_sales_revenue"], rs.v("tsn.rd_sales_bands")
    )
    b2 = _ratio_interval(
        f["base_rd_deduction"], f["base_total_cost_expense"], rs.v("tsn.rd_cost_bands")
    )
    parts = [b for b in (b1, b2) if b is not None]
    if not parts:
        return 0, 0
    return max(p[0] for p in parts), max(p[1] for p in parts)


def ip_interval(f: dict[str, Any], rs: RuleSet) -> tuple[int, int]:
    """(c) achievements points (第七条(三)): bands top-down, first match wins."""
    c1, c2 = f["ip_class1_count"], f["ip_class2_count"]
    if c1 is None or c2 is None:
        return 0, 30
    for kind, n, points in rs.v("tsn.ip_bands"):
        if (c1 if kind == "class1" else c2) >= n:
            return int(points), int(points)
    return 0, 0


def evaluate_tech_sme_national(f: dict[str, Any], rs: RuleSet) -> dict[str, Any]:
    """Tier ``tech_sme_national``: C1–C4 and (a 第八条 direct route or C5 scoring)."""
    e, t = f["base_employees_total"], f["base_tech_staff"]
    sales, assets = f["base_sales_revenue"], f["base_total_assets"]
    c1 = f["is_resident_enterprise"]
    c2a = compare(e, "<=", rs.v("tsn.max_employees"))
    c2b = compare(sales, "<=", rs.v("tsn.max_sales"))
    c2c = compare(assets, "<=", rs.v("tsn.max_assets"))
    c3 = negate(f["product_in_prohibited_catalogue"])
    c4 = all_of(
        (
            negate(f["incident_c4"]),
            negate(f["credit_abnormal_operation"]),
            negate(f["credit_serious_dishonesty"]),
        )
    )
    sa, rd, ip = staff_interval(f, rs), rd_interval(f, rs), ip_interval(f, rs)
    lo, hi = sa[0] + rd[0] + ip[0], sa[1] + rd[1] + ip[1]
    need = rs.v("tsn.pass_score")
    c5 = True if lo >= need else (False if hi < need else None)
    staff_ratio = Fraction(0) if e == 0 else ratio(t, e)
    c5s = None if t is None or e is None else sa[0] > 0
    entry = all_of((c1, c2a, c2b, c2c, c3, c4))
    directs = [(name, f[fact]) for name, fact in DIRECT_FACTS.items()]
    ok = all_of((entry, any_of([d for _, d in directs] + [all_of((c5, c5s))])))
    route = "scoring"
    if entry is True:
        route = next((f"direct:{n}" for n, d in directs if d is True), "scoring")

    it = rs.items
    conditions = [
        cond(
            "C1",
            c1,
            c1,
            "==",
            True,
            None,
            "在中国境内（不包括港、澳、台地区）注册的居民企业",
            clause="国科发政〔2017〕115号 第六条(一)",
        ),
        cond("C2a", c2a, e, "<=", rs.v("tsn.max_employees"), it["tsn.max_employees"]),
        cond("C2b", c2b, sales, "<=", rs.v("tsn.max_sales"), it["tsn.max_sales"]),
        cond("C2c", c2c, assets, "<=", rs.v("tsn.max_assets"), it["tsn.max_assets"]),
        cond(
            "C3",
            c3,
            f["product_in_prohibited_catalogue"],
            "==",
            False,
            None,
            "产品和服务不属于国家规定的禁止、限制和淘汰类",
            clause="国科发政〔2017〕115号 第六条(三)",
        ),
        cond("C4", c4, None, "==", True, it["tsn.incident_years"]),
        cond("C5", c5, lo if lo == hi else [lo, hi], ">=", need, it["tsn.pass_score"]),
        cond(
            "C5s",
            c5s,
            staff_ratio,
            ">=",
            rs.v("tsn.staff_bands")[-1][0],
            it["tsn.staff_bands"],
            "科技人员指标得分不得为0分（科技人员占比不低于10%）",
        ),
    ]
    out: dict[str, Any] = {
        "status": {True: "pass", False: "fail", None: "unknown"}[ok],
        "route": route,
        "subscores": {
            "tech_staff": sa[0] if sa[0] == sa[1] else list(sa),
            "rd": rd[0] if rd[0] == rd[1] else list(rd),
            "ip": ip[0] if ip[0] == ip[1] else list(ip),
        },
        "conditions": conditions,
        "direct_routes": [
            {"id": n, "status": {True: "pass", False: "fail", None: "unknown"}[d]}
            for n, d in directs
        ],
        "gaps": [],
        "basis": "CONFIRMED",
        "pending_verification": ["tsn.base_year_offset", "tsn.registration_validity"],
    }
    if lo == hi:
        out["score"] = lo
    else:
        out["score"] = None
        out["score_range"] = [lo, hi]
    if ok is not True and all_of((c5, c5s)) is False and lo == hi:
        g = tech_sme_gaps(
            rs,
            tech_staff=t,
            employees=e,
            staff_points=sa[0],
            rd_fen=_fen(f["base_rd_deduction"]),
            sales_fen=_fen(f["base_sales_revenue"]),
            cost_fen=_fen(f["base_total_cost_expense"]),
            rd_points=rd[0],
            ip1=f["ip_class1_count"],
            ip2=f["ip_class2_count"],
            ip_points=ip[0],
        )
        out["gaps"] = _format_tsn_gaps(g)
    return out


def _fen(wan: Fraction | None) -> Fraction | None:
    return None if wan is None else wan * FEN_PER_WAN


def _format_tsn_gaps(g: dict[str, int] | None) -> list[dict[str, Any]]:
    if g is None:
        return [{"condition": "C5", "field": None, "additional": None, "note": "unreachable"}]
    gaps = []
    if g["tech_staff"]:
        gaps.append(
            {
                "condition": "C5",
                "field": "tech_staff",
                "additional": g["tech_staff"],
                "unit": "persons",
            }
        )
    if g["rd_fen"]:
        gaps.append(
            {
                "condition": "C5",
                "field": "rd_expense_deduction_scope",
                "additional": g["rd_fen"] / FEN_PER_WAN,
                "unit": "万元",
                "via": "rd_to_sales" if g["rd_via"] == 1 else "rd_to_cost",
            }
        )
    if g["ip_class2"]:
        gaps.append(
            {
                "condition": "C5",
                "field": "ip_class2_count",
                "additional": g["ip_class2"],
                "unit": "items",
            }
        )
    if g["ip_class1"]:
        gaps.append(
            {
                "condition": "C5",
                "field": "ip_class1_count",
                "additional": g["ip_class1"],
                "unit": "items",
            }
        )
    return gaps
