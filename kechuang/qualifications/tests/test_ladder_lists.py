"""Every figure of the ladder table equals the list its link opens (for every cell, for the
bureau and for a town officer), the risk list counts down from the date it states, and the
reserve pool is a bounded shortlist that says how it was drawn."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.test import override_settings
from django.urls import reverse

from kechuang.qualifications.cells import CELLS
from kechuang.qualifications.forms import EVALUATED_TIERS
from kechuang.qualifications.models import AssessmentResult
from kechuang.qualifications.services import assessment_run_create

from .builders import YEAR, high_tech_certificate, small_region

pytestmark = pytest.mark.django_db

CELL_RE = re.compile(r'<td class="num[^"]*"><a (?:class="[^"]*" )?href="([^"]+)"[^>]*>([\d,]+)</a>')
COUNT_RE = re.compile(r'data-testid="(?:result-count|count-holders)">([\d,]+)<')


@pytest.fixture
def region():
    data = small_region()
    # A holder that fails a rule (at risk) and a reserve candidate with a numeric gap.
    lapsed = data["weak"]
    high_tech_certificate(lapsed, dt.date(2023, 3, 1))
    assessment_run_create(year=YEAR)
    return data


def _number(text: str) -> int:
    return int(text.replace(",", ""))


def _ladder_cells(client) -> dict[tuple[str, int], tuple[str, int]]:
    """(tier, column) → (link, figure) for every linked cell of the ladder table."""
    body = client.get(reverse("qualifications:ladder") + f"?year={YEAR}").content.decode()
    table = body.split('data-testid="ladder-table"')[1].split("</table>")[0]
    out = {}
    for row in re.findall(
        r'<tr data-testid="ladder-[^"]+" data-tier="([^"]+)">(.*?)</tr>', table, re.S
    ):
        tier, html = row
        for column, (href, value) in enumerate(CELL_RE.findall(html)):
            out[(tier, column)] = (href.replace("&amp;", "&"), _number(value))
    return out


@pytest.mark.parametrize("who", ["staff", "town_a"])
@pytest.mark.parametrize("cell", list(CELLS))
def test_every_ladder_cell_equals_its_list(client, region, who, cell):
    client.force_login(region["users"][who])
    cells = _ladder_cells(client)
    column = list(CELLS).index(cell)
    assert {t for t, _c in cells} == {t for t, _l in EVALUATED_TIERS}
    for tier, _label in EVALUATED_TIERS:
        href, figure = cells[(tier, column)]
        page = client.get(href)
        assert page.status_code == 200, href
        shown = COUNT_RE.search(page.content.decode())
        listed = _number(shown.group(1)) if shown else 0
        assert listed == figure, f"{who} {tier} {cell}: cell {figure}, list {listed} ({href})"


def test_cells_are_not_all_zero(client, region):
    """The fixture exercises the comparison: holders, passes and failures all occur."""
    client.force_login(region["users"]["staff"])
    cells = _ladder_cells(client)
    by_cell = {
        key: sum(v for (_t, c), (_h, v) in cells.items() if c == i) for i, key in enumerate(CELLS)
    }
    print(by_cell)
    assert all(by_cell[key] >= 1 for key in ("held", "pending", "failing", "candidates", "at_risk"))


# ------------------------------------------------------------------ validity on one date


def test_risk_countdown_runs_from_the_stated_date(client, region):
    client.force_login(region["users"]["staff"])
    strong = region["strong"]  # certificate issued 2022-12-14, valid until 2025-12-13
    url = reverse("qualifications:risk_list") + f"?year={YEAR}"
    body = client.get(url + "&on=2025-10-13").content.decode()
    assert "2025-10-13" in body
    rows = body.split('data-testid="risk-expiring"')[1].split("</table>")[0]
    assert strong.name in rows
    # 2025-10-13 → 2025-12-13 is 61 days (not counted from 1 January of the next year).
    assert re.search(r'<td class="num">61</td>', rows)
    # Today by default, stated on the page.
    today = dt.date.today().isoformat()
    assert today in client.get(url).content.decode()
    after = client.get(url + "&on=2026-01-01").content.decode()
    assert strong.name not in after.split('data-testid="risk-expiring"')[1].split("</table>")[0]


def test_expired_certificate_is_not_shown_as_valid(client, region):
    """The qualification list shows validity on the date it states, not the stored status."""
    from kechuang.enterprises.models import Qualification

    client.force_login(region["users"]["staff"])
    old = Qualification.objects.create(
        enterprise=region["odd"],
        kind="high_tech",
        year=2017,
        number="GR2017OLD",
        issue_date=dt.date(2017, 11, 1),
        expiry_date=dt.date(2020, 10, 31),
    )
    body = client.get(reverse("enterprises:qualification_list") + "?credit_code=").content.decode()
    row = body.split(old.number)[1].split("</tr>")[0]
    assert "已过期" in row and "有效" not in row.replace("有效期", "")
    assert dt.date.today().isoformat() in body


# ------------------------------------------------------------------ reserve pool


def test_reserve_pool_is_a_bounded_shortlist_that_says_how_it_was_drawn(client, region):
    client.force_login(region["users"]["staff"])
    url = reverse("qualifications:reserve_pool") + f"?year={YEAR}&tier=tech_sme_provincial"
    with override_settings(KECHUANG_RESERVE_POOL_SIZE=1):
        body = client.get(url).content.decode()
    assert body.count('data-testid="reserve-row"') == 1
    assert 'data-testid="reserve-rules"' in body and "1" in body
    # No condition id or "lacking data: H7 · gap —" style text.
    table = body.split('data-testid="reserve-table"')[1].split("</table>")[0]
    assert not re.search(r"\b[CHZK]\d[a-z]?\b", re.sub(r"<[^>]+>", " ", table))


def test_reserve_pool_ranks_by_gap_and_keeps_expert_conditions_apart(client, region):
    run = assessment_run_create(year=YEAR)
    results = AssessmentResult.objects.filter(run=run, tier="high_tech", held=False)
    assert results.exists()
    client.force_login(region["users"]["staff"])
    body = client.get(
        reverse("qualifications:reserve_pool") + f"?year={YEAR}&tier=high_tech"
    ).content.decode()
    table = body.split('data-testid="reserve-table"')[1].split("</table>")[0]
    gaps = [
        Decimal(g.replace(",", "")) for g in re.findall(r'<td class="num">([\d,.]+)</td>', table)
    ]
    assert gaps == sorted(gaps)
    # Enterprises failing an expert-scored or declared condition are not shortlisted.
    for r in results.filter(conditions__H7="fail"):
        assert r.enterprise.name not in table
    assert "缺少数据" not in table and "H7" not in table


def test_reserve_pool_page_lists_the_shortlist_in_rank_order_after_every_change(client, region):
    from kechuang.qualifications.pages import reserve_queryset
    from kechuang.qualifications.selectors import latest_run

    staff = region["users"]["staff"]
    client.force_login(staff)
    url = reverse("qualifications:reserve_pool") + f"?year={YEAR}&tier=tech_sme_provincial"

    def shown():
        page = client.get(url).context["page"]
        return [r.pk for r in page.object_list], page.paginator.count

    def expected():
        qs, _tier, eligible = reserve_queryset(
            staff, latest_run(YEAR), {"tier": "tech_sme_provincial"}
        )
        return [r.pk for r in qs], eligible

    assessment_run_create(year=YEAR)
    first = shown()
    assert first[0] and first == (expected()[0], len(expected()[0]))
    # Renaming an enterprise changes the tie order by name: the page follows at once.
    rows = AssessmentResult.objects.filter(pk__in=first[0]).select_related("enterprise")
    for r in rows:
        r.enterprise.name = f"甲{r.enterprise.name}" if r.pk == first[0][-1] else r.enterprise.name
        r.enterprise.save()
    assert shown()[0] == expected()[0]
    # A new run: the page lists that run's results.
    assessment_run_create(year=YEAR)
    again = shown()
    assert set(again[0]).isdisjoint(first[0]) and again[0] == expected()[0]
