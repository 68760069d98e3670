"""The import pages through real URLs: list exports import back unchanged, an upload is dry-run
then committed, errors are shown and downloadable, templates download."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from kechuang.core.roles import Role
from kechuang.enterprises.models import AnnualFigure, Enterprise
from kechuang.enterprises.tests.fixtures import login
from kechuang.imports.models import ImportBatch
from kechuang.imports.schemas import SCHEMAS

pytestmark = pytest.mark.django_db


def test_list_export_imports_back_unchanged(client, data, tmp_path):
    from kechuang.imports.services import import_file

    login(client, Role.BUREAU_STAFF)
    for url, entity in [
        ("/enterprises/?export=import", "enterprises"),
        ("/enterprises/?year=2024&export=import&export_entity=annual_figures", "annual_figures"),
    ]:
        response = client.get(url)
        wb = load_workbook(io.BytesIO(response.content))
        assert wb.sheetnames == [SCHEMAS[entity].sheet]
        assert [c.value for c in wb.active[1]] == SCHEMAS[entity].headers
        path = tmp_path / f"{entity}.xlsx"
        path.write_bytes(response.content)
        result = import_file(str(path), dry_run=False)
        assert (
            result.errors == [] and result.summary()["created"] == result.summary()["updated"] == 0
        )


def _upload(client, rows):
    wb = Workbook()
    ws = wb.active
    ws.title = SCHEMAS["annual_figures"].sheet
    ws.append(["统一社会信用代码", "年度", "营业收入（元）", "年末从业人员数", "年末科技人员数"])
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.name = "upload.xlsx"
    buffer.seek(0)
    return client.post("/imports/", {"file": buffer})


def test_upload_dry_run_then_commit(client, data, django_capture_on_commit_callbacks):
    login(client, Role.BUREAU_STAFF)
    code = Enterprise.objects.first().credit_code
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, [[code, 2022, 5000, 10, 2]])
    batch = ImportBatch.objects.get()
    assert (
        response.status_code == 302
        and batch.status == "validated"
        and batch.summary["created"] == 1
    )
    assert not AnnualFigure.objects.filter(year=2022).exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/imports/{batch.pk}/commit/")
    assert AnnualFigure.objects.filter(year=2022).count() == 1
    assert ImportBatch.objects.latest("pk").status == "committed"


def test_upload_with_errors_shows_and_downloads_them(
    client, data, django_capture_on_commit_callbacks
):
    login(client, Role.BUREAU_STAFF)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, [["91350100M000100Y44", 2022, 5000, 10, 20]])
    batch = ImportBatch.objects.get()
    page = client.get(f"/imports/{batch.pk}/").content.decode()
    assert batch.status == "failed" and 'data-testid="error-table"' in page
    report = load_workbook(
        io.BytesIO(client.get(f"/imports/{batch.pk}/errors.xlsx").content)
    ).active
    assert report.max_row - 1 == len(batch.errors) >= 2
    assert client.post(f"/imports/{batch.pk}/commit/").status_code == 404


def test_templates_download(client):
    login(client, Role.BUREAU_STAFF)
    for name, schema in SCHEMAS.items():
        wb = load_workbook(io.BytesIO(client.get(f"/imports/templates/{name}.xlsx").content))
        assert wb.sheetnames[0] == schema.sheet
    assert client.get("/imports/templates/nope.xlsx").status_code == 404
