"""Importing through /imports/: template → filled workbook → dry run with errors by row (in
Chinese and English) → error report → correct file → commit; and export → re-import changes
nothing."""

from __future__ import annotations

import io

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from kechuang.enterprises.logic.credit_code import ALPHABET, check_character
from kechuang.enterprises.models import AnnualFigure, Enterprise
from kechuang.imports.schemas import SCHEMAS
from kechuang.imports.services import error_message
from kechuang.regions.models import Town

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ENTERPRISES, FIGURES = SCHEMAS["enterprises"], SCHEMAS["annual_figures"]


def _credit_code(org: str) -> str:
    """A valid credit code of the home region with the 9-character organisation code `org`."""
    first17 = "91330282" + org
    return first17 + check_character(first17)


def _wrong_check(code: str) -> str:
    return code[:17] + next(ch for ch in ALPHABET if ch != code[17])


# ------------------------------------------------------------------ browser steps


def _download(s, link) -> bytes:
    with s.page.expect_download() as info:
        link.click()
    return info.value.path().read_bytes()


def _templates(s) -> dict[str, Workbook]:
    """Download the enterprise and yearly-figure templates from the links on /imports/."""
    s.goto("/imports/", "import-page")
    books = {}
    for schema in (ENTERPRISES, FIGURES):
        link = s.page.locator(f"a[href='/imports/templates/{schema.name}.xlsx']")
        books[schema.name] = load_workbook(io.BytesIO(_download(s, link)))
    return books


def _fill(templates: dict[str, Workbook], enterprises: list[dict], figures: list[dict]) -> bytes:
    """One workbook: the enterprise template with the yearly-figure sheet copied in, rows by field."""
    wb = templates["enterprises"]
    ws = wb[ENTERPRISES.sheet]
    headers = [c.value for c in ws[1]]
    assert headers == ENTERPRISES.headers
    fig_headers = [c.value for c in templates["annual_figures"][FIGURES.sheet][1]]
    assert fig_headers == FIGURES.headers
    fig_ws = wb.create_sheet(FIGURES.sheet)
    fig_ws.append(fig_headers)
    for sheet, schema, rows in ((ws, ENTERPRISES, enterprises), (fig_ws, FIGURES, figures)):
        by_header = {c.header: c.field for c in schema.columns}
        for row in rows:
            sheet.append([row.get(by_header[h]) for h in schema.headers])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _upload(s, content: bytes, file_name: str, label: str) -> None:
    s.goto("/imports/", f"{label}-upload")
    form = s.page.get_by_test_id("upload-form")
    form.locator("input[type=file]").set_input_files(
        {"name": file_name, "mimeType": XLSX, "buffer": content}
    )
    with s.page.expect_navigation():
        form.locator("button[type=submit]").click()
    s.page.get_by_test_id("import-summary").wait_for()
    s.shot(label)


def _summary(s) -> dict[str, int]:
    numbers = s.page.get_by_test_id("import-summary").locator(".h1").all_inner_texts()
    return dict(
        zip(["rows", "created", "updated", "unchanged", "errors"], map(int, numbers), strict=True)
    )


def _error_rows(s) -> list[tuple]:
    rows = []
    for tr in s.page.get_by_test_id("error-table").locator("tbody tr").all():
        sheet, row, column, value, message = (t.strip() for t in tr.locator("td").all_inner_texts())
        rows.append((sheet, int(row), column, value, message))
    return rows


def _switch_language(s, language: str) -> None:
    with s.page.expect_navigation():
        s.page.locator("form.kc-lang select[name=language]").select_option(language)
    s.page.wait_for_load_state()


# ------------------------------------------------------------------ tests


@pytest.fixture
def towns():
    """A town of the region for good rows."""
    return Town.objects.filter(region__kind="home").order_by("-sort_order").first()


def test_import_shows_errors_by_row_in_the_users_language(open_session, towns):
    good, unknown_town = _credit_code("MA2E2E001"), _credit_code("MA2E2E002")
    bad_check = _wrong_check(_credit_code("MA2E2E003"))
    enterprises = [
        {
            "credit_code": good,
            "name": "端到端测试电器有限公司",
            "town": towns.name,
            "industry_code": "3851",
        },
        {
            "credit_code": bad_check,
            "name": "校验位错误有限公司",
            "town": towns.name,
            "industry_code": "3851",
        },
        {
            "credit_code": unknown_town,
            "name": "镇街道错误有限公司",
            "town": "不存在镇",
            "industry_code": "3851",
        },
    ]
    figures = [
        {"credit_code": good, "year": 2024, "employees_year_end": 50, "tech_staff_year_end": 10},
        {"credit_code": good, "year": 2023, "employees_year_end": 20, "tech_staff_year_end": 30},
    ]
    staff_header = FIGURES.column("employees_year_end").header

    def expected(language):
        with translation.override(language):
            return [
                (
                    ENTERPRISES.sheet,
                    3,
                    ENTERPRISES.column("credit_code").header,
                    bad_check,
                    error_message("credit_check", (_credit_code("MA2E2E003")[17],)),
                ),
                (
                    ENTERPRISES.sheet,
                    4,
                    ENTERPRISES.column("town").header,
                    "不存在镇",
                    error_message("unknown_town", ()),
                ),
                (
                    FIGURES.sheet,
                    3,
                    FIGURES.column("tech_staff_year_end").header,
                    "30",
                    error_message("tech_staff_gt_staff", (staff_header, "20")),
                ),
            ]

    s = open_session("staff")
    content = _fill(_templates(s), enterprises, figures)

    _upload(s, content, "errors.xlsx", "dry-run-errors-zh")
    assert _summary(s)["errors"] == 3
    assert s.page.get_by_test_id("commit").count() == 0  # nothing to commit when a row is wrong
    assert _error_rows(s) == expected("zh-hans")

    report = load_workbook(io.BytesIO(_download(s, s.page.locator("a[href$='/errors.xlsx']"))))
    rows = list(report.active.iter_rows(values_only=True))
    assert len(rows[0]) == 5
    assert [tuple(r) for r in rows[1:]] == expected("zh-hans")

    _switch_language(s, "en")
    _upload(s, content, "errors.xlsx", "dry-run-errors-en")
    english = expected("en")
    assert _error_rows(s) == english
    assert english[0][4].startswith("Wrong check character")
    assert not Enterprise.objects.filter(credit_code__in=[good, unknown_town]).exists()


def test_import_of_a_correct_file_commits_and_counts_the_new_rows(open_session, towns):
    code = _credit_code("MA2E2E101")
    assert not Enterprise.objects.filter(credit_code=code).exists()
    enterprises = [
        {
            "credit_code": code,
            "name": "端到端导入科技有限公司",
            "town": towns.name,
            "industry_code": "3851",
            "registration_date": "2020-05-01",
            "is_resident_enterprise": "是",
        }
    ]
    figures = [
        {
            "credit_code": code,
            "year": 2023,
            "operating_revenue": 1_000_000,
            "employees_year_end": 40,
            "tech_staff_year_end": 8,
        },
        {
            "credit_code": code,
            "year": 2024,
            "operating_revenue": 1_500_000,
            "employees_year_end": 50,
            "tech_staff_year_end": 10,
        },
    ]
    s = open_session("staff")
    _upload(s, _fill(_templates(s), enterprises, figures), "good.xlsx", "dry-run-ok")
    assert _summary(s) == {"rows": 3, "created": 3, "updated": 0, "unchanged": 0, "errors": 0}
    assert not Enterprise.objects.filter(credit_code=code).exists()  # a dry run writes nothing

    with s.page.expect_navigation():
        s.page.get_by_test_id("commit").click()
    s.page.get_by_test_id("import-summary").wait_for()
    s.shot("committed")
    assert _summary(s) == {"rows": 3, "created": 3, "updated": 0, "unchanged": 0, "errors": 0}
    assert s.page.locator(".alert-success").count() == 1

    enterprise = Enterprise.objects.get(credit_code=code)
    assert enterprise.town == towns
    assert list(
        AnnualFigure.objects.filter(enterprise=enterprise)
        .order_by("year")
        .values_list("year", "tech_staff_year_end")
    ) == [(2023, 8), (2024, 10)]


def test_exported_lists_import_back_unchanged(open_session):
    s = open_session("staff")
    s.goto("/enterprises/", "enterprise-list")
    enterprises_xlsx = _download(s, s.page.get_by_test_id("export-import"))
    figures_xlsx = _download(s, s.page.locator("a[href*='export_entity=annual_figures']"))

    total = Enterprise.objects.count()
    _upload(s, enterprises_xlsx, "enterprises-export.xlsx", "reimport-enterprises")
    assert _summary(s) == {
        "rows": total,
        "created": 0,
        "updated": 0,
        "unchanged": total,
        "errors": 0,
    }

    _upload(s, figures_xlsx, "figures-export.xlsx", "reimport-figures")
    summary = _summary(s)
    assert summary["rows"] > 0
    assert summary == {
        "rows": summary["rows"],
        "created": 0,
        "updated": 0,
        "unchanged": summary["rows"],
        "errors": 0,
    }
