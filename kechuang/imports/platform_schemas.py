"""Import templates of the platform registry (docs/platforms.md, docs/imports.md#templates):
platforms, their lifecycle steps, linked enterprises, milestones and the enclaves' yearly
"three returns".

A platform is named by its name (unique in the registry); the rows of a platform are keyed by
the platform and their own natural key (a step by type and date, a link by enterprise and role,
a milestone by its task, three returns by resident and year). A platform's level and stage are
not columns: they follow its lifecycle steps, recomputed after the steps are written.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kechuang.platforms.imports import follow_lifecycle_steps
from kechuang.platforms.models import (
    LEVEL_EVENTS,
    EventKind,
    LinkRole,
    MilestoneStatus,
    PlatformLevel,
    PlatformType,
)

from .schemas import CREDIT, YEAR, Column, EntitySchema, Ref

__all__ = ["PLATFORM_SCHEMAS"]

MAX_MONEY = 10**15  # yuan, as the enterprise templates

PLATFORM_REF = Ref("platforms.Platform", "name", "platform_id", _("platform"), "platforms")


def _platform_column(field: str = "platform", ref: Ref = PLATFORM_REF) -> Column:
    return Column(
        field,
        "平台名称",
        "ref",
        required=True,
        max_length=128,
        ref=ref,
        note="须为已登记的平台，或本工作簿“平台名录”表中的平台",
        example="慈溪市科技企业孵化器",
    )


PLATFORMS = EntitySchema(
    name="platforms",
    sheet="平台名录",
    title=_("Innovation platforms"),
    model_label="platforms.Platform",
    key=("name",),
    columns=(
        Column(
            "name",
            "平台名称",
            required=True,
            max_length=128,
            note="平台的全称，在平台名录中唯一；级别与阶段由“生命周期”表的步骤决定",
            example="慈溪市科技企业孵化器",
        ),
        Column("kind", "平台类型", "choice", required=True, choices=PlatformType),
        Column("town", "镇街道", "town", note="须为本地区镇街道名称；异地飞地可空"),
        Column(
            "operator_enterprise",
            "运营企业统一社会信用代码",
            "ref",
            max_length=18,
            ref=Ref(
                "enterprises.Enterprise",
                "credit_code",
                "operator_enterprise_id",
                _("enterprise"),
                "enterprises",
            ),
            note="须为已登记的企业",
            example="91330282MA2XXXXXXX",
        ),
        Column(
            "operator_organisation",
            "运营高校或机构",
            "ref",
            max_length=128,
            ref=Ref(
                "experts.Organisation",
                "name",
                "operator_organisation_id",
                _("university or institution"),
            ),
            note="须为专家库中已登记的高校或机构名称",
            example="宁波大学",
        ),
        Column("host_city", "所在城市（飞地）", max_length=32, example="上海市"),
        Column("address", "地址", max_length=200),
        Column("industry", "产业方向", max_length=64, example="智能家电"),
        Column("professional", "专业孵化器", "bool", note="是/否，空为否"),
        Column("remote_area", "适用偏远地区放宽条件", "bool", note="是/否，空为否"),
    ),
)

EVENTS = EntitySchema(
    name="platform_events",
    sheet="生命周期",
    title=_("Platform lifecycle steps"),
    model_label="platforms.PlatformEvent",
    key=("platform", "kind", "date"),
    columns=(
        _platform_column(),
        Column("kind", "步骤", "choice", required=True, choices=EventKind),
        Column("date", "日期", "date", required=True),
        Column(
            "level",
            "级别",
            "choice",
            choices=PlatformLevel,
            note="认定、升级、降级步骤必填",
        ),
        Column("authority", "认定或批准机关", max_length=64, example="宁波市科学技术局"),
        Column("document_number", "文号", max_length=64, example="甬科高〔2024〕12号"),
        Column("note", "备注", max_length=200),
    ),
    required_if=(("level", "kind", tuple(k.value for k in LEVEL_EVENTS), "level_needed"),),
    messages=(("level_needed", _("A recognition, upgrade or downgrade needs its level.")),),
    after_write=follow_lifecycle_steps,
)

LINKS = EntitySchema(
    name="platform_links",
    sheet="关联企业",
    title=_("Enterprises linked to platforms"),
    model_label="platforms.PlatformLink",
    key=("platform", "credit_code", "role"),
    columns=(
        _platform_column(),
        CREDIT,
        Column("role", "角色", "choice", required=True, choices=LinkRole),
        Column("entry_date", "入驻日期", "date"),
        Column("exit_date", "退出日期", "date", note="不得早于入驻日期"),
        Column("on_site", "在孵化场地注册并办公", "bool", note="是/否，空为是"),
        Column("same_industry", "属于孵化器主导产业", "bool", note="是/否，空为否"),
        Column("financed", "获得投融资", "bool", note="是/否，空为否"),
        Column(
            "angel_vc_wan",
            "累计获得天使或风险投资（万元）",
            "decimal",
            min_value=0,
            max_value=10**10,
        ),
        Column("merged_acquired_or_listed", "被兼并、收购或上市", "bool", note="是/否，空为否"),
    ),
    checks=(("entry_date", "exit_date", "exit_before_entry"),),
    messages=(
        (
            "exit_before_entry",
            _("The entry date is after the exit date (%(other)s = %(value)s)."),
        ),
    ),
)

MILESTONES = EntitySchema(
    name="platform_milestones",
    sheet="任务节点",
    title=_("Platform milestones"),
    model_label="platforms.Milestone",
    key=("platform", "title"),
    columns=(
        _platform_column(),
        Column(
            "title", "任务", required=True, max_length=128, example="完成孵化场地改造并通过验收"
        ),
        Column("owner", "责任单位", required=True, max_length=64, example="科技局高新科"),
        Column("due_date", "完成时限", "date", required=True),
        Column("status", "状态", "choice", choices=MilestoneStatus, note="空为计划中"),
        Column("done_date", "完成日期", "date", note="状态为已完成时必填"),
        Column("note", "备注", max_length=200),
    ),
    required_if=(("done_date", "status", (MilestoneStatus.DONE.value,), "done_date_needed"),),
    messages=(("done_date_needed", _("Enter the date the task was done.")),),
)

THREE_RETURNS = EntitySchema(
    name="three_returns",
    sheet="飞地三返回",
    title=_("Enclaves' three returns"),
    model_label="platforms.ThreeReturns",
    key=("enclave", "credit_code", "year"),
    columns=(
        Column(
            "enclave",
            "飞地名称",
            "ref",
            required=True,
            max_length=128,
            ref=Ref(
                "platforms.Platform",
                "name",
                "enclave_id",
                _("off-site innovation enclave"),
                "platforms",
                filters=(("kind", PlatformType.ENCLAVE.value),),
            ),
            note="须为平台类型为“科创飞地”的平台",
            example="慈溪（上海）科创飞地",
        ),
        CREDIT,
        YEAR,
        Column(
            "rd_expense_yuan",
            "飞地研发投入回本地统计（元）",
            "money",
            min_value=0,
            max_value=MAX_MONEY,
        ),
        Column("rd_staff", "飞地研发人员数", "int", min_value=0, max_value=10**6),
        Column("results_registered", "回本地登记的成果数", "int", min_value=0, max_value=10**6),
        Column("results_total", "飞地产生的成果数", "int", min_value=0, max_value=10**6),
        Column(
            "capacity_yuan", "回本地产业化产值（元）", "money", min_value=0, max_value=MAX_MONEY
        ),
    ),
    checks=(("results_registered", "results_total", "registered_gt_total"),),
    messages=(
        (
            "registered_gt_total",
            _(
                "Results registered at home exceed the results created in the enclave "
                "(%(other)s = %(value)s)."
            ),
        ),
    ),
)

# In import order: platforms before the rows that name them.
PLATFORM_SCHEMAS = (PLATFORMS, EVENTS, LINKS, MILESTONES, THREE_RETURNS)
