"""Import templates carry drop-downs (towns, 是/否, industry divisions) from hidden list columns
of the instruction sheet and an example that the importer never reads."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from kechuang.enterprises.tests.factories import make_town
from kechuang.imports.exports import template_workbook
from kechuang.imports.schemas import SCHEMAS
from kechuang.imports.services import INSTRUCTIONS_SHEET, import_file

pytestmark = pytest.mark.django_db


def _validations(ws):
    return {
        str(dv.sqref).split(":")[0].rstrip("0123456789"): dv
        for dv in ws.data_validations.dataValidation
    }


def test_enterprise_template_has_dropdowns_and_an_example(tmp_path):
    make_town("浒山街道")
    make_town("周巷镇")
    schema = SCHEMAS["enterprises"]
    content = template_workbook(schema)
    wb = load_workbook(io.BytesIO(content))
    ws, info = wb[schema.sheet], wb[INSTRUCTIONS_SHEET]
    by_letter = _validations(ws)
    letter = {c.field: chr(ord("A") + i) for i, c in enumerate(schema.columns)}
    town = by_letter[letter["town"]]
    assert town.type == "list" and INSTRUCTIONS_SHEET in town.formula1
    towns = [c.value for c in info["H"][1:] if c.value]
    assert towns == ["浒山街道", "周巷镇"]
    bools = [c for c in schema.columns if c.kind == "bool"]
    assert bools and by_letter[letter[bools[0].field]].type == "list"
    industry = by_letter[letter["industry_code"]]
    assert industry.type == "custom" and "$J$2" in industry.formula1
    assert info.column_dimensions["H"].hidden
    texts = [c.value for row in info.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(t.startswith("示例") for t in texts)
    # The example is never imported: the data sheet has only its header row.
    assert ws.max_row == 1
    ws.append(["91330282MA2AAAAA11"])
    path = tmp_path / "filled.xlsx"
    wb.save(path)
    result = import_file(str(path), dry_run=True)
    assert result.summary()["rows"] == 1, result.summary()
    assert all(e.get("sheet") != INSTRUCTIONS_SHEET for e in result.errors)
