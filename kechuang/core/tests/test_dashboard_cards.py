"""Every dashboard card equals the list it links to, for every role that sees the dashboard.

Two towns with different numbers of enterprises, qualifications and institutions: bureau staff
see the region, the town officer of town A only town A (the cards and the lists they open apply
the same scope), the leader the region's figures without links.
"""

from __future__ import annotations

import datetime as dt

import pytest

from kechuang.core.roles import Role
from kechuang.enterprises.models import Qualification
from kechuang.enterprises.tests.factories import (
    make_annual_figure,
    make_enterprise,
    make_town,
    make_user,
)
from kechuang.platforms.models import InstitutionLevel, RDInstitution

pytestmark = pytest.mark.django_db

YEAR = 2024
# Cards whose value is not a count: the population behind their link is that of this card.
POPULATION = {
    "above_scale_with_rd_share_pct": "above_scale_with_rd",
    "rd_expense_above_scale_yuan": "above_scale_with_rd",
    "rd_expense_growth_pct": "above_scale_with_rd",
    "rd_intensity_pct": "above_scale_industrial",
}
QUALIFICATIONS = [
    # (kind, year, batch, issue date)
    ("national_tech_sme", YEAR, "", dt.date(YEAR, 5, 1)),
    ("provincial_tech_sme", YEAR, "", dt.date(YEAR, 6, 1)),
    ("municipal_cultivation", YEAR, "", dt.date(YEAR, 7, 1)),
    ("high_tech", YEAR, f"{YEAR}-1", dt.date(YEAR, 11, 1)),
    ("high_tech", YEAR - 2, f"{YEAR - 2}-2", dt.date(YEAR - 2, 12, 1)),
    ("gazelle", YEAR, "", dt.date(YEAR, 8, 1)),
    ("potential_unicorn", YEAR, "", dt.date(YEAR, 8, 1)),
    ("quasi_unicorn", YEAR, "", dt.date(YEAR, 8, 1)),
    ("unicorn", YEAR, "", dt.date(YEAR, 8, 1)),
]
LEVELS = [level.value for level in InstitutionLevel]


def _enterprises(town, n: int, offset: int):
    for i in range(n):
        e = make_enterprise(town=town)
        for year in (YEAR - 1, YEAR):
            make_annual_figure(
                e,
                year,
                is_above_scale_industrial=i != n - 1 or year == YEAR - 1,
                operating_revenue=100_000_000 + i,
                rd_expense_stat=(2_000_000 + 1000 * i) if (i + offset) % 3 else 0,
            )
        # Each enterprise holds some of the titles (different subsets per town).
        for j, (kind, year, batch, issued) in enumerate(QUALIFICATIONS):
            if (i + j + offset) % 2 == 0:
                Qualification.objects.create(
                    enterprise=e, kind=kind, year=year, batch=batch, issue_date=issued
                )
        level = LEVELS[(i + offset) % len(LEVELS)]
        RDInstitution.objects.create(
            enterprise=e, level=level, name=f"研发机构{e.pk}", year_recognised=YEAR - i % 2
        )


@pytest.fixture
def cast():
    town_a, town_b = make_town("甲镇"), make_town("乙镇")
    _enterprises(town_a, 5, 0)
    _enterprises(town_b, 3, 1)
    return {
        "staff": make_user(Role.BUREAU_STAFF),
        "officer": make_user(Role.TOWN_OFFICER, town=town_a),
        "leader": make_user(Role.LEADER),
    }


PAGES = ["/dashboard/", "/rnd/"]


def _cards(client, user, page: str = "/dashboard/") -> list[dict]:
    """Every figure card of `page` with its value, link and the card whose count its list has."""
    client.force_login(user)
    response = client.get(page, {"year": YEAR})
    assert response.status_code == 200
    ctx = response.context
    if page == "/rnd/":
        return [{**s, "section": "rd"} for s in ctx["stats"]]
    cards = [{**s, "section": "ladder"} for s in ctx["ladder_stats"]]
    cards += [{**s, "section": "rd"} for s in ctx["rd_stats"]]
    cards += [
        {**s, "key": f"institution {s['label']}", "section": "institutions"}
        for s in ctx["institution_stats"]
    ]
    cards.append(
        {
            "key": "rd_institutions_total",
            "value": ctx["institutions"]["rd_institutions_total"],
            "url": ctx["institutions_total_url"],
            "section": "institutions",
        }
    )
    return cards


def _list_count(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["table"].paginator.count


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ["staff", "officer"])
def test_every_card_equals_the_list_it_links_to(client, cast, role, page):
    cards = _cards(client, cast[role], page)
    by_key = {c["key"]: c for c in cards}
    linked = [c for c in cards if c["url"]]
    assert cards
    assert len(linked) == len(cards)  # every card of a list-reading role links somewhere
    mismatches = []
    for card in linked:
        population = card.get("population") or POPULATION.get(card["key"], card["key"])
        assert population == POPULATION.get(card["key"], card["key"])
        expected = by_key[population]["value"]
        got = _list_count(client, card["url"])
        if got != expected:
            mismatches.append(f"{card['key']}: card {expected}, list {got} ({card['url']})")
    assert not mismatches, "\n".join(mismatches)


def test_town_officer_sees_town_figures_not_the_region(client, cast):
    region = {c["key"]: c["value"] for c in _cards(client, cast["staff"])}
    town = {c["key"]: c["value"] for c in _cards(client, cast["officer"])}
    assert town["above_scale_industrial"] < region["above_scale_industrial"]
    assert town["rd_institutions_total"] < region["rd_institutions_total"]
    assert sum(v for k, v in town.items() if k.endswith("_held")) < sum(
        v for k, v in region.items() if k.endswith("_held")
    )


@pytest.mark.parametrize("page", PAGES)
def test_the_same_figure_is_the_same_on_every_page(client, cast, page):
    """The dashboard and the R&D page read one catalogue: a card of both shows one value."""
    for role in ("staff", "officer", "leader"):
        home = {c["key"]: c["value"] for c in _cards(client, cast[role])}
        other = {c["key"]: c["value"] for c in _cards(client, cast[role], page)}
        assert other
        assert {k: home[k] for k in other} == other, role


@pytest.mark.parametrize("page", PAGES)
def test_leader_reads_region_figures_without_links(client, cast, page):
    region = {c["key"]: c["value"] for c in _cards(client, cast["staff"], page)}
    cards = _cards(client, cast["leader"], page)
    assert all(c["url"] is None for c in cards)
    assert {c["key"]: c["value"] for c in cards} == region
