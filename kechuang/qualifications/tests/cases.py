"""Shared case builders and the random case generator for the rules-engine tests."""

from __future__ import annotations

import copy
import random
from decimal import ROUND_FLOOR, Decimal
from typing import Any

CASE_17: dict[str, Any] = {
    "id": "case-17",
    "application_date": "2026-05-01",
    "registration_date": "2020-03-12",
    "is_resident_enterprise": True,
    "fiscal_years": {
        "2023": {
            "sales_revenue": 2400,
            "rd_expense_hnte": 150,
            "rd_expense_hnte_domestic": 135,
            "total_assets": 2000,
            "total_liabilities": 1000,
        },
        "2024": {
            "sales_revenue": 3200,
            "rd_expense_hnte": 220,
            "rd_expense_hnte_domestic": 198,
            "total_assets": 2500,
            "total_liabilities": 1200,
        },
        "2025": {
            "sales_revenue": 4200,
            "rd_expense_hnte": 300,
            "rd_expense_hnte_domestic": 270,
            "total_assets": 3000,
            "total_liabilities": 1200,
            "employees_avg": 42.17,
            "tech_staff_avg": 5.54,
            "employees_total": 44,
            "tech_staff": 6,
            "total_income": 4400,
            "non_taxable_income": 0,
            "hightech_income": 3444,
            "total_cost_expense": 3360,
            "rd_expense_deduction_scope": 290,
        },
    },
    "ip_assets": [
        {
            "kind": "invention_patent",
            "acquisition": "self_developed",
            "used_in_hnte_application_year": None,
        },
        {
            "kind": "software_copyright",
            "acquisition": "self_developed",
            "used_in_hnte_application_year": None,
        },
    ],
    "certificates": [
        {
            "kind": "high_tech",
            "number": "GR202233100001",
            "issue_date": "2022-12-14",
            "revoked_date": None,
        }
    ],
    "incidents": [],
    "credit_flags": {"abnormal_operation_list": False, "serious_dishonesty_list": False},
    "flags": {
        "product_in_prohibited_restricted_eliminated_catalogue": False,
        "core_tech_in_supported_fields": True,
        "national_st_award_top3_within_5y": False,
        "has_recognised_provincial_or_ministerial_rd_institution": False,
        "led_standard_within_5y": False,
    },
    "expert_inputs": {
        "ip_advancement": 6,
        "ip_core_support": 6,
        "ip_acquisition": 5,
        "ip_standards_bonus": 0,
        "conversions_3y": 10,
        "rd_mgmt": [5, 4, 3, 3],
    },
}


def case17(**changes: Any) -> dict[str, Any]:
    """A deep copy of case-17 (docs/qualification-rules.md#offline-evaluation) with top-level keys replaced."""
    case = copy.deepcopy(CASE_17)
    case.update(changes)
    return case


def tsme_case(
    *,
    employees=80,
    tech=24,
    sales=4200,
    assets=6300,
    cost=3360,
    rd=300,
    class1=0,
    class2=3,
    year=2025,
    **extra,
) -> dict[str, Any]:
    """The worked example of docs/qualification-rules.md#tech-sme-worked-example (base year 2025, evaluated 2026-03-01), with overrides."""
    ip = [{"kind": "invention_patent"}] * class1 + [{"kind": "utility_model"}] * class2
    case = {
        "id": "tsme",
        "application_date": f"{year + 1}-03-01",
        "registration_date": "2018-01-01",
        "is_resident_enterprise": True,
        "fiscal_years": {
            str(year): {
                "employees_total": employees,
                "tech_staff": tech,
                "sales_revenue": sales,
                "total_assets": assets,
                "total_cost_expense": cost,
                "rd_expense_deduction_scope": rd,
            }
        },
        "ip_assets": ip,
        "certificates": [],
        "incidents": [],
        "credit_flags": {"abnormal_operation_list": False, "serious_dishonesty_list": False},
        "flags": {
            "product_in_prohibited_restricted_eliminated_catalogue": False,
            "national_st_award_top3_within_5y": False,
            "has_recognised_provincial_or_ministerial_rd_institution": False,
            "led_standard_within_5y": False,
        },
    }
    case.update(extra)
    return case


def cond_status(tier: dict, cid: str) -> str:
    return next(c for c in tier["conditions"] if c["id"] == cid)["status"]


# --- random generator (boundary-heavy) ---------------------------------------------------------

_MONEY_EDGES = [
    0,
    1,
    100,
    2400,
    4200,
    4999.99,
    5000,
    5000.01,
    9800,
    19999.99,
    20000,
    20000.01,
    30000,
]
_RATES = [0, 1, 2, 3, 4, 5, 6, 10, 15, 20, 25, 30, 35, 60, 100]


def _money(r: random.Random) -> Decimal:
    if r.random() < 0.4:
        return Decimal(str(r.choice(_MONEY_EDGES)))
    return Decimal(r.randrange(0, 3_000_000)) / 100


def _part(r: random.Random, whole: Decimal) -> Decimal:
    """whole × a boundary-ish percentage (exact to 4 dp) or a random 2-dp amount."""
    if r.random() < 0.6:
        rate = Decimal(str(r.choice(_RATES))) + Decimal(r.choice(["0", "0", "0.5", "-0.01"]))
        return max(Decimal(0), whole * rate / 100).quantize(Decimal("0.000001"), ROUND_FLOOR)
    return Decimal(r.randrange(0, 200_000)) / 100


def _maybe(r: random.Random, value: Any, p_missing: float = 0.08) -> Any:
    return None if r.random() < p_missing else value


def random_case(r: random.Random, idx: int = 0) -> dict[str, Any]:
    """A random case; every value is exact to the fen so both faces can represent it."""
    app_year = r.choice([2024, 2025, 2026])
    app = f"{app_year}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}"
    reg_year = r.choice([app_year - 8, app_year - 3, app_year - 2, app_year - 1, app_year])
    reg = f"{reg_year}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}"
    years = {}
    for y in (app_year - 3, app_year - 2, app_year - 1):
        if r.random() < 0.05:
            continue
        sales = _money(r)
        rd = _part(r, sales)
        rec = {
            "sales_revenue": _maybe(r, float(sales)),
            "rd_expense_hnte": _maybe(r, float(rd)),
            "rd_expense_hnte_domestic": _maybe(r, float(_part(r, rd))),
            "total_assets": _maybe(r, float(_money(r))),
            "total_liabilities": _maybe(r, float(_money(r)) / 2),
        }
        if y == app_year - 1:
            emp = r.choice([0, 1, 10, 42, 80, 500, 501, r.randint(1, 600)])
            tech = min(
                emp, r.choice([0, 1, emp // 10, emp // 5, emp * 3 // 10, r.randint(0, emp or 1)])
            )
            if r.random() < 0.5:
                start, end = r.randint(0, 60), r.randint(0, 60)
                rec["staff_monthly"] = [[start + 10, end + 10]] * 12
                rec["tech_staff_monthly"] = [[start // 3, end // 3]] * 12
            else:
                rec["employees_avg"] = _maybe(r, float(Decimal(r.randrange(0, 60000)) / 100))
                rec["tech_staff_avg"] = _maybe(r, float(Decimal(r.randrange(0, 9000)) / 100))
            income = _money(r)
            rec.update(
                {
                    "employees_total": _maybe(r, emp),
                    "tech_staff": _maybe(r, tech),
                    "total_income": _maybe(r, float(income)),
                    "non_taxable_income": _maybe(r, r.choice([0, 0, 10.5])),
                    "hightech_income": _maybe(r, float(_part(r, income))),
                    "total_cost_expense": _maybe(r, float(_money(r))),
                    "rd_expense_deduction_scope": _maybe(r, float(_part(r, sales))),
                }
            )
        years[str(y)] = {k: v for k, v in rec.items() if v is not None}
    kinds = [
        "invention_patent",
        "utility_model",
        "design_patent",
        "software_copyright",
        "trademark",
    ]
    ip = None
    if r.random() > 0.1:
        ip = []
        for _ in range(r.choice([0, 0, 1, 2, 3, 4, 5, 6])):
            ip.append(
                {
                    "kind": r.choice(kinds),
                    "acquisition": r.choice(["self_developed", "transferred", None]),
                    "used_in_hnte_application_year": r.choice([None, None, app_year - 3]),
                }
            )

    def b(p=0.1):
        return _maybe(r, r.random() < p, 0.1)

    case = {
        "id": f"gen-{idx}",
        "application_date": app,
        "registration_date": _maybe(r, reg, 0.05),
        "is_resident_enterprise": _maybe(r, r.random() > 0.03, 0.05),
        "registered_region": r.choice([None, "浙江省宁波市慈溪市", "江苏省"]),
        "fiscal_years": years,
        "incidents": None
        if r.random() < 0.1
        else (
            [{"date": f"{app_year - 1}-06-01", "kind": "major_quality"}]
            if r.random() < 0.05
            else []
        ),
        "credit_flags": {"abnormal_operation_list": b(0.03), "serious_dishonesty_list": b(0.02)},
        "flags": {
            "product_in_prohibited_restricted_eliminated_catalogue": b(0.03),
            "core_tech_in_supported_fields": b(0.8),
            "national_st_award_top3_within_5y": b(0.02),
            "has_recognised_provincial_or_ministerial_rd_institution": b(0.05),
            "led_standard_within_5y": b(0.03),
            "owns_ip_and_products_based_on_it": b(0.7),
            "has_innovation_spending_and_capacity": b(0.7),
            "is_sme": b(0.9),
        },
        "expert_inputs": {
            "ip_advancement": _maybe(r, r.randint(0, 8), 0.3),
            "ip_core_support": _maybe(r, r.randint(0, 8), 0.3),
            "ip_acquisition": _maybe(r, r.randint(0, 6), 0.3),
            "ip_standards_bonus": _maybe(r, r.randint(0, 2), 0.3),
            "conversions_3y": _maybe(r, r.choice([0, 1, 2, 3, 6, 9, 10, 12, 15, 20]), 0.1),
            "rd_mgmt": _maybe(
                r, [r.randint(0, 6), r.randint(0, 6), r.randint(0, 4), r.randint(0, 4)], 0.3
            ),
        },
    }
    if ip is not None:
        case["ip_assets"] = ip
    if r.random() < 0.9:
        issue_year = r.choice([app_year - 4, app_year - 3, app_year - 2])
        case["certificates"] = [
            {"kind": "high_tech", "issue_date": f"{issue_year}-{r.randint(1, 12):02d}-14"}
        ]
    return case


def variant_case17(r: random.Random, idx: int = 0) -> dict[str, Any]:
    """case-17 with generous expert points and random boundary perturbations (many passes)."""
    case = copy.deepcopy(CASE_17)
    case["id"] = f"v17-{idx}"
    ex = case["expert_inputs"]
    ex.update(
        {
            "ip_quantity": 8,
            "conversion_points": r.choice([13, 18]),
            "growth_net_assets_points": r.choice([7, 8]),
            "growth_sales_points": r.choice([7, 8]),
            "ip_advancement": r.randint(5, 8),
        }
    )
    y3 = case["fiscal_years"]["2025"]
    if r.random() < 0.3:
        y3["sales_revenue"] = r.choice([5000, 5000.01, 20000, 20000.01])
    if r.random() < 0.3:
        y3["tech_staff_avg"] = r.choice([4.21, 4.217, 4.22, 3])
    if r.random() < 0.3:
        y3["hightech_income"] = r.choice([2640, 2639.99, 2640.01])
    if r.random() < 0.3:
        y3["rd_expense_deduction_scope"] = r.choice([0, 84, 100, 168, 252])
    if r.random() < 0.2:
        case["certificates"][0]["issue_date"] = r.choice(["2023-05-01", "2023-05-02", "2023-04-30"])
    if r.random() < 0.2:
        case["ip_assets"] = r.choice(
            [[], [{"kind": "utility_model", "used_in_hnte_application_year": 2022}]]
        )
    if r.random() < 0.2:
        case["registration_date"] = r.choice(["2025-05-01", "2025-05-02", "2024-06-30"])
    return case


def mixed_case(r: random.Random, idx: int = 0) -> dict[str, Any]:
    """Mostly random cases, one in five a case-17 variant."""
    return variant_case17(r, idx) if r.random() < 0.2 else random_case(r, idx)
