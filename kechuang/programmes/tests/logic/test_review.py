from decimal import Decimal

import pytest

from kechuang.programmes.logic.review import (
    DEFAULT_SCHEME,
    Candidate,
    aggregate,
    dispersion,
    field_fit,
    propose_assignments,
    rank_by_topic,
    sheet_errors,
    sheet_total,
)


def test_field_fit_prefers_shared_terms():
    app = "新能源汽车电池管理系统研发"
    assert field_fit("电池管理与储能材料", app) > field_fit("中药材种植技术", app)
    assert field_fit("", app) == 0.0
    assert field_fit("battery", "Battery pack BATTERY") > 0.5


def test_aggregation_with_outliers():
    scores = [Decimal(80), Decimal(82), Decimal(81), Decimal(20), Decimal(99)]
    assert aggregate(scores, "mean") == Decimal("72.40")
    # trimmed mean drops one highest (99) and one lowest (20)
    assert aggregate(scores, "trimmed_mean") == Decimal("81.00")
    assert aggregate(scores, "median") == Decimal("81.00")
    assert aggregate([], "mean") is None
    assert aggregate([Decimal(70), Decimal(90)], "trimmed_mean") == Decimal("80.00")
    with pytest.raises(ValueError):
        aggregate(scores, "max")


def test_dispersion_flags_spread():
    assert dispersion([80, 80, 80]) == Decimal("0.00")
    assert dispersion([20, 80, 99]) > Decimal(15)
    assert dispersion([80]) is None


def test_sheet_total_and_errors():
    criteria = DEFAULT_SCHEME["criteria"]
    full = {c["key"]: c["max"] for c in criteria}
    assert sheet_total(criteria, full) == Decimal("100.00")
    half = {c["key"]: Decimal(c["max"]) / 2 for c in criteria}
    assert sheet_total(criteria, half) == Decimal("50.00")
    errors = sheet_errors(criteria, {**full, "innovation": "11", "team": "abc", "budget": ""})
    assert set(errors) == {"innovation", "team", "budget"}
    assert sheet_errors(criteria, full) == {}


def test_rank_by_topic_competition_ranks():
    ranks = rank_by_topic(
        [
            (1, 10, Decimal(90)),
            (2, 10, Decimal(95)),
            (3, 10, Decimal(90)),
            (4, 11, Decimal(50)),
            (5, 10, None),
        ]
    )
    assert ranks == {2: 1, 1: 2, 3: 2, 4: 1}


def test_proposal_respects_conflicts_applicant_rule_and_load():
    experts = [
        Candidate(i, text)
        for i, text in [(1, "电池 储能"), (2, "电池 材料"), (3, "软件 算法"), (4, "电池 管理")]
    ]
    apps = [(100, 7, "电池管理"), (101, 7, "电池储能"), (102, 8, "电池 软件")]
    proposal = propose_assignments(apps, experts, k=2, conflicts={(4, 100)})
    assert all(len(v) == 2 for v in proposal.values())
    assert 4 not in proposal[100]
    # no expert on two applications of applicant 7
    assert not set(proposal[100]) & set(proposal[101])
    # load balanced: nobody carries all three
    counts = {}
    for chosen in proposal.values():
        for e in chosen:
            counts[e] = counts.get(e, 0) + 1
    assert max(counts.values()) <= 2


def test_proposal_counts_existing_seats():
    experts = [Candidate(1, "a"), Candidate(2, "a"), Candidate(3, "a")]
    proposal = propose_assignments([(1, 1, "a")], experts, k=2, existing={1: {2}})
    assert len(proposal[1]) == 1 and 2 not in proposal[1]
