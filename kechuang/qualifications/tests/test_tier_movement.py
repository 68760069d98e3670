"""The ladder's movement between tiers counts each enterprise once, by the highest rung held at
each year end, on the reader's scope (the flows are memoised region-wide)."""

from __future__ import annotations

import datetime as dt

import pytest

from kechuang.qualifications.pages import tier_movement

from .builders import YEAR, high_tech_certificate, small_region

pytestmark = pytest.mark.django_db


@pytest.fixture
def region():
    data = small_region()  # "strong" holds high-tech at the end of both years
    high_tech_certificate(data["weak"], dt.date(YEAR, 3, 1))  # up: none → high-tech
    high_tech_certificate(  # down: revoked during the year
        data["young"], dt.date(YEAR - 1, 9, 1), revoked=dt.date(YEAR, 5, 1)
    )
    return data


def _flows(option) -> dict[tuple[str, str], int]:
    return {
        (link["source"], link["target"]): link["value"] for link in option["series"][0]["links"]
    }


def test_moves_up_and_down_region_wide(region):
    movement = tier_movement(region["users"]["staff"], YEAR)
    assert (movement["moved_up"], movement["moved_down"]) == (1, 1)
    flows = _flows(movement["sankey_option"])
    assert sum(flows.values()) == 3  # strong, weak, young: every enterprise once
    assert sorted(flows.values()) == [1, 1, 1]


def test_town_officer_sees_her_town_only(region):
    movement = tier_movement(region["users"]["town_a"], YEAR)
    assert (movement["moved_up"], movement["moved_down"]) == (1, 0)
    assert sum(_flows(movement["sankey_option"]).values()) == 2  # strong and weak
