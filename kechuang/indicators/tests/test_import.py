"""Peer-region values from Excel: every bad cell reported with its row, nothing written unless
the whole sheet is valid; export → import round-trips."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook

from kechuang.core.roles import Role
from kechuang.enterprises.tests.factories import make_user
from kechuang.indicators.models import Indicator, IndicatorValue
from kechuang.indicators.services import (
    PEER_VALUES,
    indicator_values_import,
    indicator_values_workbook,
)
from kechuang.regions.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    Region.objects.create(code="330203", name="海曙区", province="浙江省", city="宁波市")
    Region.objects.create(code="330102", name="上城区", province="浙江省", city="杭州市")
    Indicator.objects.create(code="share", name_zh="占比", unit="%", max_value=100)
    Indicator.objects.create(code="count", name_zh="数量", unit="家")
    return make_user(Role.BUREAU_STAFF)


def workbook(tmp_path, rows, headers=None, name="values.xlsx"):
    wb = Workbook()
    ws = wb.active
    ws.title = PEER_VALUES.sheet
    ws.append(headers or PEER_VALUES.headers)
    for row in rows:
        ws.append(row)
    path = tmp_path / name
    wb.save(path)
    return path


def test_valid_sheet_is_written(setup, tmp_path):
    path = workbook(tmp_path, [
        ["330203", "海曙区", "share", "", 2024, 55.5],
        ["330102", "上城区", "count", "", 2024, 1200],
    ])  # fmt: skip
    result = indicator_values_import(path, user=setup)
    assert result.committed and result.errors == [] and result.created == 2
    assert IndicatorValue.objects.get(region__code="330203").value == pytest.approx(55.5)
    # The same file again changes nothing.
    again = indicator_values_import(path, user=setup)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_bad_rows_are_reported_by_row_and_nothing_is_written(setup, tmp_path):
    path = workbook(tmp_path, [
        ["330203", "", "share", "", 2024, 55.5],       # row 2: fine
        ["999999", "", "share", "", 2024, 10],         # row 3: unknown region
        ["330102", "", "nope", "", 2024, 10],          # row 4: unknown indicator
        ["330102", "", "share", "", 2024, 120],        # row 5: above 100 %
        ["330102", "", "count", "", "二〇二四", 3],     # row 6: year not a number
        ["330102", "", "count", "", 2024, ""],         # row 7: value missing
        ["330203", "", "share", "", 2024, 56],         # row 8: duplicate of row 2
    ])  # fmt: skip
    result = indicator_values_import(path, user=setup, language="en")
    assert not result.committed
    rows = {(e["row"], e["column"]) for e in result.errors}
    assert {(3, "地区代码"), (4, "指标代码"), (5, "数值"), (6, "年度"), (7, "数值")} <= rows
    assert any(e["row"] == 8 and "row 2" in e["message"] for e in result.errors)
    assert IndicatorValue.objects.count() == 0


def test_messages_in_chinese(setup, tmp_path):
    path = workbook(tmp_path, [["999999", "", "share", "", 2024, 10]])
    result = indicator_values_import(path, user=setup, language="zh-hans")
    assert result.errors[0]["row"] == 2 and result.errors[0]["message"]


def test_unknown_and_missing_columns(setup, tmp_path):
    path = workbook(tmp_path, [["330203", 2024, 1]], headers=["地区代码", "年份", "数值"])
    result = indicator_values_import(path, user=setup)
    assert {e["column"] for e in result.errors} >= {"年份", "指标代码", "年度"}
    assert IndicatorValue.objects.count() == 0


def test_dry_run_writes_nothing(setup, tmp_path):
    path = workbook(tmp_path, [["330203", "", "share", "", 2024, 55.5]])
    result = indicator_values_import(path, user=setup, dry_run=True)
    assert result.created == 1 and not result.committed
    assert IndicatorValue.objects.count() == 0


def test_not_a_workbook(setup, tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"not excel")
    assert indicator_values_import(path, user=setup).errors


def test_only_staff_import(setup, tmp_path):
    path = workbook(tmp_path, [["330203", "", "share", "", 2024, 55.5]])
    with pytest.raises(PermissionDenied):
        indicator_values_import(path, user=make_user(Role.LEADER))


def test_export_round_trips(setup, tmp_path):
    indicator_values_import(
        workbook(tmp_path, [["330203", "", "share", "", 2024, 55.5]]), user=setup
    )
    exported = tmp_path / "export.xlsx"
    exported.write_bytes(indicator_values_workbook(year=2024))
    result = indicator_values_import(exported, user=setup)
    assert result.errors == [] and result.unchanged == 1


def test_upload_page_shows_errors(setup, client, tmp_path):
    client.force_login(setup)
    path = workbook(tmp_path, [["999999", "", "share", "", 2024, 10]])
    with open(path, "rb") as f:
        response = client.post("/indicators/values/import/", {"file": f})
    assert response.status_code == 200
    assert 'data-testid="values-import-errors"' in response.content.decode()
    assert IndicatorValue.objects.count() == 0


def test_range_is_per_indicator_negative_growth_accepted(setup, tmp_path):
    Indicator.objects.create(code="gdp_growth", name_zh="GDP增速", unit="%", min_value=None)
    path = workbook(tmp_path, [
        ["330203", "", "gdp_growth", "", 2024, -1.25],   # row 2: a fall is a value
        ["330102", "", "count", "", 2024, -3],           # row 3: a count is never negative
    ])  # fmt: skip
    result = indicator_values_import(path, user=setup, language="en")
    assert [(e["row"], e["column"]) for e in result.errors] == [(3, "数值")]
    assert "at least 0" in result.errors[0]["message"]
    path = workbook(tmp_path, [["330203", "", "gdp_growth", "", 2024, -1.25]], name="ok.xlsx")
    assert indicator_values_import(path, user=setup).committed
    assert IndicatorValue.objects.get(indicator__code="gdp_growth").value == -1.25


def test_values_keep_full_precision(setup, tmp_path):
    tiny, ratio = 0.0001492366795402597, 0.12345678901234566
    path = workbook(tmp_path, [
        ["330203", "", "count", "", 2024, tiny],
        ["330102", "", "count", "", 2024, ratio],
    ])  # fmt: skip
    assert indicator_values_import(path, user=setup).committed
    stored = dict(IndicatorValue.objects.values_list("region__code", "value"))
    # float64, not 4 (or 2) decimals; the workbook reader gives 16 significant digits
    assert stored["330203"] == pytest.approx(tiny, rel=1e-15)
    assert stored["330102"] == pytest.approx(ratio, rel=1e-15)
