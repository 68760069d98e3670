"""What-if changes to a case (pure: a new case dict out, nothing is saved).

The what-if panel sets *levels* for the last fiscal year before the evaluation date (R&D
expense, S&T staff, sales revenue, IP counts) and the enterprise's own declarations for facts
the registry does not hold (incidents, credit lists, catalogue, field, awards, standards).
"""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from typing import Any

from .logic.facts import _ip_facts, day

__all__ = ["ip_counts", "last_year_record", "apply_whatif", "DECLARATIONS", "GAP_INPUTS"]

# Gap field of the engine (``gaps[].field``) → the what-if input that closes it. Every
# numeric gap has one; only the wait since registration is not a figure one can change.
GAP_INPUTS = {
    "rd_expense_hnte": "rd",
    "rd_expense_hnte_domestic": "rd_domestic",
    "rd_expense_deduction_scope": "rd_deduction",
    "hightech_income": "hightech_income",
    "tech_staff": "tech_staff",
    "tech_staff_avg": "tech_staff",
    "ip_class1_count": "ip1",
    "ip_class2_count": "ip2",
    "ip_class2_unused_count": "ip2",
    "innovation_score": "conversions",
}

# declaration field → (where it goes, value when the answer is "yes").
DECLARATIONS = {
    "no_incidents": "incidents",
    "credit_clean": "credit_flags",
    "not_prohibited": "product_in_prohibited_restricted_eliminated_catalogue",
    "core_tech_supported": "core_tech_in_supported_fields",
    "national_award": "national_st_award_top3_within_5y",
    "led_standard": "led_standard_within_5y",
}


def _counted(item: dict[str, Any], t: dt.date) -> tuple[int, int]:
    f = _ip_facts([item], t)
    return f["ip_class1_count"], f["ip_class2_unused_count"]


def ip_counts(case: dict[str, Any]) -> tuple[int, int]:
    """(Class I, unused Class II) items counted on the case's evaluation date."""
    t = day(case["application_date"])
    f = _ip_facts(case.get("ip_assets") or [], t)
    return f["ip_class1_count"], f["ip_class2_unused_count"]


def last_year_record(case: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The key and record of the last fiscal year before the evaluation date."""
    t = day(case["application_date"])
    key = str(t.year - 1)
    return key, (case.get("fiscal_years") or {}).get(key, {})


def _add(rec: dict[str, Any], key: str, delta: Decimal, floor: Decimal = Decimal(0)) -> None:
    if rec.get(key) is not None:
        rec[key] = max(floor, Decimal(str(rec[key])) + delta)


def apply_whatif(case: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``case`` with the what-if ``changes`` applied (None = leave as is).

    * ``rd`` (万元): 高企-scope R&D of the last year; the difference is added to the domestic
      part and to the super-deduction scope as well;
    * ``tech_staff`` (persons): year-end S&T staff; the difference is also added to the staff
      total and to both monthly averages (new hires raise the total, docs/qualification-rules.md#gaps);
    * ``rd_domestic`` / ``rd_deduction`` (万元): the last year's R&D incurred in China and its
      super-deduction scope, when set explicitly;
    * ``hightech_income`` (万元): the last year's high-tech product (service) income;
    * ``conversions``: S&T results converted in the last three years;
    * ``revenue`` (万元): sales revenue of the last year (total income moves with it);
    * ``ip1`` / ``ip2``: Class I / unused Class II items on the evaluation date;
    * declarations: ``"yes"`` / ``"no"`` / None for the facts of :data:`DECLARATIONS`.
    """
    new = copy.deepcopy(case)
    t = day(new["application_date"])
    key, _rec = last_year_record(new)
    fiscal = new.setdefault("fiscal_years", {})
    rec = fiscal.setdefault(key, {})
    if changes.get("rd") is not None:
        value = Decimal(str(changes["rd"]))
        old = Decimal(str(rec.get("rd_expense_hnte") or 0))
        delta = value - old
        rec["rd_expense_hnte"] = value
        if rec.get("rd_expense_hnte_domestic") is None:
            rec["rd_expense_hnte_domestic"] = value
        else:
            _add(rec, "rd_expense_hnte_domestic", delta)
        if rec.get("rd_expense_deduction_scope") is None:
            rec["rd_expense_deduction_scope"] = value
        else:
            _add(rec, "rd_expense_deduction_scope", delta)
    # Set after ``rd`` so that an explicit level wins over the moved-along part.
    for field, key in (
        ("rd_domestic", "rd_expense_hnte_domestic"),
        ("rd_deduction", "rd_expense_deduction_scope"),
        ("hightech_income", "hightech_income"),
    ):
        if changes.get(field) is not None:
            rec[key] = Decimal(str(changes[field]))
    if changes.get("conversions") is not None:
        expert = dict(new.get("expert_inputs") or {})
        expert["conversions_3y"] = int(changes["conversions"])
        new["expert_inputs"] = expert
    if changes.get("tech_staff") is not None:
        value = int(changes["tech_staff"])
        old = int(rec.get("tech_staff") or 0)
        delta = Decimal(value - old)
        rec["tech_staff"] = value
        if rec.get("employees_total") is not None:
            rec["employees_total"] = max(value, int(rec["employees_total"]) + int(delta))
        _add(rec, "tech_staff_avg", delta)
        _add(rec, "employees_avg", delta)
    if changes.get("revenue") is not None:
        value = Decimal(str(changes["revenue"]))
        old = Decimal(str(rec.get("sales_revenue") or 0))
        rec["sales_revenue"] = value
        rec.pop("main_business_revenue", None)
        _add(rec, "total_income", value - old)
    items = list(new.get("ip_assets") or [])
    for index, kind in ((0, "invention_patent"), (1, "utility_model")):
        field = ("ip1", "ip2")[index]
        if changes.get(field) is None:
            continue
        want = int(changes[field])
        have = ip_counts({**new, "ip_assets": items})[index]
        if want > have:
            items += [{"kind": kind, "acquisition": "self_developed"}] * (want - have)
        elif want < have:
            drop = have - want
            kept = []
            for item in reversed(items):
                if drop and _counted(item, t)[index]:
                    drop -= 1
                    continue
                kept.append(item)
            items = list(reversed(kept))
    new["ip_assets"] = items
    flags = new.setdefault("flags", {})
    for field, target in DECLARATIONS.items():
        answer = changes.get(field)
        if answer not in ("yes", "no"):
            continue
        yes = answer == "yes"
        if target == "incidents":
            new["incidents"] = (
                []
                if yes
                else [{"date": (t - dt.timedelta(days=30)).isoformat(), "kind": "major_safety"}]
            )
        elif target == "credit_flags":
            new["credit_flags"] = {
                "abnormal_operation_list": not yes,
                "serious_dishonesty_list": False,
            }
        elif target == "product_in_prohibited_restricted_eliminated_catalogue":
            flags[target] = not yes
        else:
            flags[target] = yes
    return new
