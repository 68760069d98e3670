"""The importer: good and bad workbooks (each error class), all-or-nothing, dry runs,
re-import without changes, history, and the export → import round trip."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from kechuang.enterprises.models import AnnualFigure, Enterprise, Qualification
from kechuang.enterprises.tests.factories import make_credit_code, make_enterprise, make_town
from kechuang.imports.exports import errors_workbook, export_workbook, template_workbook
from kechuang.imports.schemas import SCHEMAS
from kechuang.imports.services import import_file

pytestmark = pytest.mark.django_db

AF = SCHEMAS["annual_figures"]
ENT = SCHEMAS["enterprises"]


def workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


@pytest.fixture
def town():
    return make_town("浒山街道")


def enterprise_rows(town_name, codes):
    return [ENT.headers] + [
        [c, f"企业{i}", town_name, "3851", "2015-03-01", "", "", "是"] for i, c in enumerate(codes)
    ]


def figure_row(code, year=2024, revenue=50_000_000, staff=100, tech=20, rd=1_500_000.55):
    row = dict.fromkeys(AF.headers)
    row.update(
        {
            "统一社会信用代码": code,
            "年度": year,
            "规上工业企业": "是",
            "营业收入（元）": revenue,
            "年末从业人员数": staff,
            "年末科技人员数": tech,
            "研发费用-统计口径（元）": rd,
        }
    )
    return [row[h] for h in AF.headers]


def test_good_workbook_creates_then_reimport_changes_nothing(tmp_path, town):
    codes = [make_credit_code() for _ in range(3)]
    path = workbook(
        tmp_path / "ok.xlsx",
        {
            ENT.sheet: enterprise_rows(town.name, codes),
            AF.sheet: [AF.headers] + [figure_row(c) for c in codes],
        },
    )
    first = import_file(path, dry_run=False)
    assert first.errors == []
    assert first.summary()["created"] == 6
    figure = AnnualFigure.objects.get(enterprise__credit_code=codes[0], year=2024)
    assert figure.rd_expense_stat == Decimal("1500000.55")
    assert figure.source == "import" and figure.source_row == 2
    assert figure.history.count() == 1

    again = import_file(path, dry_run=False)
    assert again.summary() | {"sheets": None} == {
        "rows": 6,
        "created": 0,
        "updated": 0,
        "unchanged": 6,
        "errors": 0,
        "sheets": None,
    }
    assert figure.history.count() == 1


def test_dry_run_writes_nothing_but_reports_what_would_happen(tmp_path, town):
    code = make_credit_code()
    path = workbook(
        tmp_path / "dry.xlsx",
        {ENT.sheet: enterprise_rows(town.name, [code]), AF.sheet: [AF.headers, figure_row(code)]},
    )
    result = import_file(path, dry_run=True)
    assert result.summary()["created"] == 2
    assert not Enterprise.objects.exists() and not AnnualFigure.objects.exists()


def test_changed_value_is_an_update_with_before_and_after_in_history(tmp_path, town):
    enterprise = make_enterprise(town=town)
    AnnualFigure.objects.create(
        enterprise=enterprise, year=2024, operating_revenue=1, rd_expense_stat=2
    )
    path = workbook(
        tmp_path / "upd.xlsx", {AF.sheet: [AF.headers, figure_row(enterprise.credit_code, rd=3)]}
    )
    result = import_file(path, dry_run=False)
    assert result.summary()["updated"] == 1
    figure = AnnualFigure.objects.get(enterprise=enterprise)
    assert figure.rd_expense_stat == Decimal("3.00")
    assert figure.history.latest().history_change_reason.startswith("import")


@pytest.mark.parametrize(
    ("header", "value", "expected_message_start"),
    [
        (
            "统一社会信用代码",
            "91350100M000100Y44",
            "Wrong check character: for this code it should be “3”",
        ),
        ("年度", "twenty", "Not a number"),
        ("年度", 1899, "Must be at least"),
        ("营业收入（元）", -1, "Must be at least 0"),
        ("营业收入（元）", "12abc", "Not a number"),
        ("规上工业企业", "maybe", "Write 是"),
        ("年末从业人员数", 10.5, "Must be a whole number"),
    ],
)
def test_each_cell_error_class_names_sheet_row_column_and_value(
    tmp_path, town, header, value, expected_message_start
):
    enterprise = make_enterprise(town=town)
    row = figure_row(enterprise.credit_code)
    row[AF.headers.index(header)] = value
    path = workbook(
        tmp_path / "bad.xlsx",
        {AF.sheet: [AF.headers, figure_row(enterprise.credit_code, year=2023), row]},
    )
    result = import_file(path, dry_run=False, language="en")
    errors = [e for e in result.errors if e["column"] == header]
    assert errors, result.errors
    assert errors[0]["sheet"] == AF.sheet and errors[0]["row"] == 3
    assert errors[0]["message"].startswith(expected_message_start)
    assert not AnnualFigure.objects.exists()  # all-or-nothing: the good row was not written either


def test_consistency_duplicates_and_references(tmp_path, town):
    enterprise = make_enterprise(town=town)
    unknown = make_credit_code()
    path = workbook(
        tmp_path / "bad.xlsx",
        {
            AF.sheet: [
                AF.headers,
                figure_row(enterprise.credit_code, staff=10, tech=20),  # S&T staff > staff
                figure_row(enterprise.credit_code, year=2023),
                figure_row(enterprise.credit_code, year=2023),  # duplicate key
                figure_row(unknown),  # enterprise not registered
            ]
        },
    )
    messages = {
        (e["row"], e["message"].split(" (")[0].split(";")[0])
        for e in import_file(path, dry_run=False, language="en").errors
    }
    assert (2, "S&T staff exceed staff") in messages
    assert (4, "Duplicate of row 3 in this sheet.") in messages
    assert (5, "No enterprise with this credit code") in messages
    assert not AnnualFigure.objects.exists()


def test_unknown_town_industry_and_missing_required_column(tmp_path, town):
    path = workbook(
        tmp_path / "ent.xlsx",
        {ENT.sheet: [ENT.headers, [make_credit_code(), "甲", "火星镇", "9951", "", "", "", ""]]},
    )
    result = import_file(path, dry_run=True, language="en")
    columns = {e["column"]: e["message"] for e in result.errors}
    assert columns["镇街道"] == "Not a town or street of this region."
    assert columns["行业代码"] == "No such industry division in GB/T 4754-2017."

    path = workbook(
        tmp_path / "cols.xlsx",
        {ENT.sheet: [["统一社会信用代码", "奇怪的列"], [make_credit_code(), "x"]]},
    )
    result = import_file(path, dry_run=True, language="en")
    assert {e["column"] for e in result.file_errors} >= {
        "奇怪的列",
        "企业名称",
        "镇街道",
        "行业代码",
    }


def test_messages_in_chinese_by_default(tmp_path, town):
    path = workbook(
        tmp_path / "zh.xlsx",
        {ENT.sheet: [ENT.headers, ["91350100M000100Y44", "甲", town.name, "3851", "", "", "", ""]]},
    )
    message = import_file(path, dry_run=True, language="zh-hans").errors[0]["message"]
    assert "3" in message and "校验" in message


def test_not_a_workbook_is_a_clear_error(tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_text("hello")
    result = import_file(path, dry_run=False, language="en")
    assert result.errors[0]["message"] == "The file could not be read as an Excel workbook."


def test_high_tech_expiry_defaults_to_three_years(tmp_path, town):
    enterprise = make_enterprise(town=town)
    q = SCHEMAS["qualifications"]
    row = {h: None for h in q.headers} | {
        "统一社会信用代码": enterprise.credit_code,
        "资质类型": "高新技术企业",
        "年度": 2022,
        "发证日期": "2022-12-14",
    }
    import_file(
        workbook(tmp_path / "q.xlsx", {q.sheet: [q.headers, [row[h] for h in q.headers]]}),
        dry_run=False,
    )
    qualification = Qualification.objects.get()
    assert str(qualification.expiry_date) == "2025-12-13"
    assert qualification.kind == "high_tech"


def test_template_has_headers_and_instructions():
    wb = load_workbook(io.BytesIO(template_workbook(AF)))
    assert wb.sheetnames == [AF.sheet, "填写说明"]
    assert [c.value for c in wb[AF.sheet][1]] == AF.headers
    assert wb["填写说明"].max_row > len(AF.headers)


def test_error_report_workbook(tmp_path):
    content = errors_workbook(
        [
            {
                "sheet": "年度数据",
                "row": 3,
                "column": "年度",
                "value": "x",
                "message": "Not a number.",
            }
        ]
    )
    ws = load_workbook(io.BytesIO(content)).active
    assert [c.value for c in ws[2]] == ["年度数据", 3, "年度", "x", "Not a number."]


money = st.one_of(st.none(), st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False))


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(st.tuples(money, money, st.integers(0, 5000), st.booleans()), min_size=1, max_size=6)
)
def test_export_then_import_changes_nothing(tmp_path_factory, rows):
    AnnualFigure.objects.all().delete()
    town = make_town()
    for revenue, rd, staff, above in rows:
        AnnualFigure.objects.create(
            enterprise=make_enterprise(town=town),
            year=2024,
            operating_revenue=revenue,
            rd_expense_stat=rd,
            employees_year_end=staff,
            tech_staff_year_end=staff // 3,
            is_above_scale_industrial=above,
        )
    path = tmp_path_factory.mktemp("rt") / "export.xlsx"
    path.write_bytes(export_workbook(AF, AnnualFigure.objects.all()))
    result = import_file(path, dry_run=False)
    assert result.errors == []
    assert result.summary()["unchanged"] == len(rows)
    assert result.summary()["created"] == result.summary()["updated"] == 0


@pytest.mark.parametrize("entity", list(SCHEMAS))
def test_export_of_no_rows_is_an_empty_workbook(entity):
    from django.apps import apps

    model = apps.get_model(SCHEMAS[entity].model_label)
    ws = load_workbook(io.BytesIO(export_workbook(SCHEMAS[entity], model.objects.none()))).active
    assert [c.value for c in ws[1]] == SCHEMAS[entity].headers and ws.max_row == 1


def test_dry_run_lists_each_changed_cell_before_and_after(tmp_path, town, client):
    from kechuang.enterprises.tests.factories import make_user
    from kechuang.imports.models import ImportBatch

    enterprise = make_enterprise(town=town)
    AnnualFigure.objects.create(
        enterprise=enterprise, year=2024, operating_revenue=50_000_000, rd_expense_stat=2
    )
    path = workbook(
        tmp_path / "diff.xlsx",
        {AF.sheet: [AF.headers, figure_row(enterprise.credit_code, rd=1_500_000.55)]},
    )
    result = import_file(path, dry_run=True)
    (sheet,) = result.summary()["sheets"]
    (change,) = sheet["changes"]
    assert change["row"] == 2 and enterprise.credit_code in change["key"]
    by_column = {f["column"]: (f["before"], f["after"]) for f in change["fields"]}
    assert by_column["研发费用-统计口径（元）"] == ("2", "1500000.55")
    assert "营业收入（元）" not in by_column  # unchanged columns are not listed
    assert AnnualFigure.objects.get().rd_expense_stat == Decimal("2.00")  # nothing written
    # The import page shows the same diff.
    staff = make_user("bureau_staff")
    batch = ImportBatch.objects.create(
        entity="annual_figures", file_name="diff.xlsx", dry_run=True, status="validated",
        summary=result.summary(), created_by=staff,
    )  # fmt: skip
    client.force_login(staff)
    html = client.get(f"/imports/{batch.pk}/").content.decode()
    table = html.split('data-testid="change-table"', 1)[1].split("</table>", 1)[0]
    assert "1500000.55" in table and "研发费用-统计口径（元）" in table


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="planner statistics after a bulk load are a PostgreSQL matter",
)
def test_large_import_refreshes_the_figures_statistics_not_their_history(tmp_path, town):

    from kechuang.imports.services import ANALYZE_MIN_ROWS

    codes = [make_credit_code() for _ in range(ANALYZE_MIN_ROWS)]
    path = workbook(
        tmp_path / "big.xlsx",
        {
            ENT.sheet: enterprise_rows(town.name, codes),
            AF.sheet: [AF.headers] + [figure_row(c) for c in codes],
        },
    )
    assert import_file(path, dry_run=False).errors == []

    def estimated_rows(model) -> float:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [model._meta.db_table]
            )
            return cursor.fetchone()[0]

    # ANALYZE ran inside the test's transaction and counted its rows; the history table was
    # left to autovacuum, which cannot see uncommitted rows
    assert estimated_rows(AnnualFigure) == ANALYZE_MIN_ROWS
    assert estimated_rows(AnnualFigure.history.model) < ANALYZE_MIN_ROWS
