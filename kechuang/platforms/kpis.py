"""Yearly KPI sets per platform type (configuration, docs/platforms.md#yearly-kpis).

A KPI is reported by the operator or computed from the registry (`source`); a reported KPI
that is also a recognition fact (the offline fact names) updates the platform's facts when its
yearly report is accepted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from .models import PlatformType

__all__ = ["Kpi", "KPI_SETS", "FACT_KPIS", "kpis_for", "COMPUTED", "REPORTED"]

COMPUTED, REPORTED = "computed", "reported"


@dataclass(frozen=True)
class Kpi:
    code: str
    label: Any
    unit: Any
    source: str
    kind: str = "number"  # number | bool | date
    direction: str = "up"  # up: more is better


LINKED = Kpi("linked_enterprises", _("Linked enterprises"), _("enterprises"), COMPUTED)
RD_EXPENSE = Kpi(
    "linked_rd_expense_wan", _("Linked enterprises' R&D expense"), _("10,000 yuan"), COMPUTED
)
INVENTIONS = Kpi(
    "linked_invention_patents",
    _("Invention patents granted to linked enterprises"),
    _("items"),
    COMPUTED,
)
NEW_HIGH_TECH = Kpi(
    "new_high_tech", _("Linked enterprises newly recognised high-tech"), _("enterprises"), COMPUTED
)
NEW_TECH_SME = Kpi(
    "new_tech_sme", _("Linked enterprises newly filed as tech SMEs"), _("enterprises"), COMPUTED
)
REVENUE = Kpi("revenue_wan", _("Platform revenue"), _("10,000 yuan"), REPORTED)
CONTRACTS = Kpi(
    "contract_value_wan", _("Technical contracts as seller"), _("10,000 yuan"), REPORTED
)
SERVICES = Kpi("services", _("Enterprises served"), _("enterprises"), REPORTED)

INCUBATOR_FACTS = (
    Kpi("legal_person", _("Independent legal person"), "", REPORTED, "bool"),
    Kpi("registered_date", _("Registration date"), "", REPORTED, "date"),
    Kpi("operating_since", _("Operating since"), "", REPORTED, "date"),
    Kpi("statistics_years_filed", _("Consecutive years of statistics filed"), _("years"), REPORTED),
    Kpi("area_m2", _("Self-controlled incubation area"), _("m²"), REPORTED),
    Kpi(
        "incubatee_area_m2",
        _("Area used by incubatees (incl. public service area)"),
        _("m²"),
        REPORTED,
    ),
    Kpi("fund_wan", _("Own or partner incubation fund"), _("10,000 yuan"), REPORTED),
    Kpi("fund_cases", _("Fund-use cases"), _("cases"), REPORTED),
    Kpi("staff", _("Staff"), _("persons"), REPORTED),
    Kpi("professional_staff", _("Professional incubation staff"), _("persons"), REPORTED),
    Kpi("mentors", _("Mentors"), _("persons"), REPORTED),
    Kpi("has_shared_technical_platform", _("Shared technical platform"), "", REPORTED, "bool"),
)
INCUBATOR_COMPUTED = (
    Kpi("incubatees", _("Incubatees"), _("enterprises"), COMPUTED),
    Kpi(
        "incubatees_financed",
        _("Incubatees that obtained investment or financing"),
        _("enterprises"),
        COMPUTED,
    ),
    Kpi(
        "incubatees_with_patent_applications",
        _("Incubatees that applied for patents"),
        _("enterprises"),
        COMPUTED,
    ),
    Kpi("incubatees_with_valid_ip", _("Incubatees holding valid IP"), _("enterprises"), COMPUTED),
    Kpi("graduates_cumulative", _("Graduates (cumulative)"), _("enterprises"), COMPUTED),
    Kpi("graduates_year", _("Graduates this year"), _("enterprises"), COMPUTED),
    Kpi(
        "same_industry_incubatees",
        _("Incubatees in the incubator's industry"),
        _("enterprises"),
        COMPUTED,
    ),
)
MAKER_FACTS = (
    Kpi("direction_clear", _("Clear direction and sustainable model"), "", REPORTED, "bool"),
    Kpi("legal_person_or_dedicated_body", _("Dedicated operating body"), "", REPORTED, "bool"),
    Kpi("operating_since", _("Operating since"), "", REPORTED, "date"),
    Kpi("service_area_m2", _("Service space"), _("m²"), REPORTED),
    Kpi("desks", _("Start-up desks"), _("desks"), REPORTED),
    Kpi("desk_and_public_area_m2", _("Desk and public service area"), _("m²"), REPORTED),
    Kpi("total_area_m2", _("Total area"), _("m²"), REPORTED),
    Kpi(
        "resident_teams_year",
        _("Teams and firms resident under agreement this year"),
        _("teams"),
        REPORTED,
    ),
    Kpi("new_firms_year", _("New firms this year"), _("firms"), REPORTED),
    Kpi("financed_year", _("Teams and firms financed this year"), _("teams"), REPORTED),
    Kpi("typical_cases_year", _("Typical incubation cases this year"), _("cases"), REPORTED),
    Kpi("fulltime_staff", _("Full-time professional staff"), _("persons"), REPORTED),
    Kpi("mentors", _("Mentors"), _("persons"), REPORTED),
    Kpi("events_year", _("Events this year"), _("events"), REPORTED),
    Kpi("statistics_filed", _("Torch statistics filed"), "", REPORTED, "bool"),
)
ENCLAVE_COMPUTED = (
    Kpi("residents", _("Resident enterprises"), _("enterprises"), COMPUTED),
    Kpi("returned_rd_expense_wan", _("R&D expense counted at home"), _("10,000 yuan"), COMPUTED),
    Kpi("returned_results", _("Results registered at home"), _("items"), COMPUTED),
    Kpi("returned_capacity_wan", _("Output industrialised at home"), _("10,000 yuan"), COMPUTED),
    Kpi("enclave_rd_staff", _("R&D staff in the enclave"), _("persons"), COMPUTED),
)

_COMMON = (LINKED, RD_EXPENSE, INVENTIONS, NEW_HIGH_TECH, NEW_TECH_SME, REVENUE, SERVICES)
KPI_SETS: dict[str, tuple[Kpi, ...]] = {
    PlatformType.INCUBATOR: INCUBATOR_COMPUTED
    + INCUBATOR_FACTS
    + (NEW_HIGH_TECH, NEW_TECH_SME, REVENUE),
    PlatformType.MAKER_SPACE: MAKER_FACTS + (LINKED, NEW_TECH_SME),
    PlatformType.ENCLAVE: ENCLAVE_COMPUTED + (RD_EXPENSE, INVENTIONS, REVENUE),
    PlatformType.TECH_TRANSFER_CENTRE: _COMMON + (CONTRACTS,),
    PlatformType.RESEARCH_INSTITUTE: _COMMON + (CONTRACTS,),
    PlatformType.CONCEPT_VERIFICATION: _COMMON + (CONTRACTS,),
}
# Reported KPIs that are recognition facts: they update Platform.facts on acceptance.
FACT_KPIS = {k.code for k in INCUBATOR_FACTS + MAKER_FACTS}


def kpis_for(kind: str) -> tuple[Kpi, ...]:
    """The KPI set of a platform type (the common set for types without their own)."""
    return KPI_SETS.get(kind, _COMMON)
