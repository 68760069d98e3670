"""Import/export schemas: one per entity, shared by templates, the importer and every export.

A schema lists its columns in template order with their Chinese header (the header written in
templates and exports), the model field, the value kind and its checks. The same headers are
used in both directions, so export → import round-trips.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from kechuang.core.years import first_year, last_year
from kechuang.enterprises.choices import IPKind, IPStatus, QualificationKind, QualificationStatus
from kechuang.enterprises.constants import FIRST_REPORTING_YEAR, LAST_REPORTING_YEAR
from kechuang.platforms.models import InstitutionLevel, InstitutionStatus

__all__ = [
    "Column",
    "Ref",
    "EntitySchema",
    "SCHEMAS",
    "register_schemas",
    "schema_for_headers",
]

MAX_MONEY = 10**15  # yuan; far above any enterprise, catches unit slips (e.g. 元 typed as 分)


@dataclass(frozen=True)
class Ref:
    """A column naming another record (a platform by its name, an institution by its name …).

    model_label: the referenced model; lookup: its field the cell holds (unique there);
    attname: the foreign-key column written on this schema's model; noun: what the error
    message calls the record; provided_by: the schema whose sheet may create the record in the
    same workbook; scope: (this schema's column, the referenced model's lookup) when the name is
    unique only within another record, e.g. an expert's name within the institution;
    filters: conditions the referenced record must meet (e.g. a platform of type enclave).
    """

    model_label: str
    lookup: str
    attname: str
    noun: Any
    provided_by: str = ""
    scope: tuple[str, str] | None = None
    filters: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class Column:
    """One column of a template: header, model field, kind and checks.

    kind: "str", "credit_code", "town", "industry", "int", "decimal", "money", "date", "bool",
    "choice" (with `choices`, a Django TextChoices class: accepts the code or either label),
    "ref" (with `ref`: the cell names another record, resolved to its key on import).
    """

    field: str
    header: str
    kind: str = "str"
    required: bool = False
    min_value: float | None = None
    max_value: float | None = None
    max_length: int | None = None
    choices: type | None = None
    note: str = ""
    # A reporting year: the bounds are the year window on the day of the check, not of start-up.
    year_window: bool = False
    ref: Ref | None = None
    example: str = ""  # the instruction sheet's example value (else one by kind)

    def bounds(self) -> tuple[float | None, float | None]:
        """(minimum, maximum) of a number column, computed now."""
        if self.year_window:
            return first_year(), last_year()
        return self.min_value, self.max_value


@dataclass(frozen=True)
class EntitySchema:
    """An importable entity: its sheet name, columns and natural key (fields of key columns).

    The key is the template's own: the enterprise templates key by the credit code (with year,
    kind …), others by a name or by a referenced record and a title. `required_if` makes a column
    required for some values of another ((column, other column, values, message id));
    `messages` holds the texts of this schema's own message ids (checks, required_if), with
    %(other)s and %(value)s for the other column and its value. `after_write(pks, user, reason)`
    runs in the import's transaction after a committed sheet is written (derived fields such
    as a platform's stage from its lifecycle steps).
    """

    name: str
    sheet: str
    title: Any
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    model_label: str
    checks: tuple[tuple[str, str, str], ...] = field(default=())  # (small, large, message id)
    required_if: tuple[tuple[str, str, tuple[str, ...], str], ...] = field(default=())
    messages: tuple[tuple[str, Any], ...] = field(default=())
    after_write: Callable[..., None] | None = None

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    def column(self, field_name: str) -> Column:
        return next(c for c in self.columns if c.field == field_name)

    @property
    def refs(self) -> list[Column]:
        """The columns that name other records."""
        return [c for c in self.columns if c.ref is not None]

    @property
    def key_attnames(self) -> tuple[str, ...]:
        """The natural key as stored: a referenced record by its primary key."""
        return tuple(
            c.ref.attname if c.ref is not None else c.field
            for c in (self.column(k) for k in self.key)
        )


def _money(field_name: str, header: str, **kw) -> Column:
    return Column(field_name, header, "money", min_value=0, max_value=MAX_MONEY, **kw)


CREDIT = Column(
    "credit_code", "统一社会信用代码", "credit_code", required=True, note="18位，GB 32100-2015"
)
# The reporting-year window (kechuang.core.years): KECHUANG_FIRST_YEAR … current year + 1.
YEAR = Column("year", "年度", "int", required=True, year_window=True)

ENTERPRISES = EntitySchema(
    name="enterprises",
    sheet="企业名录",
    title=_("Enterprises"),
    model_label="enterprises.Enterprise",
    key=("credit_code",),
    columns=(
        CREDIT,
        Column("name", "企业名称", required=True, max_length=128),
        Column("town", "镇街道", "town", required=True, note="须为本地区镇街道名称"),
        Column(
            "industry_code", "行业代码", "industry", required=True, note="GB/T 4754-2017 四位代码"
        ),
        Column("registration_date", "成立日期", "date"),
        Column("address", "地址", max_length=255),
        Column("tags", "标签", max_length=255, note="多个标签用逗号分隔"),
        Column("is_resident_enterprise", "居民企业", "bool", note="是/否，空为是"),
    ),
)

ANNUAL_FIGURES = EntitySchema(
    name="annual_figures",
    sheet="年度数据",
    title=_("Yearly figures"),
    model_label="enterprises.AnnualFigure",
    key=("credit_code", "year"),
    columns=(
        CREDIT,
        YEAR,
        Column("is_above_scale_industrial", "规上工业企业", "bool", note="是/否"),
        _money("operating_revenue", "营业收入（元）"),
        _money("sales_revenue", "销售收入（元）", note="主营业务收入+其他业务收入"),
        _money("main_business_revenue", "主营业务收入（元）"),
        _money("total_income", "收入总额（元）"),
        _money("non_taxable_income", "不征税收入（元）"),
        _money("total_assets", "资产总额（元）"),
        _money("total_liabilities", "负债总额（元）"),
        _money("total_cost_expense", "成本费用总额（元）"),
        _money("hightech_income", "高新技术产品（服务）收入（元）"),
        Column("employees_avg", "从业人员年平均数", "decimal", min_value=0, max_value=10**7),
        Column("employees_year_end", "年末从业人员数", "int", min_value=0, max_value=10**7),
        Column("tech_staff_avg", "科技人员年平均数", "decimal", min_value=0, max_value=10**7),
        Column("tech_staff_year_end", "年末科技人员数", "int", min_value=0, max_value=10**7),
        _money("rd_expense_stat", "研发费用-统计口径（元）"),
        _money("rd_hnte_total", "研发费用-高企口径合计（元）"),
        _money("rd_hnte_domestic", "研发费用-高企口径境内（元）"),
        _money("rd_hnte_personnel", "高企口径-人员人工费用（元）"),
        _money("rd_hnte_direct", "高企口径-直接投入费用（元）"),
        _money("rd_hnte_depreciation", "高企口径-折旧与长期待摊费用（元）"),
        _money("rd_hnte_intangible", "高企口径-无形资产摊销（元）"),
        _money("rd_hnte_design", "高企口径-设计费用（元）"),
        _money("rd_hnte_equipment_trial", "高企口径-装备调试与试验费用（元）"),
        _money("rd_hnte_commissioned", "高企口径-委托外部研发费用（元）"),
        _money("rd_hnte_other", "高企口径-其他费用（元）"),
        _money("rd_deduction_scope", "研发费用-加计扣除口径（元）"),
        Column(
            "incident_reported",
            "当年发生重大安全质量事故或严重环境违法、科研失信",
            "bool",
            note="是/否，空为未申报",
        ),
        Column(
            "credit_listed", "列入经营异常名录或严重违法失信名单", "bool", note="是/否，空为未申报"
        ),
        Column(
            "in_restricted_catalogue",
            "产品属于禁止、限制或淘汰类",
            "bool",
            note="是/否，空为未申报",
        ),
        Column(
            "core_tech_in_supported_fields",
            "核心技术属于国家重点支持的高新技术领域",
            "bool",
            note="是/否，空为未申报",
        ),
    ),
    checks=(
        ("tech_staff_year_end", "employees_year_end", "tech_staff_gt_staff"),
        ("tech_staff_avg", "employees_avg", "tech_staff_gt_staff"),
        ("rd_hnte_domestic", "rd_hnte_total", "domestic_gt_total"),
        ("main_business_revenue", "sales_revenue", "main_gt_sales"),
        ("non_taxable_income", "total_income", "non_taxable_gt_total"),
    ),
)

IP_ASSETS = EntitySchema(
    name="ip_assets",
    sheet="知识产权",
    title=_("Intellectual property"),
    model_label="enterprises.IntellectualProperty",
    key=("number",),
    columns=(
        CREDIT,
        Column("kind", "类型", "choice", required=True, choices=IPKind),
        Column("number", "编号", required=True, max_length=64),
        Column("title", "名称", required=True, max_length=255),
        Column("application_date", "申请日期", "date"),
        Column("grant_date", "授权日期", "date"),
        Column("expiry_date", "到期日期", "date"),
        Column("status", "状态", "choice", choices=IPStatus, note="空为已授权"),
        Column(
            "used_in_hnte_application_year",
            "已用于高企申报年度",
            "int",
            min_value=FIRST_REPORTING_YEAR,
            max_value=LAST_REPORTING_YEAR,
        ),
    ),
    checks=(("application_date", "grant_date", "grant_before_application"),),
)

QUALIFICATIONS = EntitySchema(
    name="qualifications",
    sheet="资质",
    title=_("Qualifications"),
    model_label="enterprises.Qualification",
    key=("credit_code", "kind", "year"),
    columns=(
        CREDIT,
        Column("kind", "资质类型", "choice", required=True, choices=QualificationKind),
        YEAR,
        Column("number", "证书/登记编号", max_length=64),
        Column("batch", "批次", max_length=32, note="如 2024-1 表示当年第一批"),
        Column("issue_date", "发证日期", "date", required=True),
        Column("expiry_date", "有效期至", "date", note="高新技术企业空则按发证日起三年计"),
        Column("revoked_date", "撤销日期", "date"),
        Column("status", "状态", "choice", choices=QualificationStatus, note="空为有效"),
    ),
    checks=(("issue_date", "expiry_date", "expiry_before_issue"),),
)

INSTITUTIONS = EntitySchema(
    name="institutions",
    sheet="研发机构",
    title=_("R&D institutions"),
    model_label="platforms.RDInstitution",
    key=("credit_code", "level"),
    columns=(
        CREDIT,
        Column("level", "级别", "choice", required=True, choices=InstitutionLevel),
        Column("name", "机构名称", required=True, max_length=128),
        YEAR.__class__(
            "year_recognised",
            "认定年度",
            "int",
            required=True,
            min_value=FIRST_REPORTING_YEAR,
            max_value=LAST_REPORTING_YEAR,
        ),
        Column("status", "状态", "choice", choices=InstitutionStatus, note="空为有效"),
    ),
)

# The registry of templates, in import order (records others reference come first). Apps above
# the import framework add theirs from their AppConfig.ready() (docs/imports.md#templates).
SCHEMAS: dict[str, EntitySchema] = {
    s.name: s for s in (ENTERPRISES, ANNUAL_FIGURES, IP_ASSETS, QUALIFICATIONS, INSTITUTIONS)
}


def register_schemas(*schemas: EntitySchema) -> None:
    """Add templates to the registry (idempotent: a schema of the same name is replaced)."""
    for schema in schemas:
        SCHEMAS[schema.name] = schema


def schema_for_headers(sheet_name: str, headers: list[str]) -> EntitySchema | None:
    """The schema a sheet belongs to: by sheet name, else by its header row."""
    for schema in SCHEMAS.values():
        if sheet_name == schema.sheet:
            return schema
    found = {h.strip() for h in headers if isinstance(h, str)}
    best = max(SCHEMAS.values(), key=lambda s: len(found & set(s.headers)))
    required = {c.header for c in best.columns if c.required}
    return best if required <= found else None
