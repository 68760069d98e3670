"""The town table and the town chart of the dashboard show the same figure the same way: one
rounding (half up) for pages and charts; the chart options on the page carry units."""

from __future__ import annotations

import json
import re

import pytest

from kechuang.core.roles import Role
from kechuang.core.tests.test_charts import check_option
from kechuang.enterprises.tests.factories import (
    make_annual_figure,
    make_enterprise,
    make_town,
    make_user,
)

pytestmark = pytest.mark.django_db
UNITS = {"万元", "亿元", "%", "家"}


@pytest.fixture
def page(client):
    # 554 609 999 yuan = 55 460.9999 万元 (truncated: 55460) and 554 605 000 = 55 460.5 万元
    # (rounded to even: 55460); both are 55 461 万元 rounded half up.
    for town, yuan in (("浒山街道", 554_609_999), ("周巷镇", 554_605_000)):
        e = make_enterprise(town=make_town(town))
        make_annual_figure(
            e, 2024, is_above_scale_industrial=True, operating_revenue=10**10, rd_expense_stat=yuan
        )
    client.force_login(make_user(Role.BUREAU_STAFF))
    response = client.get("/dashboard/?year=2024")
    assert response.status_code == 200
    return response.content.decode()


def _option(html: str, chart_id: str) -> dict:
    match = re.search(
        rf'<script id="{chart_id}" type="application/json">(.*?)</script>', html, re.S
    )
    return json.loads(match.group(1))


def test_town_table_value_equals_town_chart_value(page):
    table = re.search(r'data-testid="town-table">(.*?)</table>', page, re.S).group(1)
    shown = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        if len(cells) == 6:
            shown[re.sub(r"<[^>]+>", "", cells[0]).strip()] = cells[4].strip()
    option = _option(page, "town-option")
    plotted = dict(
        zip(option["yAxis"]["data"], (d["value"] for d in option["series"][0]["data"]), strict=True)
    )
    assert shown == {"浒山街道": "55,461", "周巷镇": "55,461"}
    for town, text in shown.items():
        assert float(text.replace(",", "")) == plotted[town]


def test_dashboard_charts_have_units_and_distinct_colours(page):
    ids = re.findall(r'<script id="([\w-]+-option)" type="application/json">', page)
    assert {"trend-option", "intensity-option", "town-option"} <= set(ids)
    for chart_id in ids:
        option = _option(page, chart_id)
        check_option(option)
        for axis in [a for key in ("xAxis", "yAxis") for a in (
            option[key] if isinstance(option[key], list) else [option[key]]
        ) if a.get("type") == "value"]:  # fmt: skip
            assert axis["name"] in UNITS, (chart_id, axis["name"])
