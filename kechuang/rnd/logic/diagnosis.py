"""Enterprise R&D diagnosis (诊断): findings from one enterprise's figures, and recommendations
derived from the findings by a rule table.

Input is a plain `facts` dict built by the selector (money in yuan as Decimal, None = not
reported, never zero):

    {"year": 2024, "is_above_scale": bool,
     "figures": {year: {"operating_revenue", "sales_revenue", "total_assets",
                        "total_cost_expense", "employees", "tech_staff", "rd_expense_stat",
                        "rd_hnte_total", "rd_deduction_scope", "categories": {key: yuan}}},
     "invention_patents_granted": int, "holds_high_tech": bool, "holds_tech_sme": bool,
     "peer": {"count", "percentile", "median_structure": {key: share}} or None}

Thresholds come from the qualification engine's rule set (high-tech H5 bands, tech-SME bands),
never re-typed here. Each finding is {"code", "severity", "figures": {...}}: the Django layer
words it (texts.py); the figures are what the sentence cites.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal
from fractions import Fraction
from typing import Any

from kechuang.qualifications.logic.rulesets import RuleSet, get_ruleset

__all__ = [
    "CATEGORIES",
    "SEVERITY_ORDER",
    "RECOMMENDATION_RULES",
    "high_tech_band",
    "h5_position",
    "tech_sme_rd_gain",
    "diagnose",
    "recommend",
]

# High-tech scope categories (国科发火〔2016〕195号 §三(六)), in the order of the form.
CATEGORIES = (
    "personnel",
    "direct",
    "depreciation",
    "intangible",
    "design",
    "equipment_trial",
    "commissioned",
    "other",
)
SEVERITY_ORDER = {"high": 0, "medium": 1, "info": 2}
YUAN_PER_WAN = 10_000
# A category "peers usually collect" when the peer median puts at least this share in it.
PEER_CATEGORY_SHARE = Decimal("0.05")
# An enterprise is "well below its peers" under this percentile of R&D intensity.
LOW_PERCENTILE = 25

# finding code → recommendation codes (rules, not free text: texts.py words each code).
RECOMMENDATION_RULES: dict[str, tuple[str, ...]] = {
    "zero_rd_declared": ("visit_zero_rd", "set_up_rd_accounts", "engage_agency"),
    "patents_without_rd": ("visit_zero_rd", "set_up_rd_accounts"),
    "staff_without_personnel_cost": ("collect_personnel_cost", "finance_training"),
    "category_not_collected": ("collect_categories", "finance_training"),
    "deduction_exceeds_statistical": ("reconcile_scopes",),
    "deduction_without_statistical": ("reconcile_scopes", "visit_zero_rd"),
    "high_tech_rerecognition_risk": ("prepare_rerecognition", "raise_rd_ratio", "engage_agency"),
    "below_high_tech_threshold": ("raise_rd_ratio", "high_tech_reserve"),
    "tech_sme_score_gain": ("register_tech_sme",),
    "below_peer_median": ("benchmark_peers",),
    "rd_declined": ("benchmark_peers",),
}


def _d(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value)


def _zero(value: Decimal | None) -> bool:
    return value is None or value == 0


def _ceil_fen(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_CEILING
    )


def high_tech_band(sales_yuan: Decimal, rs: RuleSet | None = None) -> Fraction:
    """The minimum 3-year R&D ratio for Y3 sales (rule `ht.rd_bands`, 32号 第十一条(五))."""
    rs = rs or get_ruleset()
    wan = Fraction(Decimal(sales_yuan)) / YUAN_PER_WAN
    for upper, rate in rs.v("ht.rd_bands"):
        if upper is None or wan <= upper:
            return Fraction(rate)
    raise ValueError("rule set ht.rd_bands has no open upper band")


def h5_position(figures: dict[int, dict], year: int, rs: RuleSet | None = None) -> dict | None:
    """The high-tech R&D ratio over years year-2..year that have figures (operated years).

    Ratio = Σ R&D (high-tech scope) ÷ Σ sales revenue; band by `year`'s sales. Returns
    {years, rd_sum, sales_sum, ratio, threshold, gap} (gap: yuan of extra high-tech-scope R&D over
    the window to reach the threshold, 0 if met), or None when sales or R&D are missing.
    """
    window = [y for y in (year - 2, year - 1, year) if y in figures]
    if year not in window:
        return None
    sales = [
        _d(figures[y].get("sales_revenue") or figures[y].get("operating_revenue")) for y in window
    ]
    rd = [_d(figures[y].get("rd_hnte_total")) for y in window]
    if any(s is None for s in sales) or sales[-1] is None or sum(sales) <= 0:
        return None
    rd = [r or Decimal(0) for r in rd]
    threshold = high_tech_band(sales[-1], rs)
    sales_sum, rd_sum = sum(sales), sum(rd)
    ratio = Fraction(rd_sum) / Fraction(sales_sum)
    gap = max(Fraction(0), threshold * Fraction(sales_sum) - Fraction(rd_sum))
    return {
        "years": window,
        "rd_sum": rd_sum,
        "sales_sum": sales_sum,
        "ratio": ratio,
        "threshold": threshold,
        "gap": _ceil_fen(gap),
    }


def _points(value: Fraction | None, bands) -> int:
    if value is None:
        return 0
    for threshold, points in bands:
        if value >= Fraction(threshold):
            return int(points)
    return 0


def tech_sme_rd_gain(fig: dict, rs: RuleSet | None = None) -> dict | None:
    """How much more super-deduction-scope R&D would raise the tech-SME R&D score.

    Size limits (tsn.max_employees / max_sales / max_assets, 国科发政〔2017〕115号 第六条(二)) must
    hold. The R&D indicator scores the better of R&D ÷ sales and R&D ÷ total costs (第七条(二)).
    Returns {points, next_points, additional} (yuan) for the cheapest next band, or None when
    the enterprise is out of scope, already at full marks, or figures are missing.
    """
    rs = rs or get_ruleset()
    employees, sales, assets = (
        fig.get("employees"),
        _d(fig.get("sales_revenue")),
        _d(fig.get("total_assets")),
    )
    cost = _d(fig.get("total_cost_expense"))
    rd = _d(fig.get("rd_deduction_scope")) or Decimal(0)
    if employees is None or sales is None or assets is None or sales <= 0:
        return None
    if (
        employees > rs.v("tsn.max_employees")
        or Fraction(sales) / YUAN_PER_WAN > rs.v("tsn.max_sales")
        or Fraction(assets) / YUAN_PER_WAN > rs.v("tsn.max_assets")
    ):
        return None
    tables = [(Fraction(sales), rs.v("tsn.rd_sales_bands"))]
    if cost and cost > 0:
        tables.append((Fraction(cost), rs.v("tsn.rd_cost_bands")))
    current = max(_points(Fraction(rd) / den, bands) for den, bands in tables)
    best = None
    for den, bands in tables:
        for threshold, points in bands:
            if points <= current:
                continue
            need = Fraction(threshold) * den - Fraction(rd)
            if need > 0 and (best is None or need < best[0]):
                best = (need, int(points))
    if best is None:
        return None
    return {"points": current, "next_points": best[1], "additional": _ceil_fen(best[0])}


def diagnose(facts: dict[str, Any], rs: RuleSet | None = None) -> list[dict[str, Any]]:
    """The findings for `facts["year"]`, most severe first (see the module docstring)."""
    rs = rs or get_ruleset()
    year = facts["year"]
    figures = facts.get("figures", {})
    fig = figures.get(year)
    if fig is None:
        return [{"code": "no_figures", "severity": "high", "figures": {"year": year}}]
    stat, deduction = _d(fig.get("rd_expense_stat")), _d(fig.get("rd_deduction_scope"))
    cats = fig.get("categories") or {}
    out: list[dict[str, Any]] = []

    def add(code: str, severity: str, **values):
        out.append({"code": code, "severity": severity, "figures": values})

    if facts.get("is_above_scale") and _zero(stat):
        add("zero_rd_declared", "high", year=year, rd_expense_stat=stat or Decimal(0))
    patents = facts.get("invention_patents_granted") or 0
    if patents and _zero(stat):
        add("patents_without_rd", "high", patents=patents, rd_expense_stat=stat or Decimal(0))
    tech_staff = fig.get("tech_staff")
    if tech_staff and _zero(_d(cats.get("personnel"))):
        add(
            "staff_without_personnel_cost",
            "medium",
            tech_staff=tech_staff,
            personnel=_d(cats.get("personnel")) or Decimal(0),
        )
    if deduction is not None and deduction > 0 and _zero(stat):
        add(
            "deduction_without_statistical",
            "high",
            rd_deduction_scope=deduction,
            rd_expense_stat=stat or Decimal(0),
        )
    elif deduction is not None and stat is not None and deduction > stat:
        add(
            "deduction_exceeds_statistical",
            "high",
            rd_deduction_scope=deduction,
            rd_expense_stat=stat,
            excess=deduction - stat,
        )
    h5 = h5_position(figures, year, rs)
    if h5 is not None and h5["ratio"] < h5["threshold"]:
        code = (
            "high_tech_rerecognition_risk"
            if facts.get("holds_high_tech")
            else "below_high_tech_threshold"
        )
        add(
            code,
            "high" if facts.get("holds_high_tech") else "medium",
            years=h5["years"],
            ratio_pct=float(h5["ratio"] * 100),
            threshold_pct=float(h5["threshold"] * 100),
            sales_sum=h5["sales_sum"],
            rd_sum=h5["rd_sum"],
            gap=h5["gap"],
        )
    gain = tech_sme_rd_gain(fig, rs)
    if gain is not None:
        add("tech_sme_score_gain", "info", holds_tech_sme=bool(facts.get("holds_tech_sme")), **gain)
    peer = facts.get("peer") or {}
    structure = peer.get("median_structure") or {}
    total_cats = sum((_d(v) or Decimal(0)) for v in cats.values())
    if total_cats > 0:
        for key in CATEGORIES:
            share = structure.get(key)
            if (
                share is not None
                and Decimal(str(share)) >= PEER_CATEGORY_SHARE
                and _zero(_d(cats.get(key)))
            ):
                add(
                    "category_not_collected",
                    "medium",
                    category=key,
                    peer_share_pct=float(share) * 100,
                )
    percentile = peer.get("percentile")
    if percentile is not None and percentile < LOW_PERCENTILE and not _zero(stat):
        add("below_peer_median", "info", percentile=percentile, peers=peer.get("count"))
    prev = figures.get(year - 1)
    prev_stat = _d(prev.get("rd_expense_stat")) if prev else None
    if prev_stat and stat is not None and stat > 0 and stat < prev_stat * Decimal("0.9"):
        add(
            "rd_declined",
            "info",
            previous=prev_stat,
            current=stat,
            change_pct=float((stat - prev_stat) / prev_stat * 100),
        )
    out.sort(key=lambda f: SEVERITY_ORDER[f["severity"]])
    return out


def recommend(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Recommendations from findings by RECOMMENDATION_RULES: [{"code", "because": [codes]}],
    each recommendation once, in the order of the first finding that calls for it."""
    out: dict[str, list[str]] = {}
    for finding in findings:
        for rec in RECOMMENDATION_RULES.get(finding["code"], ()):
            because = out.setdefault(rec, [])
            if finding["code"] not in because:
                because.append(finding["code"])
    return [{"code": code, "because": because} for code, because in out.items()]
