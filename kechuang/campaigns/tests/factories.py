"""A small hand-made region for campaign tests: three towns, officers, enterprises, an agency.

Town A has officer_a, town B officer_b, town C no officer. Data year 2023:
  A1  above-scale, zero R&D, valid high-tech enterprise (a contradiction); declares R&D in 2024
  A2  above-scale, R&D > 0
  A3  not above-scale, zero R&D
  B1  above-scale, R&D empty (None); declares nothing in 2024
  B2  above-scale, zero R&D, national tech SME filed in 2023 (a contradiction); declares in 2024
  C1  above-scale, zero R&D, town without officer; no 2024 figures
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kechuang.core.roles import Role
from kechuang.enterprises.models import Enterprise, Qualification
from kechuang.enterprises.tests.factories import (
    make_annual_figure,
    make_enterprise,
    make_town,
    make_user,
)

from ..models import Agency, AgencyMember, Delegation

__all__ = ["World", "make_world", "make_delegation"]

YEAR = 2023


@dataclass
class World:
    town_a: object
    town_b: object
    town_c: object
    a1: Enterprise
    a2: Enterprise
    a3: Enterprise
    b1: Enterprise
    b2: Enterprise
    c1: Enterprise
    staff: object
    leader: object
    officer_a: object
    officer_b: object
    agency: Agency
    agency_user: object
    other_agency: Agency
    other_agency_user: object
    enterprise_user: object  # A1's account


def make_world() -> World:
    town_a, town_b, town_c = make_town("甲镇"), make_town("乙镇"), make_town("丙镇")
    e = {}
    for key, town in [
        ("a1", town_a), ("a2", town_a), ("a3", town_a),
        ("b1", town_b), ("b2", town_b), ("c1", town_c),
    ]:  # fmt: skip
        e[key] = make_enterprise(town=town, name=f"企业{key.upper()}")
    make_annual_figure(e["a1"], YEAR, is_above_scale_industrial=True, rd_expense_stat=0)
    make_annual_figure(e["a2"], YEAR, is_above_scale_industrial=True, rd_expense_stat=900_000)
    make_annual_figure(e["a3"], YEAR, is_above_scale_industrial=False, rd_expense_stat=0)
    make_annual_figure(e["b1"], YEAR, is_above_scale_industrial=True, rd_expense_stat=None)
    make_annual_figure(e["b2"], YEAR, is_above_scale_industrial=True, rd_expense_stat=0)
    make_annual_figure(e["c1"], YEAR, is_above_scale_industrial=True, rd_expense_stat=0)
    make_annual_figure(e["a1"], YEAR + 1, is_above_scale_industrial=True, rd_expense_stat=300_000)
    make_annual_figure(e["b1"], YEAR + 1, is_above_scale_industrial=True, rd_expense_stat=0)
    make_annual_figure(e["b2"], YEAR + 1, is_above_scale_industrial=True, rd_expense_stat=50_000)
    Qualification.objects.create(
        enterprise=e["a1"], kind="high_tech", year=2022, issue_date=dt.date(2022, 12, 1),
        expiry_date=dt.date(2025, 11, 30),
    )  # fmt: skip
    Qualification.objects.create(
        enterprise=e["b2"], kind="national_tech_sme", year=YEAR, issue_date=dt.date(YEAR, 5, 1)
    )
    agency = Agency.objects.create(name="慈溪市XX财务咨询有限公司")
    other_agency = Agency.objects.create(name="另一家代理记账公司")
    agency_user = make_user(Role.AGENCY, username="agent")
    other_agency_user = make_user(Role.AGENCY, username="agent2")
    AgencyMember.objects.create(agency=agency, user=agency_user)
    AgencyMember.objects.create(agency=other_agency, user=other_agency_user)
    return World(
        town_a=town_a,
        town_b=town_b,
        town_c=town_c,
        **e,
        staff=make_user(Role.BUREAU_STAFF, username="staffer"),
        leader=make_user(Role.LEADER, username="boss"),
        officer_a=make_user(Role.TOWN_OFFICER, town=town_a, username="officer_a"),
        officer_b=make_user(Role.TOWN_OFFICER, town=town_b, username="officer_b"),
        agency=agency,
        agency_user=agency_user,
        other_agency=other_agency,
        other_agency_user=other_agency_user,
        enterprise_user=make_user(Role.ENTERPRISE, enterprise=e["a1"], username="ent_a1"),
    )


def make_delegation(world: World, enterprise, *, days_left: int = 30, agency=None) -> Delegation:
    today = dt.date.today()
    return Delegation.objects.create(
        enterprise=enterprise,
        agency=agency or world.agency,
        start_date=today - dt.timedelta(days=10),
        end_date=today + dt.timedelta(days=days_left),
        created_by=world.staff,
    )
