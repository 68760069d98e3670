"""Chinese labels of the recognition conditions and their parts (the pages never show ids)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

__all__ = [
    "CONDITION_LABELS",
    "PART_LABELS",
    "OPS",
    "STATUS_LABELS",
    "display_result",
    "display_links",
]

CONDITION_LABELS = {
    "I1": _("Independent legal person, operating at least 3 years, statistics filed 2 years"),
    "I2": _("Incubation area and the share used by incubatees"),
    "I3": _("Incubation fund, financed incubatees and fund-use cases"),
    "I4": _("Professional staff and mentors"),
    "I5": _("Incubatees with patent applications or valid IP"),
    "I6": _("Number and density of incubatees"),
    "I7": _("Cumulative graduates"),
    "I8": _("Same-industry incubatees and a shared technical platform"),
    "M1": _("Clear direction and sustainable model"),
    "M2": _("Dedicated operating body"),
    "M3": _("Operating at least 18 months"),
    "M4": _("Service space or desks, and the desk and public-area share"),
    "M5": _("Resident teams and firms under agreement"),
    "M6": _("New firms or financed teams"),
    "M7": _("Typical incubation cases"),
    "M8": _("Full-time staff and mentors"),
    "M9": _("Events held"),
    "M10": _("Torch statistics filed"),
    "E1": _("Meets the national tech-SME requirements"),
    "E2": _("Registered and working on site"),
    "E3": _("At most 24 months old at entry"),
    "E4": _("Incubated at most 48 months"),
    "G1": _("Recognised high-tech enterprise"),
    "G2": _("Cumulative angel/VC investment over 5 million yuan"),
    "G3": _("Revenue of 2 consecutive years over 10 million yuan in total"),
    "G4": _("Merged, acquired or listed"),
}
PART_LABELS = {
    "legal_person": _("Independent legal person"),
    "operating_years": _("Years operating"),
    "statistics_years_filed": _("Consecutive years of statistics filed"),
    "area_m2": _("Incubation area (m²)"),
    "incubatee_area_share": _("Share of area used by incubatees"),
    "fund_wan": _("Incubation fund (10,000 yuan)"),
    "financed_share": _("Share of incubatees financed"),
    "fund_cases": _("Fund-use cases"),
    "professional_staff_share": _("Share of professional staff"),
    "incubatees_per_professional_staff": _("10 × professional staff vs incubatees"),
    "incubatees_per_mentor": _("10 × mentors vs incubatees"),
    "patent_application_share": _("Share of incubatees with patent applications"),
    "valid_ip_share": _("Share of incubatees with valid IP"),
    "incubatees": _("Incubatees"),
    "incubatees_per_1000_m2": _("1,000 × incubatees vs density × area"),
    "graduates_cumulative": _("Cumulative graduates"),
    "same_industry_share": _("Share of same-industry incubatees"),
    "has_shared_technical_platform": _("Shared technical platform"),
    "direction_clear": _("Clear direction"),
    "legal_person_or_dedicated_body": _("Dedicated operating body"),
    "operating_months": _("Months operating"),
    "service_area_m2": _("Service space (m²)"),
    "desks": _("Start-up desks"),
    "desk_and_public_share": _("Share of desk and public area"),
    "resident_teams_year": _("Resident teams and firms"),
    "new_firms_year": _("New firms"),
    "financed_year": _("Financed teams"),
    "typical_cases_year": _("Typical cases"),
    "fulltime_staff": _("Full-time staff"),
    "mentors": _("Mentors"),
    "events_year": _("Events"),
    "statistics_filed": _("Statistics filed"),
    "meets_tech_sme": _("Tech SME"),
    "registered_on_site": _("On site"),
    "age_at_entry_months": _("Months old at entry"),
    "incubation_months": _("Months in incubation"),
    "high_tech_recognised": _("High-tech enterprise"),
    "angel_vc_wan": _("Angel/VC investment (10,000 yuan)"),
    "revenue_two_years_wan": _("Revenue of two consecutive years (10,000 yuan)"),
    "merged_acquired_or_listed": _("Merged, acquired or listed"),
    "professional_staff": _("Professional staff"),
    "staff": _("Staff"),
    "incubatees_financed": _("Financed incubatees"),
    "incubatee_area_m2": _("Area used by incubatees (m²)"),
    "incubatees_with_patent_applications": _("Incubatees with patent applications"),
    "incubatees_with_valid_ip": _("Incubatees with valid IP"),
    "same_industry_incubatees": _("Same-industry incubatees"),
    "operating_since": _("Years operating"),
    "desk_and_public_area_m2": _("Desk and public area (m²)"),
}
OPS = {">=": "≥", ">": "＞", "<=": "≤", "==": "＝"}
# A condition that holds reads 满足 (met), never 已完成 (done): its own context.
STATUS_LABELS = {
    "pass": pgettext_lazy("condition", "Met"),
    "fail": _("Not met"),
    "unknown": _("Unknown"),
}


def _show(value: Any, key: str = "") -> str:
    if value is True:
        return "是"
    if value is False:
        return "否"
    if value is None:
        return "—"
    if isinstance(value, float):
        if key.endswith("_share"):
            return f"{value:.2%}"
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, int) and key.endswith("_share"):
        return f"{value:.0%}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def display_result(result: dict | None) -> dict | None:
    """The result with Chinese labels and shown values, for the templates."""
    if result is None:
        return None
    conditions = []
    for c in result["conditions"]:
        conditions.append(
            {
                "id": c["id"],
                "label": CONDITION_LABELS.get(c["id"], c["id"]),
                "status": c["status"],
                "status_label": STATUS_LABELS[c["status"]],
                "clause": c["clause"],
                "reason": c.get("reason", ""),
                "parts": [
                    {
                        "label": PART_LABELS.get(p["key"], p["key"]),
                        "value": _show(p["value"], p["key"]),
                        "op": OPS.get(p["op"], p["op"]),
                        "threshold": _show(p["threshold"], p["key"]),
                        "status": p["status"],
                    }
                    for p in c.get("parts", [])
                ],
                "gaps": [
                    {
                        "label": PART_LABELS.get(g["field"], g["field"]),
                        "additional": _show(g["additional"]),
                    }
                    for g in result["gaps"]
                    if g["condition"] == c["id"]
                ],
            }
        )
    return {
        "status": result["status"],
        "status_label": STATUS_LABELS[result["status"]],
        "variant": result.get("variant"),
        "criterion": CONDITION_LABELS.get(result.get("criterion") or "", ""),
        "pending": result.get("pending_verification", False),
        "conditions": conditions,
    }


def display_links(rows: list[dict]) -> list[dict]:
    """Linked-enterprise rows with their eligibility and graduation shown."""
    for row in rows:
        row["eligibility"] = display_result(row.get("eligibility"))
        row["graduation"] = display_result(row.get("graduation"))
    return rows
