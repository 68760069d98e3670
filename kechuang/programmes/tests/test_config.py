"""Programme types as configuration (docs/programmes.md#programme-types): the bureau's page with
every list as rows of fields, field-level Chinese messages, history on every save; the staff API
with the same checks; nobody else configures."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from kechuang.core.roles import Role
from kechuang.enterprises.tests.factories import make_enterprise, make_user
from kechuang.programmes import config_forms
from kechuang.programmes.logic.config import config_errors
from kechuang.programmes.models import ProgrammeType
from kechuang.programmes.services import programme_types_ensure

pytestmark = pytest.mark.django_db

MEASURES = {"invention_patents_filed", "main_business_revenue_growth_wan"}


def test_config_errors_name_the_row_and_the_sum():
    scheme = {
        "k": 3,
        "aggregation": "median",
        "dispersion_threshold": 10,
        "criteria": [{"key": "a", "label_zh": "创新性", "weight": 60, "max": 10}],
    }
    errors = config_errors(
        {
            "budget_categories": ["设备费", "设备费"],
            "kpi_template": [{"indicator": "专利", "unit": "件", "measure": "nope"}],
            "eligibility": {
                "conditions": [
                    {
                        "id": "x",
                        "label_zh": "本地",
                        "fact": "registered_in_region",
                        "op": "==",
                        "threshold": "3",
                    }
                ]
            },
            "review_scheme": scheme,
            "tranche_plan": [{"label": "签约", "share": 70, "after": "signing"}],
            "investment_terms": {"duration_months": 0},
        },
        MEASURES,
    )
    assert errors["budget_categories"] == ["预算科目不能重复"]
    assert errors["kpi_template"] == ["第1项指标的登记数据口径不存在"]
    assert "第1条条件的门槛值与取值项不符" in errors["eligibility"][0]
    assert errors["review_scheme"] == ["评分指标的权重合计须为100（现为60）"]
    assert errors["tranche_plan"] == ["各笔拨付比例合计须为100%（现为70%）"]
    assert errors["investment_terms"] == ["项目实施周期须为1至120个月"]
    scheme["criteria"][0]["weight"] = 100
    assert config_errors({"review_scheme": scheme}, MEASURES) == {}


def _data(ptype: ProgrammeType) -> dict[str, Any]:
    """What the unchanged page posts back for `ptype` (every field's initial value)."""
    form = config_forms.ProgrammeTypeForm(instance=ptype)
    data: dict[str, Any] = {}
    forms_ = [form]
    for fs in config_forms.type_formsets(ptype).values():
        forms_ += [fs.management_form, *fs.forms]
    for f in forms_:
        for name in f.fields:
            value = f[name].value()
            if value is False or value is None:
                continue
            data[f.add_prefix(name)] = "on" if value is True else value
    return data


@pytest.fixture
def staff():
    client = Client()
    client.force_login(make_user(Role.BUREAU_STAFF))
    return client


def test_staff_create_a_type_with_every_list_as_rows(staff):
    page = staff.get(reverse("programmes:type_new")).content.decode()
    assert 'data-testid="rows-conditions"' in page and "申报条件" in page
    assert '"conditions"' not in page and "{&quot;" not in page  # no stored structure shown
    data = {
        "code": "pilot",
        "name": "产业化试点项目",
        "funding_mode": "both",
        "cap_yuan": "3000000",
        "own_share_min_pct": "60",
        "notice_days": "7",
        "notice_working_days": "on",
        "duration_months": "36",
        "k": "3",
        "aggregation": "median",
        "dispersion_threshold": "12",
        "eligibility_version": "试点办法（待政策核实）",
        **{
            f"{p}-TOTAL_FORMS": n
            for p, n in [
                ("categories", "2"),
                ("kpis", "1"),
                ("conditions", "2"),
                ("criteria", "2"),
                ("tranches", "2"),
            ]
        },
        **{
            f"{p}-INITIAL_FORMS": "0"
            for p in ("categories", "kpis", "conditions", "criteria", "tranches")
        },
        "categories-0-name": "设备费",
        "categories-1-name": "中试费",
        "kpis-0-indicator": "新增主营业务收入",
        "kpis-0-unit": "万元",
        "kpis-0-evidence": "财务报表",
        "kpis-0-measure": "main_business_revenue_growth_wan",
        "conditions-0-label_zh": "在本地注册",
        "conditions-0-fact": "registered_in_region",
        "conditions-0-op": "==",
        "conditions-0-threshold": "是",
        "conditions-0-status": "UNCONFIRMED",
        "conditions-1-label_zh": "研发费用占比",
        "conditions-1-fact": "rd_ratio_pct",
        "conditions-1-op": ">=",
        "conditions-1-threshold": "4",
        "conditions-1-unit": "%",
        "conditions-1-clause": "试点办法第五条",
        "conditions-1-status": "CONFIRMED",
        "criteria-0-label_zh": "市场前景",
        "criteria-0-weight": "40",
        "criteria-0-max": "10",
        "criteria-1-label_zh": "技术水平",
        "criteria-1-weight": "60",
        "criteria-1-max": "10",
        "tranches-0-label": "签约后拨付",
        "tranches-0-share": "70",
        "tranches-0-after": "signing",
        "tranches-1-label": "验收后拨付",
        "tranches-1-share": "30",
        "tranches-1-after": "acceptance",
    }
    response = staff.post(reverse("programmes:type_new"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    ptype = ProgrammeType.objects.get(code="pilot")
    assert ptype.budget_categories == ["设备费", "中试费"]
    assert ptype.kpi_template[0]["measure"] == "main_business_revenue_growth_wan"
    assert [(c["fact"], c["threshold"]) for c in ptype.eligibility["conditions"]] == [
        ("registered_in_region", True),
        ("rd_ratio_pct", "4"),
    ]
    assert ptype.review_scheme["aggregation"] == "median"
    assert [c["weight"] for c in ptype.review_scheme["criteria"]] == [40, 60]
    assert [t["share"] for t in ptype.tranche_plan] == [70, 30]
    assert ptype.investment_terms == {"duration_months": 36}
    assert ptype.history.count() == 1 and ptype.history.first().history_user is not None
    # Bad rows answer beside the fields, in Chinese; nothing is saved.
    bad = {
        **data,
        "conditions-0-threshold": "3",
        "criteria-1-weight": "50",
        "tranches-1-share": "",
        "cap_yuan": "-1",
    }
    page = staff.post(reverse("programmes:type_edit", args=[ptype.pk]), bad).content.decode()
    assert "门槛值请填写“是”或“否”" in page
    assert "评分指标的权重合计须为100（现为90" in page
    assert "请填写拨付名称和比例" in page and "请输入不小于0的数值" in page
    ptype.refresh_from_db()
    assert ptype.history.count() == 1 and ptype.cap_yuan == 3_000_000


def test_edit_keeps_the_code_and_records_history(staff):
    ptype = programme_types_ensure()["key_rd"]
    data = _data(ptype)
    page = staff.get(reverse("programmes:type_edit", args=[ptype.pk])).content.decode()
    assert "重点研发专项" in page and "设备费" in page and "技术创新性" in page
    data.update({"code": "other", "name": "重点研发专项（修订）", "tranches-2-share": "20"})
    response = staff.post(reverse("programmes:type_edit", args=[ptype.pk]), data)
    assert response.status_code == 302
    ptype.refresh_from_db()
    assert ptype.code == "key_rd" and ptype.name == "重点研发专项（修订）"
    assert ptype.history.count() == 2
    # The unchanged lists come back as they were.
    assert ptype.budget_categories[0] == "设备费" and len(ptype.review_scheme["criteria"]) == 5
    assert ptype.eligibility["conditions"][0]["threshold"] is True


def test_only_the_bureau_configures_types():
    ptype = programme_types_ensure()["key_rd"]
    enterprise_user = make_user(Role.ENTERPRISE, enterprise=make_enterprise())
    for role in (Role.ENTERPRISE, Role.TOWN_OFFICER, Role.LEADER, Role.EXPERT):
        client = Client()
        client.force_login(enterprise_user if role == Role.ENTERPRISE else make_user(role))
        assert client.get(reverse("programmes:type_list")).status_code == 403
        assert client.get(reverse("programmes:type_edit", args=[ptype.pk])).status_code == 403
    api = APIClient()
    api.force_login(enterprise_user)
    assert api.get("/api/v1/programmes/types/").status_code == 403
    assert api.post("/api/v1/programmes/types/", {}, format="json").status_code == 403


def test_staff_api_reads_and_writes_types_with_field_messages():
    ptype = programme_types_ensure()["key_rd"]
    api = APIClient()
    api.force_login(make_user(Role.BUREAU_STAFF))
    rows = api.get("/api/v1/programmes/types/").json()
    rows = rows["results"] if isinstance(rows, dict) else rows
    assert {r["code"] for r in rows} >= {"key_rd", "achievement"}
    url = f"/api/v1/programmes/types/{ptype.pk}/"
    bad = api.patch(
        url,
        {"tranche_plan": [{"label": "一次拨付", "share": 90, "after": "signing"}]},
        format="json",
    )
    assert bad.status_code == 400
    assert bad.json()["tranche_plan"] == ["各笔拨付比例合计须为100%（现为90%）"]
    good = api.patch(
        url,
        {"tranche_plan": [{"label": "一次拨付", "share": 100, "after": "signing"}]},
        format="json",
    )
    assert good.status_code == 200 and good.json()["tranche_plan"][0]["share"] == 100
    ptype.refresh_from_db()
    assert ptype.tranche_plan == [{"label": "一次拨付", "share": 100, "after": "signing"}]
    assert ptype.history.count() == 2
    created = api.post(
        "/api/v1/programmes/types/",
        {"code": "api_type", "name": "接口新建类型", "budget_categories": ["设备费"]},
        format="json",
    )
    assert created.status_code == 201 and ProgrammeType.objects.filter(code="api_type").exists()
    renamed = api.patch(url, {"code": "changed"}, format="json")
    assert renamed.status_code == 400 and "code" in renamed.json()


def test_criteria_fixed_while_score_sheets_are_under_review():
    from django.core.exceptions import ValidationError

    from kechuang.experts.tests.factories import make_expert
    from kechuang.programmes.models import ReviewAssignment
    from kechuang.programmes.services import programme_type_save

    from .factories import make_application, make_call

    call = make_call(status="under_review")
    app = make_application(call, make_enterprise(), status="in_review")
    ReviewAssignment.objects.create(application=app, expert=make_expert(), status="submitted")
    staff = make_user(Role.BUREAU_STAFF)
    scheme = dict(call.programme_type.review_scheme)
    scheme["criteria"] = [{"key": "all", "label_zh": "综合", "weight": 100, "max": 10}]
    with pytest.raises(ValidationError) as exc:
        programme_type_save(
            programme_type=call.programme_type, values={"review_scheme": scheme}, user=staff
        )
    assert "review_scheme" in exc.value.message_dict
    # The other numbers of the scheme may still change.
    scheme = {**call.programme_type.review_scheme, "k": 3}
    programme_type_save(
        programme_type=call.programme_type, values={"review_scheme": scheme}, user=staff
    )
    call.programme_type.refresh_from_db()
    assert call.programme_type.review_scheme["k"] == 3
