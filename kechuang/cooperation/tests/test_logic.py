"""The pure rules: transition tables, technical transaction amount, time limits, stage chain."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kechuang.cooperation.logic import competition, contracts, workflow


def test_brokering_table_allows_only_forward_steps_and_closing():
    t = workflow.BROKERING_TRANSITIONS
    assert workflow.can_move(t, "candidate", "contacted")
    assert workflow.can_move(t, "meeting", "meeting")  # a second meeting
    assert workflow.can_move(t, "negotiation", "contracted")
    assert not workflow.can_move(t, "candidate", "negotiation")
    assert not workflow.can_move(t, "contracted", "closed")
    assert all(
        workflow.can_move(t, s, "closed")
        for s in ("candidate", "contacted", "meeting", "negotiation")
    )


def test_demand_status_follows_the_furthest_brokering_record():
    f = workflow.demand_status_after_brokering
    assert f("open", []) == "open"
    assert f("open", ["candidate"]) == "matched"
    assert f("matched", ["closed", "negotiation"]) == "negotiating"
    assert f("negotiating", ["contracted"]) == "contracted"
    assert f("negotiating", ["closed"]) == "negotiating"  # never moves back
    assert f("expired", ["negotiation"]) == "expired"


def test_expiry_day_itself_is_still_open():
    start = dt.date(2024, 1, 1)
    end = workflow.expiry_date(start, 180)
    assert not workflow.is_expired(end, end)
    assert workflow.is_expired(end, end + dt.timedelta(days=1))


@pytest.mark.parametrize(
    ("total", "deduct", "expected"),
    [("1000000", "0", "1000000"), ("1000000", "250000.50", "749999.50"), ("500", "500", "0")],
)
def test_technical_amount_is_total_minus_non_technical_costs(total, deduct, expected):
    assert contracts.technical_amount(Decimal(total), Decimal(deduct)) == Decimal(expected)


@pytest.mark.parametrize(
    ("total", "deduct", "field"),
    [
        ("0", "0", "total_amount"),
        ("100", "-1", "non_technical_costs"),
        ("100", "100.01", "non_technical_costs"),
    ],
)
def test_technical_amount_refuses_impossible_figures(total, deduct, field):
    with pytest.raises(contracts.AmountError) as info:
        contracts.technical_amount(Decimal(total), Decimal(deduct))
    assert info.value.field == field


def test_day_30_is_on_time_and_day_31_is_late():
    accepted = dt.date(2024, 3, 1)
    deadline = contracts.decision_deadline(accepted, 30)
    assert deadline == dt.date(2024, 3, 31)
    assert not contracts.is_overdue(deadline, accepted + dt.timedelta(days=30))
    assert contracts.is_overdue(deadline, accepted + dt.timedelta(days=31))
    assert contracts.is_overdue(deadline, dt.date(2024, 4, 5), decided_on=dt.date(2024, 4, 1))
    assert not contracts.is_overdue(deadline, dt.date(2024, 4, 5), decided_on=dt.date(2024, 3, 31))


def test_working_day_limit_skips_non_working_days():
    friday = dt.date(2024, 3, 1)
    assert contracts.decision_deadline(friday, 5, working_days=True) == dt.date(2024, 3, 8)
    holiday = {dt.date(2024, 3, 4)}
    deadline = contracts.decision_deadline(
        friday, 5, working_days=True, is_workday=lambda d: d.weekday() < 5 and d not in holiday
    )
    assert deadline == dt.date(2024, 3, 11)


def test_large_contracts_get_their_own_limit():
    kwargs = {"days": 15, "large_days": 30, "threshold": Decimal(5_000_000)}
    assert contracts.decision_limit_days(Decimal(4_999_999), **kwargs) == 15
    assert contracts.decision_limit_days(Decimal(5_000_000), **kwargs) == 30


def test_every_civil_code_type_maps_to_one_of_the_four_statistical_types():
    from kechuang.cooperation.choices import ContractType, StatisticalType

    assert set(contracts.STATISTICAL_TYPE) == set(ContractType.values)
    assert set(contracts.STATISTICAL_TYPE.values()) == set(StatisticalType.values)
    assert contracts.STATISTICAL_TYPE["licence"] == "transfer"
    assert contracts.STATISTICAL_TYPE["intermediary"] == "service"


def test_stage_chain_of_each_division():
    assert competition.previous_stage("ningbo", "nb_final") == "nb_semifinal"
    assert competition.previous_stage("zhejiang", "national_semifinal") == "zj_provincial_final"
    assert competition.previous_stage("ningbo", "county") is None
    with pytest.raises(ValueError):
        competition.stage_index("ningbo", "zj_preliminary")
