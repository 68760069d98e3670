"""Provincial tech-SME, cultivation screen, R&D-institution and unicorn tiers
(docs/qualification-rules.md#zhejiang-tech-sme and the three sections after it).

* ``tech_sme_provincial`` – 浙江省科技型中小企业, 浙科发高〔2016〕88号 (SECONDARY, docs/qualification-rules.md#zhejiang-tech-sme).
* ``cultivation`` – Ningbo/Cixi 高企培育库: **no official criteria were found** (docs/qualification-rules.md#local-cultivation-screen);
  the engine applies a *provisional local screen*, every value of which is
  UNCONFIRMED configuration (``cult.*``) and flagged 待政策核实.
* ``rd_institution`` – provincial/Ningbo R&D institutions (docs/qualification-rules.md#rd-institutions): thresholds UNCONFIRMED or
  only third-party → status ``unknown`` with the reason.
* ``unicorn`` – unicorn/quasi/potential/gazelle (docs/qualification-rules.md#unicorn-tiers): thresholds UNCONFIRMED → ``unknown``
  until the bureau configures ``uni.thresholds``.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from .conditions import STATUS, all_of, cond, ratio
from .high_tech import growth, h5_facts, operated_years
from .rulesets import RuleSet


def evaluate_tech_sme_provincial(f: dict[str, Any], rs: RuleSet) -> dict[str, Any]:
    """Z1–Z5 of 浙科发高〔2016〕88号 (SECONDARY; Z1 boundary UNCONFIRMED)."""
    it = rs.items
    reg = f["registration_date"]
    days = None if reg is None else (f["application_date"] - reg).days
    min_days = rs.v("zj.min_registration_days")
    z1 = all_of((f["registered_in_zhejiang"], None if days is None else days >= min_days))
    e, t = f["base_employees_total"], f["base_tech_staff"]
    r = ratio(t, e)
    min_r = rs.v("zj.min_tech_staff_ratio")
    z5 = None if r is None else r >= min_r
    conditions = [
        cond("Z1", z1, days, ">=", min_days, it["zj.min_registration_days"]),
        cond(
            "Z2",
            f["owns_ip_and_products"],
            f["owns_ip_and_products"],
            "==",
            True,
            None,
            "拥有自主知识产权（含专利申请、商标、标准等）并以此开展经营",
            clause="浙科发高〔2016〕88号（第三方转引）",
        ),
        cond(
            "Z3",
            f["has_innovation_capacity"],
            f["has_innovation_capacity"],
            "==",
            True,
            None,
            "有科技创新投入并具备持续创新能力",
            clause="浙科发高〔2016〕88号（第三方转引）",
        ),
        cond(
            "Z4",
            f["is_sme"],
            f["is_sme"],
            "==",
            True,
            None,
            "符合中小企业划型标准（工信部联企业〔2011〕300号）",
            clause="浙科发高〔2016〕88号（第三方转引）",
        ),
        cond(
            "Z5",
            z5,
            r,
            ">=",
            min_r,
            it["zj.min_tech_staff_ratio"],
            note="zero denominator: manual review" if e == 0 else None,
        ),
    ]
    for c in conditions:
        c["basis"] = "SECONDARY"
    ok = all_of((z1, f["owns_ip_and_products"], f["has_innovation_capacity"], f["is_sme"], z5))
    return {
        "status": STATUS[ok],
        "conditions": conditions,
        "gaps": [],
        "basis": "SECONDARY",
        "pending_verification": ["zj.min_registration_days (boundary)"],
    }


def sales_growth_rate(f: dict[str, Any]) -> Fraction | None:
    """Sales growth per 195号 §三(七)4; the zero rules give 0; one operated year → unknown."""
    years = operated_years(f)
    kind, g = growth([f[f"y{i}_sales_revenue"] for i in years])
    if kind == "unknown" or len(years) <= 1:
        return None
    return Fraction(0) if kind == "zero" else g


def evaluate_cultivation(
    f: dict[str, Any], rs: RuleSet, tsn_status: str, h: dict[str, bool | None]
) -> dict[str, Any]:
    """Provisional local screen (docs/qualification-rules.md#local-cultivation-screen, all thresholds UNCONFIRMED).

    K0 no valid 高企 certificate; K1 national tech-SME passes this year; K2 the non-gap 高企
    conditions H1, H3, H5b, H8 pass; K3 at most ``cult.max_gap_conditions`` of
    ``cult.gap_conditions`` fail; K4 a failed H5 is within ``cult.rd_ratio_tolerance`` of its band;
    K5 sales growth >= ``cult.min_sales_growth``.
    """
    it = rs.items
    k0 = None if f["hnte_cert_valid"] is None else not f["hnte_cert_valid"]
    k1 = {"pass": True, "fail": False}.get(tsn_status)
    k2 = all_of(h[c] for c in ("H1", "H3", "H5b", "H8"))
    gap_ids = list(rs.v("cult.gap_conditions"))
    n_fail = sum(1 for c in gap_ids if h[c] is False)
    n_unknown = sum(1 for c in gap_ids if h[c] is None)
    max_gaps = rs.v("cult.max_gap_conditions")
    k3 = False if n_fail > max_gaps else (True if n_fail + n_unknown <= max_gaps else None)
    h5 = h5_facts(f, rs)
    tol = rs.v("cult.rd_ratio_tolerance")
    if h5["ok"] is not False:
        k4 = h5["ok"]
    else:
        k4 = h5["ratio"] >= h5["band"] - tol
    g = sales_growth_rate(f)
    min_g = rs.v("cult.min_sales_growth")
    k5 = None if g is None else g >= min_g
    note = "本地临时筛选口径，非官方标准（待政策核实）"
    conditions = [
        cond(
            "K0",
            k0,
            f["hnte_cert_valid"],
            "==",
            False,
            None,
            "尚未持有有效高新技术企业证书",
            clause="本地临时筛选口径（未找到官方认定条件）",
        ),
        cond(
            "K1",
            k1,
            tsn_status,
            "==",
            "pass",
            None,
            "当年已评价入库国家科技型中小企业",
            clause="本地临时筛选口径（未找到官方认定条件）",
        ),
        cond(
            "K2",
            k2,
            None,
            "==",
            True,
            None,
            "高企基本条件 H1、H3、H5b、H8 均满足",
            clause="本地临时筛选口径（未找到官方认定条件）",
        ),
        cond("K3", k3, n_fail, "<=", max_gaps, it["cult.max_gap_conditions"]),
        cond(
            "K4",
            k4,
            h5["ratio"],
            ">=",
            None if h5["band"] is None else h5["band"] - tol,
            it["cult.rd_ratio_tolerance"],
        ),
        cond("K5", k5, g, ">=", min_g, it["cult.min_sales_growth"]),
    ]
    for c in conditions:
        c["basis"] = "UNCONFIRMED"
        c["pending_verification"] = True
    ok = all_of((k0, k1, k2, k3, k4, k5))
    return {
        "status": STATUS[ok],
        "provisional": True,
        "conditions": conditions,
        "gaps": [],
        "basis": "UNCONFIRMED",
        "note_zh": note,
        "pending_verification": [k for k in rs.items if k.startswith("cult.")],
    }


RD_INSTITUTION_LEVELS = {
    "provincial_key_research_institute": "rdi.provincial_key_research_institute",
    "provincial_research_institute": "rdi.provincial_research_institute",
    "provincial_hnte_rd_centre": "rdi.provincial_hnte_rd_centre",
    "ningbo_centres": "rdi.ningbo_centres",
}
UNICORN_LEVELS = ("potential", "quasi", "unicorn", "gazelle")


def evaluate_rd_institution(f: dict[str, Any], rs: RuleSet) -> dict[str, Any]:
    """R&D-institution tiers (docs/qualification-rules.md#rd-institutions): thresholds not confirmed → ``unknown`` with the reason."""
    levels = {}
    for level, key in RD_INSTITUTION_LEVELS.items():
        item = rs[key]
        levels[level] = {
            "status": "unknown",
            "reason": f"thresholds not confirmed ({item.status}): {item.clause}",
            "label_zh": item.label_zh + "（待政策核实）",
        }
    return {
        "status": "unknown",
        "reason": "R&D institution criteria are UNCONFIRMED/SECONDARY (no official criteria read); not evaluated",
        "levels": levels,
        "conditions": [],
        "gaps": [],
        "basis": "UNCONFIRMED",
        "pending_verification": list(RD_INSTITUTION_LEVELS.values()),
    }


def evaluate_unicorn(f: dict[str, Any], rs: RuleSet) -> dict[str, Any]:
    """Unicorn-type tiers (docs/qualification-rules.md#unicorn-tiers): ``unknown`` while ``uni.thresholds`` are not configured."""
    item = rs["uni.thresholds"]
    levels = {
        lv: {
            "status": "unknown",
            "reason": "threshold not configured (UNCONFIRMED)",
            "label_zh": "门槛未核实（待政策核实）",
        }
        for lv in UNICORN_LEVELS
        if item.value.get(lv) is None
    }
    return {
        "status": "unknown",
        "reason": "unicorn/quasi/potential/gazelle thresholds are UNCONFIRMED (no local standard found)",
        "levels": levels,
        "conditions": [],
        "gaps": [],
        "basis": "UNCONFIRMED",
        "pending_verification": ["uni.thresholds"],
    }
