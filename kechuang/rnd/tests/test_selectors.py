"""Regional aggregates, slices and zero-R&D lists against the hand-computed region (conftest)."""

from decimal import Decimal

import pytest
from django.db.models import Count, Q, Sum

from kechuang.enterprises.models import AnnualFigure
from kechuang.rnd import selectors
from kechuang.rnd.selectors import rd_aggregates, rd_breakdown, rd_series, zero_rd_enterprises

pytestmark = pytest.mark.django_db


def test_headline_figures_by_hand(region):
    f = rd_aggregates(2024)
    assert f["above_scale_industrial"] == 4  # E3 left the set
    assert f["above_scale_with_rd"] == 2
    assert f["above_scale_with_rd_share_pct"] == 50.0
    assert f["rd_expense_above_scale_yuan"] == Decimal("5200000.00")
    assert f["operating_revenue_above_scale_yuan"] == Decimal("180000000.00")
    assert f["rd_intensity_pct"] == round(100 * 5.2 / 180, 4)
    assert f["rd_expense_growth_pct"] == 4.0  # 5.2 m vs the 2023 set's 5.0 m (E3 included)


def test_series_and_plain_orm_agree(region):
    series = rd_series([2023, 2024])
    for year in (2023, 2024):
        orm = AnnualFigure.objects.filter(year=year, is_above_scale_industrial=True).aggregate(
            n=Count("id"),
            rd=Sum("rd_expense_stat"),
            with_rd=Count("id", filter=Q(rd_expense_stat__gt=0)),
        )
        assert series[year]["above_scale_industrial"] == orm["n"]
        assert series[year]["above_scale_with_rd"] == orm["with_rd"]
        assert series[year]["rd_expense_above_scale_yuan"] == Decimal(orm["rd"]).quantize(
            Decimal("0.01")
        )


def test_breakdown_by_town_has_growth_and_labels(region):
    a, b = region["towns"]
    rows = {r["key"]: r for r in rd_breakdown(2024, "town")}
    assert rows[a.pk]["label"] == "甲镇"
    assert rows[a.pk]["rd_expense_growth_pct"] == round(100 * 2.2 / 3, 4)
    assert rows[b.pk]["rd_expense_growth_pct"] == -100.0
    assert rows[b.pk]["rd_intensity_pct"] is None  # zero and missing revenue only


@pytest.mark.parametrize("by", ["town", "division", "revenue_band"])
def test_partitioning_slices_add_up(region, by):
    rows = rd_breakdown(2024, by)
    assert sum(r["above_scale_industrial"] for r in rows) == 4
    assert sum(r["rd_expense_above_scale_yuan"] for r in rows) == Decimal("5200000.00")


def test_tier_slice(region):
    rows = {r["key"]: r for r in rd_breakdown(2024, "tier")}
    assert rows["high_tech"]["above_scale_industrial"] == 2  # E1 and E5
    assert rows["none"]["above_scale_industrial"] == 2


def test_scoped_queryset_is_a_slice(region, users):
    scoped = AnnualFigure.objects.for_user(users["officer_a"])
    assert rd_aggregates(2024, scoped)["above_scale_industrial"] == 2


def test_snapshot_sees_saved_changes(region, monkeypatch, django_db_blocker):
    # Force the cached path even inside the test transaction.
    monkeypatch.setattr(selectors, "_snapshot_allowed", lambda: True)
    before = rd_aggregates(2024)
    assert rd_aggregates(2024) == before  # served from the snapshot
    figure = AnnualFigure.objects.get(enterprise=region["e"][1], year=2024)
    figure.rd_expense_stat = Decimal(0)
    figure.save()
    after = rd_aggregates(2024)
    assert after["above_scale_with_rd"] == before["above_scale_with_rd"] - 1
    selectors.snapshot_clear()


def test_zero_rd_lists_contradictions_first(region, users):
    e1, e2, e3, e4, e5 = region["e"]
    rows = list(zero_rd_enterprises({"kind": "zero_rd", "year": 2024}, users["staff"]))
    assert [r.pk for r in rows] == [e5.pk, e4.pk]  # E3 is not above-scale in 2024
    assert rows[0].is_contradiction and rows[0].holds_high_tech
    assert not rows[1].is_contradiction
    only = zero_rd_enterprises({"year": 2024, "contradiction_only": True}, users["staff"])
    assert list(only.values_list("pk", flat=True)) == [e5.pk]


def test_zero_rd_is_scoped_and_filtered(region, users):
    a, b = region["towns"]
    assert zero_rd_enterprises({"year": 2024}, users["officer_a"]).count() == 0
    assert zero_rd_enterprises({"year": 2024}, users["officer_b"]).count() == 2
    assert zero_rd_enterprises({"year": 2024, "town": a.pk}, users["staff"]).count() == 0
    assert zero_rd_enterprises({"year": 2024, "industry": "38"}, users["staff"]).count() == 1
    assert zero_rd_enterprises({"year": 2023}, users["staff"]).count() == 1  # E2


def test_zero_rd_rejects_bad_spec(region, users):
    with pytest.raises(ValueError):
        zero_rd_enterprises({"kind": "nope", "year": 2024}, users["staff"])
