"""Excel import of the platform registry: platforms, lifecycle steps, linked enterprises,
milestones and three returns in one workbook (all-or-nothing, dry run, history, re-import
unchanged), every row error with its Chinese message, the lifecycle followed after import, and
the templates (instruction sheet, example, drop-downs, command)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation
from openpyxl import Workbook, load_workbook

from kechuang.enterprises.tests.factories import make_enterprise, make_town
from kechuang.imports.exports import template_workbook
from kechuang.imports.schemas import SCHEMAS
from kechuang.imports.services import INSTRUCTIONS_SHEET, import_file
from kechuang.platforms.imports import lifecycle_state
from kechuang.platforms.models import (
    Milestone,
    Platform,
    PlatformEvent,
    PlatformLink,
    ThreeReturns,
)

pytestmark = pytest.mark.django_db

P, EV, LK, MS, TR = (
    SCHEMAS[n]
    for n in (
        "platforms",
        "platform_events",
        "platform_links",
        "platform_milestones",
        "three_returns",
    )
)


def rows(schema, *dicts):
    """The header row and one row per dict (by header; missing headers left blank)."""
    return [schema.headers] + [[d.get(h) for h in schema.headers] for d in dicts]


def workbook(path: Path, sheets: dict) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for name, data in sheets.items():
        ws = wb.create_sheet(name)
        for row in data:
            ws.append(row)
    wb.save(path)
    return path


@pytest.fixture
def registry():
    town = make_town("浒山街道")
    return town, make_enterprise(town=town), make_enterprise(town=town)


def good_sheets(town, a, b):
    return {
        P.sheet: rows(
            P,
            {"平台名称": "慈溪科创孵化器", "平台类型": "科技企业孵化器", "镇街道": town.name},
            {"平台名称": "慈溪（上海）飞地", "平台类型": "科创飞地", "所在城市（飞地）": "上海市"},
        ),
        EV.sheet: rows(
            EV,
            {"平台名称": "慈溪科创孵化器", "步骤": "揭牌", "日期": "2023-05-01"},
            {
                "平台名称": "慈溪科创孵化器",
                "步骤": "认定或备案",
                "日期": "2024-06-30",
                "级别": "宁波市级",
                "文号": "甬科高〔2024〕12号",
            },
        ),
        LK.sheet: rows(
            LK,
            {
                "平台名称": "慈溪科创孵化器",
                "统一社会信用代码": a.credit_code,
                "角色": "在孵企业",
                "入驻日期": "2023-06-01",
                "获得投融资": "是",
                "累计获得天使或风险投资（万元）": "120.5",
            },
            {
                "平台名称": "慈溪（上海）飞地",
                "统一社会信用代码": b.credit_code,
                "角色": "飞地入驻企业",
            },
        ),
        MS.sheet: rows(
            MS,
            {
                "平台名称": "慈溪科创孵化器",
                "任务": "完成场地改造",
                "责任单位": "高新科",
                "完成时限": "2024-12-31",
                "状态": "已完成",
                "完成日期": "2024-11-30",
            },
        ),
        TR.sheet: rows(
            TR,
            {
                "飞地名称": "慈溪（上海）飞地",
                "统一社会信用代码": b.credit_code,
                "年度": 2024,
                "飞地研发投入回本地统计（元）": "1500000.50",
                "飞地研发人员数": 12,
                "回本地登记的成果数": 3,
                "飞地产生的成果数": 4,
            },
        ),
    }


def test_workbook_creates_everything_follows_the_lifecycle_and_reimports_unchanged(
    tmp_path, registry
):
    town, a, b = registry
    path = workbook(tmp_path / "platforms.xlsx", good_sheets(town, a, b))
    with translation.override("zh-hans"):
        checked = import_file(path, dry_run=True)
    assert checked.errors == []
    assert checked.summary()["created"] == 8 and not Platform.objects.exists()

    result = import_file(path, dry_run=False)
    assert result.committed and result.summary()["created"] == 8
    incubator = Platform.objects.get(name="慈溪科创孵化器")
    # The stage and level follow the latest step (docs/platforms.md#lifecycle).
    assert (incubator.stage, incubator.level) == ("recognised", "ningbo")
    assert incubator.town == town
    assert incubator.history.first().history_change_reason == "import:import"
    event = PlatformEvent.objects.get(platform=incubator, kind="recognised")
    assert event.document_number == "甬科高〔2024〕12号" and event.history.count() == 1
    link = PlatformLink.objects.get(enterprise=a)
    assert (link.platform, link.role, link.financed) == (incubator, "incubatee", True)
    assert str(link.angel_vc_wan) == "120.50" and link.on_site is True  # blank: the default
    assert Milestone.objects.get().done_date.isoformat() == "2024-11-30"
    record = ThreeReturns.objects.get()
    assert record.enclave.name == "慈溪（上海）飞地" and record.results_registered == 3

    again = import_file(path, dry_run=False)
    assert again.summary()["unchanged"] == 8 and again.summary()["created"] == 0


def test_update_by_natural_key_previews_the_change_with_names(tmp_path, registry):
    town, a, b = registry
    import_file(workbook(tmp_path / "a.xlsx", good_sheets(town, a, b)), dry_run=False)
    sheets = good_sheets(town, a, b)
    sheets[MS.sheet][1][MS.headers.index("责任单位")] = "产业科"
    sheets[P.sheet][2][P.headers.index("所在城市（飞地）")] = "深圳市"
    result = import_file(workbook(tmp_path / "b.xlsx", sheets), dry_run=True)
    by_entity = {s["entity"]: s for s in result.summary()["sheets"]}
    assert by_entity["platform_milestones"]["updated"] == 1
    change = by_entity["platform_milestones"]["changes"][0]
    assert change["key"] == "慈溪科创孵化器 / 完成场地改造"
    assert change["fields"] == [{"column": "责任单位", "before": "高新科", "after": "产业科"}]
    assert by_entity["platforms"]["updated"] == 1
    result = import_file(workbook(tmp_path / "b.xlsx", sheets), dry_run=False)
    assert Milestone.objects.get().owner == "产业科"
    assert Milestone.objects.get().history.count() == 2
    assert Platform.objects.get(name="慈溪（上海）飞地").host_city == "深圳市"


def test_every_row_error_is_reported_in_chinese_and_nothing_is_written(tmp_path, registry):
    town, a, b = registry
    sheets = good_sheets(town, a, b)
    sheets[EV.sheet] += rows(
        EV,
        {"平台名称": "不存在的平台", "步骤": "揭牌", "日期": "2024-01-01"},
        {"平台名称": "慈溪科创孵化器", "步骤": "已升级", "日期": "2024-09-01"},
    )[1:]
    sheets[LK.sheet][1][LK.headers.index("退出日期")] = "2023-01-01"
    sheets[MS.sheet][1][MS.headers.index("完成日期")] = None
    sheets[TR.sheet] += rows(
        TR, {"飞地名称": "慈溪科创孵化器", "统一社会信用代码": a.credit_code, "年度": 2024}
    )[1:]
    sheets[P.sheet] += rows(P, {"平台名称": "慈溪科创孵化器", "平台类型": "众创空间"})[1:]
    path = workbook(tmp_path / "bad.xlsx", sheets)
    with translation.override("zh-hans"):
        result = import_file(path, dry_run=False)
    assert not result.committed
    found = {(e["sheet"], e["row"], e["column"]): e["message"] for e in result.errors}
    assert "重复" in found[(P.sheet, 4, "平台名称")]
    assert "平台" in found[(EV.sheet, 4, "平台名称")]
    assert "级别" in found[(EV.sheet, 5, "级别")]
    assert "退出日期" in found[(LK.sheet, 2, "入驻日期")]
    assert (
        "完成日期" in found[(MS.sheet, 2, "完成日期")] or "完成" in found[(MS.sheet, 2, "完成日期")]
    )
    assert "飞地" in found[(TR.sheet, 3, "飞地名称")]
    assert len(result.errors) == 6, result.errors
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in m) for m in found.values())
    assert not Platform.objects.exists() and not PlatformEvent.objects.exists()


@pytest.mark.parametrize(
    "steps, expected",
    [
        ([], ("planned", "none")),
        ([("unveiled", "")], ("operating", "none")),
        ([("recognised", "county"), ("upgraded", "ningbo")], ("recognised", "ningbo")),
        ([("recognised", "provincial"), ("revoked", "")], ("revoked", "none")),
    ],
)
def test_lifecycle_state(steps, expected):
    assert lifecycle_state("planned", steps) == expected


def test_templates_have_instructions_examples_and_dropdowns(tmp_path):
    make_town("浒山街道")
    for schema in (P, EV, LK, MS, TR):
        wb = load_workbook(io.BytesIO(template_workbook(schema)))
        ws, info = wb[schema.sheet], wb[INSTRUCTIONS_SHEET]
        assert [c.value for c in ws[1]] == schema.headers and ws.max_row == 1
        texts = [c.value for row in info.iter_rows() for c in row if isinstance(c.value, str)]
        assert any(t.startswith("示例") for t in texts)
        choices = [c for c in schema.columns if c.kind == "choice"]
        lists = {str(dv.sqref)[0] for dv in ws.data_validations.dataValidation}
        assert {chr(ord("A") + schema.columns.index(c)) for c in choices} <= lists
    wb = load_workbook(io.BytesIO(template_workbook(EV)))
    assert any(
        "宁波市级" in (dv.formula1 or "") for dv in wb[EV.sheet].data_validations.dataValidation
    )
    out = tmp_path / "t.xlsx"
    call_command("template", "platform_events", output=str(out))
    assert load_workbook(out)[EV.sheet].max_row == 1


def test_a_met_condition_reads_manzu():
    """On the platform page a condition that holds is 满足 (met), not 已完成 (done)."""
    from kechuang.platforms.display import STATUS_LABELS

    with translation.override("zh-hans"):
        assert str(STATUS_LABELS["pass"]) == "满足"
    with translation.override("en"):
        assert str(STATUS_LABELS["pass"]) == "Met"
