"""The shared region snapshot: refreshed from the changed enterprises only, equal to a full load.

Random changes of every kind the snapshot depends on (figures saved, an enterprise moved to
another town or industry, qualifications added and deleted, rows deleted, new enterprises,
rows bulk-inserted without history) are applied in rounds; after each round the figures from
the snapshot equal those from a fresh load, the snapshot was advanced (not reloaded), and a
process holding only the old base reaches the same figures from the shared store.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest

from kechuang.core import datacache
from kechuang.enterprises.models import AnnualFigure, Enterprise, Qualification
from kechuang.enterprises.tests.factories import make_credit_code, make_town
from kechuang.rnd import selectors
from kechuang.rnd.selectors import rd_breakdown, rd_series

pytestmark = pytest.mark.django_db(transaction=True)

YEARS = [2022, 2023, 2024]
N = 240


def _region(rng: random.Random) -> list:
    towns = [make_town(f"快照镇{i}") for i in range(4)]
    enterprises = Enterprise.objects.bulk_create(
        Enterprise(
            credit_code=make_credit_code(900_000 + i),
            name=f"快照企业{i}",
            industry_code=rng.choice(["3411", "3811", "2614", "3912"]),
            town=rng.choice(towns),
        )
        for i in range(N)
    )
    AnnualFigure.objects.bulk_create(
        AnnualFigure(
            enterprise=e,
            year=year,
            is_above_scale_industrial=rng.random() < 0.8,
            operating_revenue=Decimal(rng.randrange(0, 3_000_000_000)) / 100,
            rd_expense_stat=None if rng.random() < 0.05 else Decimal(rng.randrange(0, 10**8)) / 100,
        )
        for e in enterprises
        for year in YEARS
    )
    Qualification.objects.bulk_create(
        Qualification(
            enterprise=e,
            kind=rng.choice(["high_tech", "national_tech_sme"]),
            year=2022,
            issue_date=dt.date(2022, 3, 1),
            expiry_date=dt.date(2025, 2, 28),
        )
        for e in enterprises
        if rng.random() < 0.3
    )
    return towns


def _figures() -> dict:
    out = {"series": rd_series(YEARS)}
    for by in ("town", "division", "revenue_band", "tier"):
        out[by] = sorted(rd_breakdown(2024, by), key=lambda r: str(r["key"]))
    return out


def _full(settings) -> dict:
    settings.KECHUANG_RND_SNAPSHOT = False
    try:
        return _figures()
    finally:
        settings.KECHUANG_RND_SNAPSHOT = True


def _change(rng: random.Random, towns: list) -> None:
    figures = list(AnnualFigure.objects.order_by("?")[:4])
    for f in figures[:3]:
        f.rd_expense_stat = Decimal(rng.randrange(0, 10**8)) / 100
        f.is_above_scale_industrial = not f.is_above_scale_industrial
        f.save()
    figures[3].delete()
    moved = Enterprise.objects.order_by("?").first()
    moved.town = rng.choice(towns)
    moved.industry_code = rng.choice(["3411", "2614", "1311"])
    moved.save()
    holder = Enterprise.objects.order_by("?").first()
    Qualification.objects.create(
        enterprise=holder, kind="high_tech", year=2023, issue_date=dt.date(2023, 5, 1)
    )
    gone = Qualification.objects.order_by("?").first()
    if gone is not None:
        gone.delete()
    new = Enterprise.objects.create(
        credit_code=make_credit_code(800_000 + rng.randrange(10**5)),
        name=f"新企业{rng.randrange(10**6)}",
        industry_code="3411",
        town=rng.choice(towns),
    )
    AnnualFigure.objects.create(
        enterprise=new,
        year=2024,
        is_above_scale_industrial=True,
        operating_revenue=Decimal("25000000.00"),
        rd_expense_stat=Decimal("700000.00"),
    )
    # A row inserted without a history row (a bulk insert) is seen through its new id.
    AnnualFigure.objects.bulk_create(
        [
            AnnualFigure(
                enterprise=new,
                year=2023,
                is_above_scale_industrial=True,
                operating_revenue=Decimal("20000000.00"),
                rd_expense_stat=Decimal("300000.00"),
            )
        ]
    )


@pytest.mark.parametrize("seed", [3])
def test_incremental_refresh_equals_a_full_load(settings, seed):
    rng = random.Random(seed)
    towns = _region(rng)
    selectors.snapshot_clear(shared=True)
    assert _figures() == _full(settings)
    head = datacache.shared_cache().get(selectors.HEAD_KEY)
    base = head["base"]
    for _round in range(3):
        _change(rng, towns)
        assert _figures() == _full(settings)
        head = datacache.shared_cache().get(selectors.HEAD_KEY)
        assert head["base"] == base  # advanced by a delta, not reloaded
        assert 0 < len(head["ids"]) < N
        # Another process holding the base only: the same figures from the shared delta.
        with selectors._SNAPSHOT_LOCK:
            for key in ("key", "frames", "delta"):
                selectors._LOCAL.pop(key, None)
        assert _figures() == _full(settings)
    # A process starting cold takes the base and the delta from the shared store.
    selectors.snapshot_clear()
    frames = selectors.rd_frames()
    assert (
        frames[0]
        .sort("enterprise_id", "year")
        .equals(selectors._load_figures(AnnualFigure.objects.all()).sort("enterprise_id", "year"))
    )


def test_a_large_change_reloads_the_base(settings, monkeypatch):
    rng = random.Random(5)
    _region(rng)
    selectors.snapshot_clear(shared=True)
    _figures()
    base = datacache.shared_cache().get(selectors.HEAD_KEY)["base"]
    monkeypatch.setattr(selectors, "DELTA_MIN", 10)
    for f in AnnualFigure.objects.filter(year=2024)[:40]:
        f.rd_expense_stat = Decimal(1)
        f.save()
    assert _figures() == _full(settings)
    head = datacache.shared_cache().get(selectors.HEAD_KEY)
    assert head["base"] != base and head["ids"] == []
    assert datacache.shared_cache().get(selectors.BASE_KEY + base) is None  # old base dropped


def test_the_store_is_cleared_by_a_flush():
    """migrate and the test flush send post_migrate: the shared store is emptied with them."""
    cache = datacache.shared_cache()
    cache.set("probe", 1)
    before = datacache.epoch()
    datacache.on_post_migrate(sender=None, using="default")
    assert cache.get("probe") is None
    assert datacache.epoch() == before + 1
