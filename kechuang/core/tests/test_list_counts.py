"""A list's count is exact and, where every table it reads is a memo source, reused while the
data version stands (kechuang.core.lists.list_count); table bodies render as django-tables2's
own cells did (kechuang.core.tablerows)."""

from __future__ import annotations

import pytest

from kechuang.core import lists
from kechuang.enterprises.models import Enterprise
from kechuang.enterprises.tables import EnterpriseTable
from kechuang.enterprises.tests.factories import make_enterprise, make_town
from kechuang.regions.models import Town

pytestmark = pytest.mark.django_db


@pytest.fixture
def memo_calls(monkeypatch):
    calls = []

    def memoised(name, compute, *args):
        calls.append(name)
        return compute(*args)

    monkeypatch.setattr(lists.datacache, "memoised", memoised)
    return calls


def test_count_of_source_tables_goes_through_the_memo(memo_calls):
    town = make_town("甲镇")
    for _ in range(3):
        make_enterprise(town=town)
    assert lists.list_count(Enterprise.objects.filter(town=town).order_by("name")) == 3
    assert memo_calls == ["list_count"]


def test_count_reading_another_table_is_not_memoised(memo_calls):
    make_town("乙镇")
    assert lists.list_count(Town.objects.all()) == Town.objects.count()
    assert lists.list_count(Enterprise.objects.filter(town__name="乙镇")) == 0
    assert lists.list_count(Enterprise.objects.none()) == 0  # a form with errors
    assert memo_calls == []


def test_paginator_count_equals_the_rows(memo_calls):
    town = make_town("丙镇")
    for _ in range(30):
        make_enterprise(town=town)
    table = EnterpriseTable(Enterprise.objects.filter(town=town))
    table.paginate(paginator_class=lists.CountedPaginator, per_page=25, page=2)
    assert table.paginator.count == 30
    assert len(table.page.object_list) == 5
    assert memo_calls == ["list_count"]


def test_table_body_matches_django_tables2_cells():
    from django.test import RequestFactory

    from kechuang.core.tablerows import table_body

    town = make_town("丁镇")
    for _ in range(3):
        make_enterprise(town=town)
    table = EnterpriseTable(Enterprise.objects.filter(town=town).order_by("pk"))
    table.request = RequestFactory().get("/")
    expected_cells, expected_tds = [], []
    for bound_row in table.rows:
        cells, tds = [], []
        for column, cell in bound_row.items():
            cells.append(str(cell))
            tds.append(column.attrs["td"].as_html())
        expected_cells.append(cells)
        expected_tds.append(tds)
    body = table_body(table)
    assert [[str(cell) for _td, cell in cells] for _attrs, cells in body.rows] == expected_cells
    assert [[str(td) for td, _cell in cells] for _attrs, cells in body.rows] == expected_tds
    assert len(body.rows) == 3
