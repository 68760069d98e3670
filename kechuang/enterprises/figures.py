"""The cultivation-ladder figures of the catalogue (`kechuang.core.figures`): their keys,
labels, definitions, sources and the qualification lists behind them.

The keys are spelled here only; `selectors.ladder_filters` computes them and
EnterprisesConfig.ready() registers them with `selectors.ladder_figures`.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kechuang.core.figures import Figure

from .choices import UNICORN_TIERS, QualificationKind

__all__ = [
    "TECH_SME_NATIONAL_FILED",
    "TECH_SME_PROVINCIAL_ENTERED",
    "CULTIVATION_RECOGNISED",
    "HIGH_TECH_FIRST_BATCH_RECOGNISED",
    "HIGH_TECH_RECOGNISED",
    "HIGH_TECH_VALID",
    "TIER_HELD",
    "LADDER_KEYS",
    "LADDER_FIGURES",
    "ladder_query",
]

TECH_SME_NATIONAL_FILED = "tech_sme_national_filed"
TECH_SME_PROVINCIAL_ENTERED = "tech_sme_provincial_entered"
CULTIVATION_RECOGNISED = "cultivation_recognised"
HIGH_TECH_FIRST_BATCH_RECOGNISED = "high_tech_first_batch_recognised"
HIGH_TECH_RECOGNISED = "high_tech_recognised"
HIGH_TECH_VALID = "high_tech_valid_end_of_year"
# Growth titles held in the year, by tier (gazelle … unicorn).
TIER_HELD = {tier: f"{tier.value}_held" for tier in UNICORN_TIERS}

# The qualification-list filter behind each figure ("{y}": the figure's year).
_QUERY = {
    TECH_SME_NATIONAL_FILED: {"kind": QualificationKind.NATIONAL_TECH_SME, "year": "{y}"},
    TECH_SME_PROVINCIAL_ENTERED: {"kind": QualificationKind.PROVINCIAL_TECH_SME, "year": "{y}"},
    CULTIVATION_RECOGNISED: {"kind": QualificationKind.MUNICIPAL_CULTIVATION, "year": "{y}"},
    HIGH_TECH_FIRST_BATCH_RECOGNISED: {"kind": QualificationKind.HIGH_TECH, "batch": "{y}-1"},
    HIGH_TECH_RECOGNISED: {"kind": QualificationKind.HIGH_TECH, "year": "{y}"},
    HIGH_TECH_VALID: {"kind": QualificationKind.HIGH_TECH, "valid_on": "{y}-12-31"},
    **{key: {"kind": tier, "year": "{y}"} for tier, key in TIER_HELD.items()},
}


def ladder_query(key: str, year: int) -> dict[str, str]:
    """The qualification-list query string (as a dict) of ladder figure `key` for `year`."""
    return {name: str(value).format(y=year) for name, value in _QUERY[key].items()}


def _drill_down(key: str):
    def url(year: int) -> str:
        return f"{reverse('enterprises:qualification_list')}?{urlencode(ladder_query(key, year))}"

    return url


_TITLE_SOURCE = "相关部门公布的瞪羚企业、独角兽企业等称号认定名单"
_TIER_LABELS = {
    QualificationKind.GAZELLE: (_("Gazelles"), "瞪羚企业"),
    QualificationKind.POTENTIAL_UNICORN: (_("Potential unicorns"), "潜在独角兽企业"),
    QualificationKind.QUASI_UNICORN: (_("Quasi-unicorns"), "准独角兽企业"),
    QualificationKind.UNICORN: (_("Unicorns"), "独角兽企业"),
}


def _ladder(key: str, label, definition: str, source: str) -> Figure:
    return Figure(
        key,
        label,
        "count",
        definition=definition,
        source=source,
        drill_down=_drill_down(key),
        app="enterprises",
        group="ladder",
        unit_label=_("enterprises"),
    )


# Card order of the dashboard: the ladder from the bottom rung up.
LADDER_FIGURES = (
    _ladder(
        TECH_SME_NATIONAL_FILED,
        _("National tech SMEs filed"),
        "当年通过评价、取得入库登记编号的国家科技型中小企业数；按评价年度计，不累计往年，"
        "已撤销入库的不计",
        "全国科技型中小企业评价入库公告",
    ),
    _ladder(
        TECH_SME_PROVINCIAL_ENTERED,
        _("Zhejiang tech SMEs entered"),
        "当年入库的浙江省科技型中小企业数；按入库年度计",
        "浙江省科技型中小企业入库名单",
    ),
    _ladder(
        CULTIVATION_RECOGNISED,
        _("Cultivation enterprises recognised"),
        "当年认定的市级高新技术培育企业数；按认定年度计",
        "市级高新技术培育企业认定文件",
    ),
    _ladder(
        HIGH_TECH_FIRST_BATCH_RECOGNISED,
        _("High-tech enterprises recognised, first batch"),
        "当年第一批次认定的高新技术企业数（含首次认定和重新认定）",
        "浙江省高新技术企业认定管理机构公布的认定名单",
    ),
    _ladder(
        HIGH_TECH_RECOGNISED,
        _("High-tech enterprises recognised in the year"),
        "当年各批次认定的高新技术企业数（含首次认定和重新认定）",
        "浙江省高新技术企业认定管理机构公布的认定名单",
    ),
    _ladder(
        HIGH_TECH_VALID,
        _("Valid high-tech enterprises at 31 Dec"),
        "12月31日持有有效证书的高新技术企业数：发证日期不晚于12月31日、有效期截止日不早于"
        "12月31日，且未被撤销资格",
        "高新技术企业认定名单及证书（发证日期、有效期）、资格撤销公告",
    ),
    *(
        _ladder(
            key,
            _TIER_LABELS[tier][0],
            f"当年持有{_TIER_LABELS[tier][1]}称号的企业数",
            _TITLE_SOURCE,
        )
        for tier, key in TIER_HELD.items()
    ),
)
LADDER_KEYS = tuple(f.key for f in LADDER_FIGURES)
