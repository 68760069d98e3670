"""Services: posting and matching, brokering to a registered contract, registration rules and
time limits, expiry and renewal, scoping of each role."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kechuang.campaigns.tests.factories import make_delegation, make_world
from kechuang.cooperation import selectors, services
from kechuang.cooperation.models import Achievement, BrokeringRecord, TechContract, TechDemand

from .factories import (
    contract_file,
    make_achievements,
    make_contract,
    make_demand,
    make_expert,
    make_organisation,
    make_university_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = make_world()
    w.org = make_organisation()
    w.achievements = make_achievements(w.staff, w.org)
    return w


def _negotiating(w, demand=None):
    demand = demand or make_demand(w.enterprise_user, w.a1)
    record = services.brokering_start(
        user=w.officer_a, demand=demand, achievement=w.achievements[0]
    )
    today = dt.date.today()
    services.brokering_move(user=w.officer_a, record=record, stage="contacted", date=today)
    services.brokering_move(
        user=w.officer_a, record=record, stage="meeting", date=today, people="李工、王教授"
    )
    services.brokering_move(user=w.officer_a, record=record, stage="negotiation", date=today)
    return record


def test_enterprise_posts_for_its_own_enterprise_and_gets_ranked_suppliers(world):
    demand = make_demand(world.enterprise_user, world.b1)  # b1 is ignored: own enterprise
    assert demand.enterprise == world.a1
    assert (
        demand.history.count() == 1 and demand.history.first().history_user == world.enterprise_user
    )
    matches = list(selectors.demand_matches(demand))
    assert matches[0].achievement == world.achievements[0]
    assert matches[0].why["reasons"]


def test_officer_may_not_post_for_another_town(world):
    with pytest.raises(ValidationError) as info:
        make_demand(world.officer_a, world.b1)
    assert "enterprise" in info.value.message_dict


def test_demand_from_a_visit_must_be_of_the_visited_enterprise(world):
    from kechuang.campaigns.models import VisitRecord

    visit = VisitRecord.objects.create(
        enterprise=world.a2,
        visit_date=dt.date.today(),
        people_met="厂长",
        findings="走访",
        created_by=world.officer_a,
    )
    with pytest.raises(ValidationError):
        make_demand(world.officer_a, world.a1, visit_record=visit)
    demand = make_demand(world.officer_a, world.a2, visit_record=visit)
    assert demand.origin == "visit" and list(visit.tech_demands.all()) == [demand]


def test_brokering_to_registered_contract_closes_the_record(world):
    record = _negotiating(world)
    assert record.demand.status == "negotiating"
    contract = make_contract(world.staff, brokering=record, seller_organisation=world.org)
    services.contract_accept(user=world.staff, contract=contract, accepted_on=dt.date.today())
    services.contract_register(
        user=world.staff,
        contract=contract,
        registered_type="dev_commissioned",
        non_technical_costs="200000",
        certificate_number="3302822024000001",
        decided_on=dt.date.today(),
    )
    contract.refresh_from_db()
    record.refresh_from_db()
    assert contract.technical_amount == Decimal("800000.00")
    assert contract.statistical_type == "development"
    assert record.stage == "contracted"
    assert record.demand.status == "contracted"
    assert list(record.steps.values_list("stage", flat=True)) == [
        "candidate", "contacted", "meeting", "negotiation", "contracted",
    ]  # fmt: skip


def test_transitions_outside_the_table_are_refused(world):
    demand = make_demand(world.enterprise_user, world.a1)
    record = services.brokering_start(
        user=world.staff, demand=demand, achievement=world.achievements[0]
    )
    with pytest.raises(ValidationError) as info:
        services.brokering_move(
            user=world.staff, record=record, stage="negotiation", date=dt.date.today()
        )
    assert "stage" in info.value.message_dict
    with pytest.raises(ValidationError):
        services.brokering_move(
            user=world.staff, record=record, stage="contracted", date=dt.date.today()
        )
    with pytest.raises(ValidationError) as info:
        services.brokering_move(
            user=world.staff, record=record, stage="closed", date=dt.date.today()
        )
    assert "reason" in info.value.message_dict
    services.brokering_move(
        user=world.staff, record=record, stage="closed", date=dt.date.today(), reason="企业自行解决"
    )
    with pytest.raises(PermissionDenied):
        services.brokering_start(
            user=world.enterprise_user, demand=demand, achievement=world.achievements[1]
        )


def test_expert_must_belong_to_the_supplier(world):
    demand = make_demand(world.enterprise_user, world.a1)
    stranger = make_expert(make_organisation("宁波大学"))
    with pytest.raises(ValidationError) as info:
        services.brokering_start(
            user=world.staff, demand=demand, supplier=world.org, expert=stranger
        )
    assert "expert" in info.value.message_dict


def test_registration_refuses_impossible_amounts_and_duplicate_numbers(world):
    first = make_contract(world.staff, total="100000", seller_organisation=world.org)
    second = make_contract(world.staff, total="100000", seller_organisation=world.org)
    for c in (first, second):
        services.contract_accept(user=world.staff, contract=c, accepted_on=dt.date.today())
    kwargs = {"user": world.staff, "registered_type": "service", "decided_on": dt.date.today()}
    with pytest.raises(ValidationError) as info:
        services.contract_register(
            contract=first, non_technical_costs="100000.01", certificate_number="N1", **kwargs
        )
    assert "non_technical_costs" in info.value.message_dict
    services.contract_register(
        contract=first, non_technical_costs="", certificate_number="N1", **kwargs
    )
    assert TechContract.objects.get(pk=first.pk).technical_amount == Decimal("100000")
    with pytest.raises(ValidationError) as info:
        services.contract_register(
            contract=second, non_technical_costs="0", certificate_number="N1", **kwargs
        )
    assert "certificate_number" in info.value.message_dict


def test_an_oral_contract_is_not_accepted_and_a_refusal_needs_a_reason(world):
    with pytest.raises(ValidationError) as info:
        make_contract(world.staff, written_contract=None)
    assert "written_contract" in info.value.message_dict
    with pytest.raises(ValidationError):
        make_contract(world.staff, written_contract=contract_file("合同.pdf", b"not a pdf"))
    contract = make_contract(world.staff)
    with pytest.raises(ValidationError):
        services.contract_refuse(
            user=world.staff, contract=contract, refusal_reason=" ", decided_on=dt.date.today()
        )
    services.contract_refuse(
        user=world.staff,
        contract=contract,
        refusal_reason="属于设备买卖，不是技术合同",
        decided_on=dt.date.today(),
    )
    assert TechContract.objects.get(pk=contract.pk).status == "refused"
    with pytest.raises(PermissionDenied):
        services.contract_accept(
            user=world.enterprise_user, contract=contract, accepted_on=dt.date.today()
        )


@pytest.mark.parametrize(("days", "late"), [(30, False), (31, True)])
def test_overdue_list_day_30_vs_31(world, days, late):
    contract = make_contract(world.staff)
    contract.applied_on = dt.date.today() - dt.timedelta(days=days + 1)
    contract.save()
    services.contract_accept(
        user=world.staff, contract=contract, accepted_on=dt.date.today() - dt.timedelta(days=days)
    )
    overdue = selectors.contracts_overdue(TechContract.objects.all(), dt.date.today())
    assert (contract in overdue) is late


def test_time_limit_and_threshold_are_configuration(world, settings):
    settings.KECHUANG_TECH_CONTRACT_DECISION_DAYS = 15
    settings.KECHUANG_TECH_CONTRACT_LARGE_DAYS = 30
    settings.KECHUANG_TECH_CONTRACT_LARGE_YUAN = 5_000_000
    small = make_contract(world.staff, total="1000000")
    large = make_contract(world.staff, total="5000000")
    assert (small.limit_days, large.limit_days) == (15, 30)
    small.accepted_on = large.accepted_on = dt.date.today() - dt.timedelta(days=16)
    assert small.is_overdue() and not large.is_overdue()


def test_expiry_and_renewal(world, settings):
    settings.KECHUANG_DEMAND_OPEN_DAYS = 10
    demand = make_demand(world.enterprise_user, world.a1)
    assert demand.expires_on == demand.posted_on + dt.timedelta(days=10)
    assert services.demands_expire(today=demand.expires_on) == 0
    assert services.demands_expire(today=demand.expires_on + dt.timedelta(days=1)) == 1
    demand.refresh_from_db()
    assert demand.status == "expired"
    services.demand_renew(user=world.enterprise_user, demand=demand)
    demand.refresh_from_db()
    assert demand.status == "open" and demand.renewals == 1


def test_scoping_of_each_role(world):
    make_delegation(world, world.a1)
    demand = make_demand(world.enterprise_user, world.a1, confidential=True)
    other = make_demand(world.staff, world.b1)
    university = make_university_user(world.org)
    stranger = make_university_user(make_organisation("武汉科技大学"), username="univ2")
    assert set(TechDemand.objects.for_user(world.enterprise_user)) == {demand}
    assert set(TechDemand.objects.for_user(world.officer_a)) == {demand}
    assert set(TechDemand.objects.for_user(world.agency_user)) == {demand}
    assert set(TechDemand.objects.for_user(world.leader)) == set()
    assert {demand, other} <= set(TechDemand.objects.for_user(university))
    assert set(TechDemand.objects.for_user(stranger)) == set()
    assert not selectors.demand_details_visible(university, demand)
    services.brokering_start(user=world.staff, demand=demand, achievement=world.achievements[0])
    assert selectors.demand_details_visible(university, demand)
    assert set(Achievement.objects.for_user(university)) == set(world.achievements)
    assert set(Achievement.objects.for_user(stranger)) == set()
    mine = set(Achievement.objects.for_user(world.enterprise_user))
    assert world.achievements[0] in mine
    assert BrokeringRecord.objects.for_user(world.officer_b).count() == 0


def test_university_posts_only_for_its_own_organisation(world):
    university = make_university_user(world.org)
    other = make_organisation("宁波大学")
    achievement = services.achievement_save(
        user=university, data={"organisation": other, "title": "新成果", "summary": "摘要"}
    )
    assert achievement.organisation == world.org  # its only organisation
    with pytest.raises(ValidationError):
        services.achievement_save(
            user=university, data={"organisation": other}, instance=achievement
        )


def test_cooperation_conflict_source(world):
    from kechuang.experts.conflicts import conflicts_for

    expert = make_expert(world.org)
    record = _negotiating(world)
    found = conflicts_for([expert.pk], world.a1.pk)
    assert any(c.kind == "brokered_cooperation" for c in found[expert.pk])
    record.started_on = dt.date.today() - dt.timedelta(days=365 * 6)
    record.save()
    assert "brokered_cooperation" not in {
        c.kind for c in conflicts_for([expert.pk], world.a1.pk).get(expert.pk, [])
    }
