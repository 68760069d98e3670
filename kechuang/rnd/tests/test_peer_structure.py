"""The diagnosis's peer structure: the median share of each high-tech-scope category among the
division's above-scale enterprises of the year (others and empty structures left out)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kechuang.enterprises.tests.factories import make_annual_figure, make_enterprise
from kechuang.rnd.diagnosis import _peer_structure

pytestmark = pytest.mark.django_db


def _figure(industry: str, personnel: int, direct: int, *, above: bool = True, year: int = 2024):
    make_annual_figure(
        make_enterprise(industry_code=industry),
        year=year,
        is_above_scale_industrial=above,
        rd_hnte_personnel=Decimal(personnel),
        rd_hnte_direct=Decimal(direct),
    )


def test_median_shares_of_the_division_peers():
    _figure("3411", 30, 70)  # personnel 0.3
    _figure("3420", 50, 50)  # 0.5
    _figure("3430", 90, 10)  # 0.9
    _figure("3411", 0, 0)  # no structure: left out
    _figure("3411", 100, 0, above=False)  # not above scale
    _figure("3511", 100, 0)  # another division
    _figure("3411", 100, 0, year=2023)  # another year
    shares = _peer_structure("34", 2024)
    assert shares["personnel"] == pytest.approx(0.5)
    assert shares["direct"] == pytest.approx(0.5)
    assert shares["other"] == pytest.approx(0.0)
    assert _peer_structure("36", 2024) == {}
