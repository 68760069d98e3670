"""The template registry: templates registered by other apps (platforms here, achievements from
cooperation's ready()) are listed on the import page, download from it, come after the records
they reference, and a reference column is checked against the registry and the workbook."""

from __future__ import annotations

import io

import polars as pl
import pytest
from openpyxl import load_workbook

from kechuang.core.roles import Role
from kechuang.enterprises.tests.fixtures import login
from kechuang.imports.logic import ColumnSpec, parse_sheet
from kechuang.imports.schemas import SCHEMAS

pytestmark = pytest.mark.django_db


def test_registered_templates_are_listed_and_download(client):
    login(client, Role.BUREAU_STAFF)
    page = client.get("/imports/").content.decode()
    for name in ("platforms", "platform_events", "three_returns", "achievements"):
        assert f"/imports/templates/{name}.xlsx" in page
        response = client.get(f"/imports/templates/{name}.xlsx")
        assert response.status_code == 200
        wb = load_workbook(io.BytesIO(response.content))
        assert [c.value for c in wb[SCHEMAS[name].sheet][1]] == SCHEMAS[name].headers
    assert client.get("/imports/templates/nonsense.xlsx").status_code == 404


def test_referenced_records_are_imported_first():
    names = list(SCHEMAS)
    assert names[:5] == [
        "enterprises",
        "annual_figures",
        "ip_assets",
        "qualifications",
        "institutions",
    ]
    assert names.index("platforms") < names.index("platform_events") < names.index("three_returns")
    assert SCHEMAS["platform_links"].key_attnames == ("platform_id", "credit_code", "role")


def test_reference_check_scoped_and_plain():
    raw = pl.DataFrame(
        {
            "__row": [2, 3, 4],
            "org": ["甲大学", "乙大学", "丙大学"],
            "expert": ["王", "王", None],
        }
    )
    specs = [
        ColumnSpec("org", "机构", "ref", required=True, ref_noun="机构"),
        ColumnSpec("expert", "专家", "ref", scope_field="org", ref_noun="专家"),
    ]
    _typed, errors = parse_sheet(
        raw,
        specs,
        key=("org",),
        known_refs={"org": {"甲大学", "乙大学"}, "expert": {"甲大学\x1f王"}},
    )
    assert [(e.row, e.column, e.message_id) for e in errors] == [
        (3, "专家", "unknown_reference"),
        (4, "机构", "unknown_reference"),
    ]
