"""Filter forms and the on-screen export of the registry lists.

Every list page's filter form says 全部 for "any value" (never Django's "---------" or the
NullBooleanSelect's 未知), offers yes/no filters as 全部/是/否 and the year as a picker; the
"Export to Excel" of a list writes the table the officer sees (headers, order, 万元 values).
"""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from openpyxl import load_workbook

from kechuang.campaigns.tests.factories import YEAR, make_world
from kechuang.core.formatting import format_wan

pytestmark = pytest.mark.django_db

LIST_PAGES = [
    "/enterprises/",
    "/enterprises/qualifications/",
    "/institutions/",
    "/rnd/enterprises/",
    "/campaigns/",
    "/campaigns/tasks/",
]


@pytest.fixture
def staff_client():
    world = make_world()
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(world.staff)
    return client


def _filter_form(html: str) -> str:
    match = re.search(r'<form[^>]*data-testid="filter-form".*?</form>', html, re.S)
    assert match, "no filter form"
    return match.group(0)


@pytest.mark.parametrize("url", LIST_PAGES)
def test_filter_form_says_all_for_any_value(staff_client, url):
    response = staff_client.get(url)
    assert response.status_code == 200
    form = _filter_form(response.content.decode())
    assert "---------" not in form
    assert "未知" not in form
    assert "全部" in form


def test_enterprise_filters_yes_no_year_picker_and_industry_names(staff_client):
    form = _filter_form(staff_client.get("/enterprises/").content.decode())
    above = re.search(r'<select name="above_scale".*?</select>', form, re.S).group(0)
    assert re.findall(r">([^<]+)</option>", above) == ["全部", "是", "否"]
    year = re.search(r'<select name="year".*?</select>', form, re.S)
    assert year, "the year is a select of the years with data"
    assert str(YEAR) in year.group(0)
    industry = re.search(r'<select name="industry".*?</select>', form, re.S).group(0)
    assert re.search(r">C\s*制造业</option>", industry) or "制造业" in industry


def test_boolean_filter_still_filters(staff_client):
    every = staff_client.get(f"/enterprises/?year={YEAR}").context["table"].paginator.count
    yes = staff_client.get(f"/enterprises/?year={YEAR}&above_scale=true").context["table"]
    no = staff_client.get(f"/enterprises/?year={YEAR}&above_scale=false").context["table"]
    assert yes.paginator.count + no.paginator.count == every
    assert 0 < yes.paginator.count < every


def test_enterprise_export_is_the_table_on_screen(staff_client):
    page = staff_client.get(f"/enterprises/?year={YEAR}")
    table = page.context["table"]
    # The data columns on screen (the row selection box is not exported).
    shown = [str(c.header) for c in table.columns if c.visible and c.name != "selected"]
    wb = load_workbook(
        io.BytesIO(staff_client.get(f"/enterprises/?year={YEAR}&export=xlsx").content)
    )
    ws = wb.active
    assert [c.value for c in ws[1]] == shown
    assert ws.freeze_panes == "A2"
    assert ws.max_row - 1 == table.paginator.count
    money = shown.index(str(table.columns["rd_expense_stat"].header))
    assert "万元" in shown[money]
    by_name = {r[0].value: r for r in ws.iter_rows(min_row=2)}
    for row in table.rows:
        name = row.get_cell_value("name")
        record = row.record
        cell = by_name[re.sub(r"<[^>]+>", "", str(name))][money]
        on_screen = format_wan(record.fy_rd_expense_stat)
        if record.fy_rd_expense_stat is None:
            assert cell.value is None
        else:
            assert f"{cell.value:,.2f}" == on_screen
            assert cell.number_format == "#,##0.00"


def test_import_format_export_is_its_own_button(staff_client):
    html = staff_client.get("/enterprises/").content.decode()
    assert "导出为导入格式" in html
    wb = load_workbook(io.BytesIO(staff_client.get("/enterprises/?export=import").content))
    from kechuang.imports.schemas import SCHEMAS

    assert [c.value for c in wb.active[1]] == SCHEMAS["enterprises"].headers


def test_sortable_headers_have_arrows_and_one_pagination_style(staff_client):
    html = staff_client.get("/enterprises/?sort=name").content.decode()
    assert html.count('data-testid="sort"') >= 4
    assert 'aria-sort="ascending"' in html and "▲" in html
    assert "⇅" in html
