"""Excel import of achievements (registered into the import framework from this app's ready()):
keyed by institution and title, the contact expert named within the institution, every row error
in Chinese, all-or-nothing, history and provenance, the live demands ranked again after a commit."""

from __future__ import annotations

import io

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from kechuang.campaigns.tests.factories import make_world
from kechuang.cooperation.models import Achievement, DemandMatch
from kechuang.imports.exports import template_workbook
from kechuang.imports.schemas import SCHEMAS
from kechuang.imports.services import INSTRUCTIONS_SHEET, import_file

from .factories import ACHIEVEMENTS, make_demand, make_expert, make_organisation

pytestmark = pytest.mark.django_db

ACH = SCHEMAS["achievements"]


def workbook(path, *dicts):
    wb = Workbook()
    ws = wb.active
    ws.title = ACH.sheet
    ws.append(ACH.headers)
    for d in dicts:
        ws.append([d.get(h) for h in ACH.headers])
    wb.save(path)
    return path


def achievement_rows(org_name, expert_name=None):
    return [
        {
            "所属高校或机构": org_name,
            "成果名称": title,
            "成果简介": summary,
            "技术领域": field,
            "关键词": keywords,
            "成熟度": "中试阶段",
            "联系专家": expert_name,
        }
        for title, summary, field, keywords in ACHIEVEMENTS
    ]


@pytest.fixture
def world():
    w = make_world()
    w.org = make_organisation()
    w.expert = make_expert(w.org, "王教授")
    make_expert(make_organisation("宁波大学"), "李教授")
    return w


def test_import_creates_with_history_and_ranks_the_live_demands(tmp_path, world):
    demand = make_demand(world.enterprise_user, world.a1)
    assert not DemandMatch.objects.filter(demand=demand).exists()
    path = workbook(tmp_path / "a.xlsx", *achievement_rows(world.org.name, "王教授"))

    checked = import_file(path, dry_run=True, user=world.staff)
    assert checked.errors == [] and checked.summary()["created"] == 3
    assert not Achievement.objects.exists()

    result = import_file(path, dry_run=False, user=world.staff)
    assert result.committed and result.summary()["created"] == 3
    bolt = Achievement.objects.get(title=ACHIEVEMENTS[0][0])
    assert (bolt.organisation, bolt.contact_expert, bolt.maturity) == (
        world.org,
        world.expert,
        "pilot",
    )
    assert bolt.active is True and bolt.mode == "transfer"  # blank cells: the defaults
    assert bolt.source == "import" and bolt.source_row == 2
    row = bolt.history.get()
    assert (row.history_user, row.history_change_reason) == (world.staff, "import:import")
    # The demand about breaking bolts now has the imported achievement as its first supplier.
    first = DemandMatch.objects.filter(demand=demand).order_by("rank").first()
    assert first is not None and first.achievement == bolt

    rows = achievement_rows(world.org.name, "王教授")
    rows[1]["成熟度"] = "产业化阶段"
    again = import_file(workbook(tmp_path / "b.xlsx", *rows), dry_run=False, user=world.staff)
    assert again.summary()["updated"] == 1 and again.summary()["unchanged"] == 2
    changed = Achievement.objects.get(title=ACHIEVEMENTS[1][0])
    assert changed.maturity == "industrialised" and changed.history.count() == 2


def test_row_errors_name_sheet_row_column_and_nothing_is_written(tmp_path, world):
    rows = achievement_rows(world.org.name)
    rows[0]["所属高校或机构"] = "不存在大学"
    rows[1]["联系专家"] = "李教授"  # an expert of another institution
    rows[2]["成熟度"] = "很成熟"
    duplicate = dict(rows[1], 联系专家=None)
    long_title = dict(rows[1], 成果名称="长" * 161, 联系专家=None)
    path = workbook(tmp_path / "bad.xlsx", *rows, duplicate, long_title)
    with translation.override("zh-hans"):
        result = import_file(path, dry_run=False, user=world.staff)
    assert not result.committed
    found = {(e["row"], e["column"]): e for e in result.errors}
    assert set(found) == {
        (2, "所属高校或机构"),
        (3, "联系专家"),
        (4, "成熟度"),
        (5, "成果名称"),
        (6, "成果名称"),
    }, result.errors
    assert "高校或机构" in found[(2, "所属高校或机构")]["message"]
    assert "专家" in found[(3, "联系专家")]["message"]
    assert "中试" in found[(4, "成熟度")]["message"]
    assert "第3行" in found[(5, "成果名称")]["message"] or "3" in found[(5, "成果名称")]["message"]
    assert all(e["sheet"] == ACH.sheet for e in result.errors)
    assert not Achievement.objects.exists()


def test_template_lists_choices_and_an_example(world):
    wb = load_workbook(io.BytesIO(template_workbook(ACH)))
    ws, info = wb[ACH.sheet], wb[INSTRUCTIONS_SHEET]
    assert [c.value for c in ws[1]] == ACH.headers
    formulas = [dv.formula1 for dv in ws.data_validations.dataValidation]
    assert any("中试" in (f or "") for f in formulas)
    column_d = [c.value for c in info["D"]]
    assert "低温等离子体表面改性工艺" in column_d
