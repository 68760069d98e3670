"""Row checks of the importer: money with more than two decimals, implausible dates and the
year window are row errors, with the window and date bounds taken on the day of the check."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from kechuang.enterprises.models import AnnualFigure, Enterprise
from kechuang.enterprises.tests.factories import make_credit_code, make_enterprise, make_town
from kechuang.imports.logic import ColumnSpec, parse_sheet
from kechuang.imports.schemas import SCHEMAS
from kechuang.imports.services import column_specs, import_file

from .test_import import ENT, enterprise_rows, figure_row, workbook

AF = SCHEMAS["annual_figures"]
REVENUE = "营业收入（元）"


def _money(values):
    raw = pl.DataFrame(
        {"__row": list(range(2, 2 + len(values))), "revenue": values},
        schema={"__row": pl.Int64, "revenue": pl.Utf8},
    )
    spec = ColumnSpec("revenue", REVENUE, "money", min_value=0)
    return parse_sheet(raw, [spec], key=("revenue",))


def test_money_with_a_third_decimal_is_an_error_not_rounded():
    frame, errors = _money(["1234.56", "1234.5", "1,234.50", "1234.560", "1234.567", "0.001"])
    # (the key here is the value itself, so 1234.5 and 1234.50 are also reported as duplicates)
    assert [e.row for e in errors if e.message_id == "too_many_decimals"] == [6, 7]
    assert frame.get_column("revenue").to_list()[:4] == [1234.56, 1234.5, 1234.5, 1234.56]


@pytest.mark.django_db
def test_money_error_in_a_workbook(tmp_path):
    town = make_town("浒山街道")
    enterprise = make_enterprise(town=town)
    row = figure_row(enterprise.credit_code)
    row[AF.headers.index(REVENUE)] = "50000000.125"
    path = workbook(tmp_path / "m.xlsx", {AF.sheet: [AF.headers, row]})
    result = import_file(path, dry_run=False, language="en")
    errors = [e for e in result.errors if e["column"] == REVENUE]
    assert errors and errors[0]["message"].startswith("At most 2 decimal places")
    assert not AnnualFigure.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["0001-01-01", "1900-01-01", "9999-12-31"])
def test_implausible_dates_are_row_errors(tmp_path, value):
    town = make_town("浒山街道")
    rows = enterprise_rows(town.name, [make_credit_code()])
    rows[1][ENT.headers.index("成立日期")] = value
    path = workbook(tmp_path / "d.xlsx", {ENT.sheet: rows})
    result = import_file(path, dry_run=False, language="en")
    errors = [e for e in result.errors if e["column"] == "成立日期"]
    assert errors and "not plausible" in errors[0]["message"], result.errors
    assert not Enterprise.objects.exists()


@pytest.mark.django_db
def test_date_bounds_follow_the_settings_at_check_time(settings):
    settings.KECHUANG_EARLIEST_DATE = "2000-01-01"
    spec = next(s for s in column_specs(ENT) if s.field == "registration_date")
    assert spec.min_date == dt.date(2000, 1, 1)
    assert spec.max_date > dt.date.today()


@pytest.mark.django_db
def test_year_window_is_computed_at_check_time(tmp_path, settings):
    settings.KECHUANG_FIRST_YEAR = 2024  # changed after the schemas were imported
    year = next(s for s in column_specs(AF) if s.field == "year")
    assert (year.min_value, year.max_value) == (2024, dt.date.today().year + 1)
    town = make_town("浒山街道")
    enterprise = make_enterprise(town=town)
    path = workbook(
        tmp_path / "y.xlsx", {AF.sheet: [AF.headers, figure_row(enterprise.credit_code, 2023)]}
    )
    result = import_file(path, dry_run=False, language="en")
    assert [e for e in result.errors if e["column"] == "年度"], result.errors
    assert not AnnualFigure.objects.exists()
