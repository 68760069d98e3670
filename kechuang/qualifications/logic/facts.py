"""Normalise a case into flat, exact facts shared by the single and batch faces.

A *fact* is a plain value: ``Fraction`` for money (万元) and average headcounts, ``int`` for
headcounts and counts, ``bool`` for flags, ``date`` for dates, and ``None`` for unknown
(an absent field is unknown, never zero: docs/qualification-rules.md#unknown-is-not-zero).  The batch frame of
:mod:`kechuang.qualifications.logic.batch` has one column per fact (money scaled to fen).

Period conventions (docs/qualification-rules.md#periods): application/evaluation date ``t``, application
year ``A = t.year``; tech-SME base year ``A + tsn.base_year_offset`` (default A-1,
UNCONFIRMED); high-tech years ``Y1..Y3 = A-3..A-1`` (国科发火〔2016〕195号 §三(一)).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from .certificates import HIGH_TECH_KIND, Certificate
from .rulesets import RuleSet

CLASS1_KINDS = frozenset(
    {
        "invention_patent",
        "plant_variety",
        "national_crop_variety",
        "national_new_drug",
        "tcm_protected_variety_grade1",
        "ic_layout_design",
    }
)
CLASS2_KINDS = frozenset({"utility_model", "design_patent", "software_copyright"})
C4_INCIDENT_KINDS = frozenset(
    {"major_safety", "major_quality", "serious_environmental", "research_misconduct"}
)
H8_INCIDENT_KINDS = frozenset({"major_safety", "major_quality", "serious_environmental"})
ZHEJIANG_MARKERS = ("浙江", "宁波", "慈溪", "zhejiang", "ningbo", "cixi")

MONEY_FIELDS_Y = ("sales_revenue", "rd_expense_hnte", "rd_expense_hnte_domestic", "net_assets")
BASE_FIELDS = {
    "base_sales_revenue": "sales_revenue",
    "base_total_assets": "total_assets",
    "base_total_cost_expense": "total_cost_expense",
    "base_rd_deduction": "rd_expense_deduction_scope",
}
Y3_MONEY = ("total_income", "non_taxable_income", "hightech_income")
FLAG_FIELDS = {
    "product_in_prohibited_catalogue": "product_in_prohibited_restricted_eliminated_catalogue",
    "core_tech_in_supported_fields": "core_tech_in_supported_fields",
    "national_st_award_top3_within_5y": "national_st_award_top3_within_5y",
    "has_recognised_provincial_or_ministerial_rd_institution": "has_recognised_provincial_or_ministerial_rd_institution",
    "led_standard_within_5y": "led_standard_within_5y",
    "owns_ip_and_products": "owns_ip_and_products_based_on_it",
    "has_innovation_capacity": "has_innovation_spending_and_capacity",
    "is_sme": "is_sme",
}
EXPERT_FIELDS = {
    # fact name: (expert_inputs key, maximum)
    "ex_ip_advancement": ("ip_advancement", 8),
    "ex_ip_core_support": ("ip_core_support", 8),
    "ex_ip_quantity": ("ip_quantity", 8),
    "ex_ip_acquisition": ("ip_acquisition", 6),
    "ex_ip_standards_bonus": ("ip_standards_bonus", 2),
    "ex_conversion": ("conversion_points", 30),
    "ex_growth_net_assets": ("growth_net_assets_points", 10),
    "ex_growth_sales": ("growth_sales_points", 10),
}
RD_MGMT_MAXIMA = (6, 6, 4, 4)


def num(value: Any) -> Fraction | None:
    """Exact rational from a JSON number/str/Decimal; floats go through their shortest repr."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"expected a number, got {value!r}")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        return Fraction(Decimal(repr(value)))
    if isinstance(value, (Decimal, str)):
        try:
            return Fraction(Decimal(value))
        except Exception as exc:  # decimal.InvalidOperation and friends
            raise ValueError(f"not a number: {value!r}") from exc
    raise ValueError(f"not a number: {value!r}")


def count(value: Any) -> int | None:
    """A non-negative integer (headcount, item count) or None."""
    if value is None:
        return None
    f = num(value)
    if f.denominator != 1 or f < 0:
        raise ValueError(f"expected a non-negative integer, got {value!r}")
    return int(f)


def flag(value: Any) -> bool | None:
    """A JSON boolean or None (anything else is malformed)."""
    if value is None or isinstance(value, bool):
        return value
    raise ValueError(f"expected true/false/null, got {value!r}")


def day(value: Any) -> date | None:
    """An ISO date or None."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def monthly_average(pairs: Any) -> Fraction | None:
    """Annual monthly average (195号 §三(五)): Σ((start+end)/2) / months.

    With 12 pairs this is the official formula; fewer pairs (mid-year opening) divide by the
    months given (UNCONFIRMED arithmetic, docs/qualification-rules.md#headcount).
    """
    if pairs is None:
        return None
    if not isinstance(pairs, list) or not 1 <= len(pairs) <= 12:
        raise ValueError("monthly headcount must be a list of 1..12 [start, end] pairs")
    total = 0
    for pair in pairs:
        if not isinstance(pair, list) or len(pair) != 2:
            raise ValueError("monthly headcount entries must be [start, end]")
        total += count(pair[0]) + count(pair[1])
    return Fraction(total, 2 * len(pairs))


def _year_record(case: Mapping[str, Any], year: int) -> Mapping[str, Any]:
    fy = case.get("fiscal_years") or {}
    if not isinstance(fy, Mapping):
        raise ValueError("fiscal_years must be an object keyed by year")
    rec = fy.get(str(year), fy.get(year)) if fy else None
    if rec is None:
        return {}
    if not isinstance(rec, Mapping):
        raise ValueError(f"fiscal_years[{year}] must be an object")
    return rec


def _sales(rec: Mapping[str, Any]) -> Fraction | None:
    if rec.get("sales_revenue") is not None:
        return num(rec["sales_revenue"])
    main, other = num(rec.get("main_business_revenue")), num(rec.get("other_business_revenue"))
    return None if main is None or other is None else main + other


def _net_assets(rec: Mapping[str, Any]) -> Fraction | None:
    if rec.get("net_assets") is not None:
        return num(rec["net_assets"])
    ta, tl = num(rec.get("total_assets")), num(rec.get("total_liabilities"))
    return None if ta is None or tl is None else ta - tl


def _ip_facts(ip_assets: Any, t: date) -> dict[str, Any]:
    """IP counts on ``t`` (115号 第七条(三); 195号 §三(二)).

    Counted: granted on or before ``t`` (if ``grant_date`` given), ``t < expiry_date`` (if given),
    ``owner_is_applicant`` not false, ``related_to_main_product`` not false.  Class II items with
    ``used_in_hnte_application_year`` set to an earlier year are excluded for 高企 only
    ("Class II IP may be used only once", 195号 §三(二)3).
    """
    if ip_assets is None:
        return {
            "ip_class1_count": None,
            "ip_class2_count": None,
            "ip_class2_unused_count": None,
            "ip_self_developed": None,
        }
    if not isinstance(ip_assets, list):
        raise ValueError("ip_assets must be a list")
    c1 = c2 = c2u = 0
    self_dev, acq_unknown = False, False
    for item in ip_assets:
        if not isinstance(item, Mapping):
            raise ValueError("ip_assets entries must be objects")
        kind = item.get("kind")
        grant, expiry = day(item.get("grant_date")), day(item.get("expiry_date"))
        if grant is not None and grant > t:
            continue
        if expiry is not None and not t < expiry:
            continue
        if item.get("owner_is_applicant") is False or item.get("related_to_main_product") is False:
            continue
        if item.get("claimed_by_other_co_owner") is True:
            continue
        used = item.get("used_in_hnte_application_year")
        if kind in CLASS1_KINDS:
            c1 += 1
            hnte_ok = True
        elif kind in CLASS2_KINDS:
            c2 += 1
            hnte_ok = used is None or count(used) >= t.year
            c2u += hnte_ok
        else:
            continue
        if hnte_ok:
            acq = item.get("acquisition")
            if acq == "self_developed":
                self_dev = True
            elif acq is None:
                acq_unknown = True
    return {
        "ip_class1_count": c1,
        "ip_class2_count": c2,
        "ip_class2_unused_count": c2u,
        "ip_self_developed": True if self_dev else (None if acq_unknown else False),
    }


def _incident_facts(incidents: Any, t: date, window_days: int) -> dict[str, Any]:
    """C4 (115号 第六条(四): previous and current year) and H8 (32号 第十一条(八): 365 days)."""
    if incidents is None:
        return {"incident_c4": None, "incident_h8": None}
    if not isinstance(incidents, list):
        raise ValueError("incidents must be a list")
    c4 = h8 = False
    for inc in incidents:
        d, kind = day(inc.get("date")), inc.get("kind")
        if d is None:
            raise ValueError("incident without date")
        if d > t:
            continue
        if kind in C4_INCIDENT_KINDS and d.year >= t.year - 1:
            c4 = True
        if kind in H8_INCIDENT_KINDS and d >= t - timedelta(days=window_days):
            h8 = True
    return {"incident_c4": c4, "incident_h8": h8}


def _region_in_zhejiang(case: Mapping[str, Any], flags: Mapping[str, Any]) -> bool | None:
    if flags.get("registered_in_zhejiang") is not None:
        return flag(flags["registered_in_zhejiang"])
    region = case.get("registered_region")
    if region is None:
        return None
    return any(m in str(region).lower() for m in ZHEJIANG_MARKERS)


def normalise(case: Mapping[str, Any], rs: RuleSet) -> dict[str, Any]:
    """Turn one case into facts (raises ``ValueError`` on malformed input)."""
    if not isinstance(case, Mapping):
        raise ValueError("case must be a JSON object")
    t = day(case.get("application_date"))
    if t is None:
        raise ValueError("application_date is required")
    a = t.year
    f: dict[str, Any] = {
        "application_date": t,
        "registration_date": day(case.get("registration_date")),
        "is_resident_enterprise": flag(case.get("is_resident_enterprise")),
    }
    flags = case.get("flags") or {}
    if not isinstance(flags, Mapping):
        raise ValueError("flags must be an object")
    f["registered_in_zhejiang"] = _region_in_zhejiang(case, flags)

    base = _year_record(case, a + int(rs.v("tsn.base_year_offset")))
    f["base_employees_total"] = count(base.get("employees_total"))
    f["base_tech_staff"] = count(base.get("tech_staff"))
    for fact, key in BASE_FIELDS.items():
        f[fact] = _sales(base) if key == "sales_revenue" else num(base.get(key))

    for i, year in enumerate((a - 3, a - 2, a - 1), start=1):
        rec = _year_record(case, year)
        f[f"y{i}_sales_revenue"] = _sales(rec)
        f[f"y{i}_rd_expense_hnte"] = num(rec.get("rd_expense_hnte"))
        f[f"y{i}_rd_expense_hnte_domestic"] = num(rec.get("rd_expense_hnte_domestic"))
        f[f"y{i}_net_assets"] = _net_assets(rec)
    y3 = _year_record(case, a - 1)
    for key in Y3_MONEY:
        f[f"y3_{key}"] = num(y3.get(key))
    emp = num(y3.get("employees_avg"))
    tech = num(y3.get("tech_staff_avg"))
    f["y3_employees_avg"] = emp if emp is not None else monthly_average(y3.get("staff_monthly"))
    f["y3_tech_staff_avg"] = (
        tech if tech is not None else monthly_average(y3.get("tech_staff_monthly"))
    )

    f.update(_ip_facts(case.get("ip_assets"), t))

    certs = case.get("certificates")
    if certs is not None:
        if not isinstance(certs, list):
            raise ValueError("certificates must be a list")
        years = int(rs.v("ht.certificate_validity_years"))
        parsed = [Certificate.from_dict(c, years) for c in certs]
        f["hnte_cert_valid"] = any(c.kind == HIGH_TECH_KIND and c.valid_on(t) for c in parsed)
    else:
        f["hnte_cert_valid"] = flag(flags.get("has_valid_hnte_certificate"))

    f.update(_incident_facts(case.get("incidents"), t, int(rs.v("ht.incident_window_days"))))
    credit = case.get("credit_flags") or {}
    if not isinstance(credit, Mapping):
        raise ValueError("credit_flags must be an object")
    f["credit_abnormal_operation"] = flag(credit.get("abnormal_operation_list"))
    f["credit_serious_dishonesty"] = flag(credit.get("serious_dishonesty_list"))
    for fact, key in FLAG_FIELDS.items():
        f[fact] = flag(flags.get(key))

    ex = case.get("expert_inputs") or {}
    if not isinstance(ex, Mapping):
        raise ValueError("expert_inputs must be an object")
    conv = ex.get("conversions_3y", case.get("conversions_3y"))
    f["conversions_3y"] = count(conv)
    for fact, (key, maximum) in EXPERT_FIELDS.items():
        f[fact] = _expert(ex.get(key), maximum, key)
    mgmt = ex.get("rd_mgmt")
    if mgmt is not None and (not isinstance(mgmt, list) or len(mgmt) != 4):
        raise ValueError("expert_inputs.rd_mgmt must be a list of 4 integers")
    for i, maximum in enumerate(RD_MGMT_MAXIMA):
        f[f"ex_rd_mgmt_{i + 1}"] = _expert(None if mgmt is None else mgmt[i], maximum, "rd_mgmt")
    return f


def _expert(value: Any, maximum: int, key: str) -> int | None:
    """Expert points are integers (195号 §三(七) "各级指标均按整数打分") in 0..maximum."""
    v = count(value)
    if v is not None and v > maximum:
        raise ValueError(f"expert_inputs.{key} = {v} exceeds the maximum {maximum}")
    return v
