"""Versioned rule sets of platform recognition (docs/platforms.md#rule-sets).

Each rule set is one regime at one version: its kind, the document it follows, its status and
the thresholds of its conditions as exact numbers. A threshold of ``None`` is a value the
bureau has not filled in yet: the condition that needs it is ``unknown`` and shown 待政策核实.

Status values: ``CONFIRMED`` (official text seen), ``SECONDARY`` (one copy or a summary),
``UNCONFIRMED`` (not seen: configuration only).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any

__all__ = [
    "PENDING_LABEL_ZH",
    "PlatformRuleSet",
    "RULE_SETS",
    "DEFAULT_REGIME",
    "rule_set",
    "with_thresholds",
]

PENDING_LABEL_ZH = "待政策核实"

INCUBATOR_2018 = "科技企业孵化器管理办法（国科发区〔2018〕300号）"
MAKER_SPACE_2017 = "国家众创空间备案暂行规定（国科火字〔2017〕120号）"


@dataclass(frozen=True)
class PlatformRuleSet:
    """One regime's version: thresholds by key (exact numbers, None = not filled in) and the
    clause each condition id cites."""

    regime: str
    kind: str
    version: str
    label_zh: str
    status: str
    document: str
    thresholds: dict[str, Any] = field(repr=False)
    clauses: dict[str, str] = field(repr=False)
    # The remote-area relaxation factor of the regime (None when the regime has none).
    remote_factor: Fraction | None = None

    @property
    def pending_verification(self) -> bool:
        return self.status == "UNCONFIRMED"

    def threshold(self, key: str) -> Any:
        return self.thresholds.get(key)


_INCUBATOR_THRESHOLDS: dict[str, Any] = {
    "operating_years": 3,
    "statistics_years_filed": 2,
    "area_m2": 10000,
    "incubatee_area_share": Fraction(75, 100),
    "fund_wan": 500,
    "financed_share": Fraction(10, 100),
    "fund_cases": 3,
    "professional_staff_share": Fraction(80, 100),
    "incubatees_per_staff": 10,
    "incubatees_per_mentor": 10,
    "patent_application_share": Fraction(50, 100),
    "valid_ip_share": Fraction(30, 100),
    "incubatees": 50,
    "incubatees_per_1000_m2": 3,
    "graduates_cumulative": 20,
    # Professional incubator variant.
    "professional_incubatees": 30,
    "professional_incubatees_per_1000_m2": 2,
    "professional_graduates_cumulative": 15,
    "same_industry_share": Fraction(75, 100),
}
_INCUBATOR_CLAUSES = {
    "I1": f"{INCUBATOR_2018} 第六条（一）",
    "I2": f"{INCUBATOR_2018} 第六条（二）",
    "I3": f"{INCUBATOR_2018} 第六条（三）",
    "I4": f"{INCUBATOR_2018} 第六条（四）",
    "I5": f"{INCUBATOR_2018} 第六条（五）",
    "I6": f"{INCUBATOR_2018} 第六条（六）",
    "I7": f"{INCUBATOR_2018} 第六条（七）",
    "I8": f"{INCUBATOR_2018} 第六条（专业孵化器条件）",
    "remote": f"{INCUBATOR_2018} 第十条",
}
_MAKER_THRESHOLDS: dict[str, Any] = {
    "operating_months": 18,
    "service_area_m2": 500,
    "desks": 30,
    "desk_and_public_share": Fraction(75, 100),
    "resident_teams_year": 20,
    "new_firms_year": 10,
    "financed_year": 5,
    "typical_cases_year": 3,
    "fulltime_staff": 3,
    "mentors": 3,
    "events_year": 10,
}
_MAKER_CLAUSES = {
    cid: f"{MAKER_SPACE_2017} 备案条件（{n}）"
    for cid, n in zip([f"M{i}" for i in range(1, 11)], "一二三四五六七八九十", strict=True)
}
_INCUBATEE_THRESHOLDS = {"age_at_entry_months": 24, "incubation_months": 48}
_INCUBATEE_CLAUSES = {
    "E1": f"{INCUBATOR_2018} 在孵企业条件（符合科技型中小企业相关要求）",
    "E2": f"{INCUBATOR_2018} 在孵企业条件（注册地和主要研发、办公场所在孵化器场地内）",
    "E3": f"{INCUBATOR_2018} 在孵企业条件（申请进入孵化器时成立时间不超过24个月）",
    "E4": f"{INCUBATOR_2018} 在孵企业条件（孵化时限原则上不超过48个月）",
}
_GRADUATE_THRESHOLDS = {"angel_vc_wan": 500, "revenue_two_years_wan": 1000}
_GRADUATE_CLAUSES = {
    "G1": f"{INCUBATOR_2018} 毕业企业条件（获得高新技术企业认定）",
    "G2": f"{INCUBATOR_2018} 毕业企业条件（累计获得天使或风险投资超过500万元）",
    "G3": f"{INCUBATOR_2018} 毕业企业条件（连续2年营业收入累计超过1000万元）",
    "G4": f"{INCUBATOR_2018} 毕业企业条件（被兼并、收购或在国内外资本市场挂牌、上市）",
}


def _blank(thresholds: dict[str, Any]) -> dict[str, Any]:
    return dict.fromkeys(thresholds)


RULE_SETS: dict[str, PlatformRuleSet] = {
    rs.regime: rs
    for rs in (
        PlatformRuleSet(
            regime="national-2018",
            kind="incubator",
            version="2018",
            label_zh="国家级科技企业孵化器（2018）",
            status="CONFIRMED",
            document=INCUBATOR_2018,
            thresholds=_INCUBATOR_THRESHOLDS,
            clauses=_INCUBATOR_CLAUSES,
            remote_factor=Fraction(8, 10),
        ),
        PlatformRuleSet(
            regime="miit-2025",
            kind="incubator",
            version="2025",
            label_zh="科技企业孵化器（工信部科〔2025〕131号 标准级/卓越级）",
            status="UNCONFIRMED",
            document="工信部科〔2025〕131号",
            thresholds=_blank(_INCUBATOR_THRESHOLDS),
            clauses=dict.fromkeys(_INCUBATOR_CLAUSES, "工信部科〔2025〕131号"),
        ),
        PlatformRuleSet(
            regime="zhejiang-provincial",
            kind="incubator",
            version="zj",
            label_zh="省级科技企业孵化器（浙江）",
            status="UNCONFIRMED",
            document="浙江省科技企业孵化器认定办法",
            thresholds=_blank(_INCUBATOR_THRESHOLDS),
            clauses=dict.fromkeys(_INCUBATOR_CLAUSES, "浙江省科技企业孵化器认定办法"),
        ),
        PlatformRuleSet(
            regime="national-2017",
            kind="maker_space",
            version="2017",
            label_zh="国家备案众创空间（2017）",
            status="CONFIRMED",
            document=MAKER_SPACE_2017,
            thresholds=_MAKER_THRESHOLDS,
            clauses=_MAKER_CLAUSES,
        ),
        PlatformRuleSet(
            regime="zhejiang-maker-space",
            kind="maker_space",
            version="zj",
            label_zh="省级众创空间（浙江）",
            status="UNCONFIRMED",
            document="浙江省众创空间认定管理办法",
            thresholds=_blank(_MAKER_THRESHOLDS),
            clauses=dict.fromkeys(_MAKER_CLAUSES, "浙江省众创空间认定管理办法"),
        ),
        PlatformRuleSet(
            regime="incubatee-2018",
            kind="incubatee",
            version="2018",
            label_zh="在孵企业（2018）",
            status="CONFIRMED",
            document=INCUBATOR_2018,
            thresholds=_INCUBATEE_THRESHOLDS,
            clauses=_INCUBATEE_CLAUSES,
        ),
        PlatformRuleSet(
            regime="graduate-2018",
            kind="graduate",
            version="2018",
            label_zh="毕业企业（2018）",
            status="SECONDARY",
            document=INCUBATOR_2018,
            thresholds=_GRADUATE_THRESHOLDS,
            clauses=_GRADUATE_CLAUSES,
        ),
    )
}

DEFAULT_REGIME = {
    "incubator": "national-2018",
    "maker_space": "national-2017",
    "incubatee": "incubatee-2018",
    "graduate": "graduate-2018",
}


def rule_set(kind: str, regime: str | None = None) -> PlatformRuleSet:
    """The rule set of `regime` (the kind's default when None); ValueError for an unknown one
    or a regime of another kind."""
    key = regime or DEFAULT_REGIME.get(kind)
    if key is None:
        raise ValueError(f"unknown kind {kind!r}")
    found = RULE_SETS.get(key)
    if found is None or found.kind != kind:
        raise ValueError(f"unknown regime {key!r} for kind {kind!r}")
    return found


def with_thresholds(
    base: PlatformRuleSet, *, version: str, status: str, **values: Any
) -> PlatformRuleSet:
    """A later version of `base` with some thresholds filled in or changed (the bureau's
    configuration of an unconfirmed regime, or a new official version)."""
    thresholds = dict(base.thresholds)
    for key, value in values.items():
        if key not in thresholds:
            raise KeyError(key)
        thresholds[key] = None if value is None else Fraction(str(value))
    return replace(base, version=version, status=status, thresholds=thresholds)
