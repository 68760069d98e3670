"""Demo configuration of the indicator system: a catalogue, three indicator sets, the home
region's reported figures, peer regions' values and the targets of the 2024 summary and 2025 plan.

DEMO CONFIGURATION, NOT OFFICIAL. Zhejiang's county-level indicator list, its weights and the
composition of the "6+2" system are unconfirmed (docs/rnd.md#county-indicator-system); the sets below are
illustrative, so the bureau can replace them with the official list as data.

Peer values are synthetic and deterministic (fixed seed). They are generated around the home
region's own values — computed ones from live data through the registry — and nudged until the
index engine itself ranks the home region as the seed reports (2024: S&T innovation index 7th in
the province and 1st in Ningbo; achievement-transformation index 11th and 2nd). Only indicator
values are stored; every rank is computed when read.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from kechuang.regions.models import Region

from .logic.peers import place_home
from .models import (
    IndexNode,
    IndexRun,
    Indicator,
    IndicatorSet,
    IndicatorSetMember,
    IndicatorSource,
    IndicatorValue,
    Target,
)
from .registry import computed_value

__all__ = [
    "indicators_demo",
    "CATALOGUE",
    "SETS",
    "TARGETS",
    "RANK_PLAN",
    "DEMO_YEARS",
    "PLAUSIBLE_RANGES",
]

SEED = 20241231
DEMO_YEARS = list(range(2019, 2025))
C, R = IndicatorSource.COMPUTED, IndicatorSource.REPORTED

# code, name zh, name en, unit, direction, source, decimals, max, definition
CATALOGUE = [
    ("rd_intensity", "规上工业企业研发费用占营业收入比重", "R&D intensity of above-scale industry",
     "%", 1, C, 2, 100, "规上工业企业研发费用（统计口径）÷ 规上工业企业营业收入"),
    ("above_scale_with_rd_share", "有研发活动的规上工业企业占比", "Share of above-scale industrial enterprises with R&D",
     "%", 1, C, 1, 100, "研发费用大于0的规上工业企业数 ÷ 规上工业企业数"),
    ("high_tech_valid", "有效高新技术企业数", "Valid high-tech enterprises",
     "家", 1, C, 0, None, "12月31日处于有效期内且未撤销的高新技术企业数"),
    ("high_tech_recognised", "当年认定高新技术企业数", "High-tech enterprises recognised in the year",
     "家", 1, C, 0, None, "当年各批次认定（含重新认定）的高新技术企业数"),
    ("high_tech_net_increase", "有效高新技术企业净增数", "Net increase of valid high-tech enterprises",
     "家", 1, C, 0, None, "本年末有效高新技术企业数 − 上年末有效数"),
    ("tech_sme_national_filed", "国家科技型中小企业备案数", "National tech SMEs filed",
     "家", 1, C, 0, None, "当年评价入库（备案）的国家科技型中小企业数"),
    ("rd_institutions_per_above_scale", "企业研发机构与规上工业企业数之比", "R&D institutions per above-scale enterprise",
     "%", 1, C, 1, None, "累计有效企业研发机构数 ÷ 规上工业企业数"),
    ("invention_patents_per_10k", "每万人高价值发明专利拥有量", "High-value invention patents per 10,000 people",
     "件/万人", 1, R, 1, None, "省统计口径，省市公布数"),
    ("high_tech_industry_share", "高新技术产业增加值占规上工业增加值比重", "High-tech industry share of above-scale value added",
     "%", 1, R, 1, 100, "省统计口径，省市公布数"),
    ("fiscal_st_share", "财政科技支出占一般公共预算支出比重", "S&T share of general public budget expenditure",
     "%", 1, R, 2, 100, "财政决算口径"),
    ("high_tech_investment", "高新技术产业投资", "Investment in high-tech industries",
     "亿元", 1, R, 1, None, "发改/统计口径"),
    ("tech_contract_turnover", "技术合同成交额", "Technology contract turnover",
     "亿元", 1, R, 2, None, "技术市场登记的技术合同成交额"),
    ("patents_transferred", "专利转让许可数", "Patents transferred or licensed",
     "件", 1, R, 0, None, "当年专利转让、许可备案数"),
    ("incubated_enterprises", "孵化器众创空间在孵企业数", "Enterprises in incubators and maker spaces",
     "家", 1, R, 0, None, "各级孵化器、众创空间年末在孵企业数"),
]  # fmt: skip

# code, name zh, name en, normalisation, aggregation, ranked, members [(indicator, weight, benchmark)]
SETS = [
    ("innovation", "科技创新指数（演示配置）", "S&T innovation index (demo configuration)",
     "min_max", "arithmetic", True,
     [("rd_intensity", 20, None), ("above_scale_with_rd_share", 15, None),
      ("high_tech_valid", 15, None), ("rd_institutions_per_above_scale", 10, None),
      ("invention_patents_per_10k", 15, None), ("high_tech_industry_share", 15, None),
      ("fiscal_st_share", 10, None)]),
    ("transformation", "科技成果转化指数（演示配置）", "Achievement-transformation index (demo configuration)",
     "min_max", "arithmetic", True,
     [("tech_contract_turnover", 30, None), ("patents_transferred", 20, None),
      ("high_tech_recognised", 20, None), ("tech_sme_national_filed", 15, None),
      ("incubated_enterprises", 15, None)]),
    ("six_plus_two", "“6+2”指标体系（演示配置）", "“6+2” indicator system (demo configuration)",
     "distance_to_target", "arithmetic", False,
     [("rd_intensity", 20, "3.46"), ("high_tech_valid", 15, "1120"),
      ("high_tech_industry_share", 15, "78.3"), ("invention_patents_per_10k", 10, "60"),
      ("tech_contract_turnover", 10, "45"), ("above_scale_with_rd_share", 10, "80"),
      ("rd_institutions_per_above_scale", 10, "80"), ("tech_sme_national_filed", 10, "1000")]),
]  # fmt: skip

# The trees of the two provincial indices (docs/indicators.md#tree): set → [(node, name zh,
# name en, members)]. The achievement-transformation index has four sub-indices (innovation
# R&D, outputs, transactions, transformation performance; base year 2020); which indicators
# and weights each holds is not published, so the grouping is configuration marked
# 待政策核实 (pending policy verification). A node's weight is the sum of its members' weights,
# so the tree's effective weights equal the flat set's and its ranks are the flat set's.
TREES = {
    "innovation": [
        ("inputs", "创新投入", "Innovation inputs", ["rd_intensity", "fiscal_st_share"]),
        ("actors", "创新主体", "Innovation actors",
         ["above_scale_with_rd_share", "high_tech_valid", "rd_institutions_per_above_scale"]),
        ("outputs", "创新产出", "Innovation outputs",
         ["invention_patents_per_10k", "high_tech_industry_share"]),
    ],
    "transformation": [
        ("innovation_rd", "创新研发", "Innovation R&D", ["high_tech_recognised"]),
        ("outputs", "成果产出", "Outputs", ["tech_sme_national_filed"]),
        ("transactions", "成果交易", "Transactions",
         ["tech_contract_turnover", "patents_transferred"]),
        ("performance", "转化绩效", "Transformation performance", ["incubated_enterprises"]),
    ],
}  # fmt: skip

# The home region's reported figures in 2024 and their yearly growth factor (synthetic).
HOME_REPORTED_2024 = {
    "invention_patents_per_10k": (31.6, 1.12),
    "high_tech_industry_share": (76.9, 1.025),
    "fiscal_st_share": (6.85, 1.04),
    "high_tech_investment": (46.2, 1.09),
    "tech_contract_turnover": (38.52, 1.16),
    "patents_transferred": (1264, 1.11),
    "incubated_enterprises": (418, 1.08),
}

# Ranks the demo places the home region at: (province, city). 2024 is the seed's; the earlier
# years sketch its "7th, first in Ningbo three years running" and are synthetic.
RANK_PLAN = {
    "innovation": {2019: (13, 3), 2020: (11, 2), 2021: (9, 2), 2022: (8, 1), 2023: (8, 1),
                   2024: (7, 1)},
    "transformation": {2019: (19, 4), 2020: (17, 3), 2021: (15, 3), 2022: (14, 3), 2023: (12, 2),
                       2024: (11, 2)},
}  # fmt: skip

# Where a Zhejiang county-level unit's value plausibly lies (low, high), so synthetic peers never
# show an R&D intensity of 40 % or a fiscal S&T share of 45 %. Orders of magnitude of the
# province's county-level figures: R&D intensity 1.5–5 %, S&T share of general public budget
# expenditure 2–12 %; counts span a small mountain county to a large manufacturing district.
PLAUSIBLE_RANGES = {
    "rd_intensity": (1.5, 5.0),
    "above_scale_with_rd_share": (35.0, 95.0),
    "high_tech_valid": (60, 3000),
    "rd_institutions_per_above_scale": (20.0, 110.0),
    "invention_patents_per_10k": (3.0, 90.0),
    "high_tech_industry_share": (30.0, 90.0),
    "fiscal_st_share": (2.0, 12.0),
    "tech_contract_turnover": (2.0, 200.0),
    "patents_transferred": (50, 4000),
    "high_tech_recognised": (10, 600),
    "tech_sme_national_filed": (50, 2500),
    "incubated_enterprises": (20, 1500),
}

# indicator, year, value, comparison, source, note
TARGETS = [
    ("high_tech_valid", 2024, "1000", "at_least", "2024年工作总结：预计全年有效数突破千家大关", ""),
    ("high_tech_valid", 2025, "1120", "at_least", "慈溪市2025年工作计划（二手来源）", ""),
    ("high_tech_net_increase", 2025, "120", "at_least", "慈溪市2025年工作计划（二手来源）", ""),
    ("rd_intensity", 2025, "3.46", "at_least", "慈溪市2025年工作计划（二手来源）", ""),
    ("high_tech_industry_share", 2025, "78.3", "at_least", "慈溪市2025年工作计划（二手来源）", ""),
    ("high_tech_investment", 2025, "50", "at_least", "慈溪市2025年工作计划（二手来源）", ""),
]


@transaction.atomic
def catalogue_ensure() -> None:
    """Create or update the demo catalogue and sets (idempotent)."""
    for i, (code, zh, en, unit, direction, source, decimals, cap, definition) in enumerate(
        CATALOGUE
    ):
        Indicator.objects.update_or_create(
            code=code,
            defaults=dict(
                name_zh=zh,
                name_en=en,
                unit=unit,
                direction=direction,
                source=source,
                decimals=decimals,
                max_value=cap,
                definition=definition,
                sort_order=i,
            ),
        )
    by_code = {i.code: i for i in Indicator.objects.all()}
    for i, (code, zh, en, norm, agg, ranked, members) in enumerate(SETS):
        s, _ = IndicatorSet.objects.update_or_create(
            code=code,
            defaults=dict(
                name_zh=zh,
                name_en=en,
                normalisation=norm,
                aggregation=agg,
                is_ranked=ranked,
                is_demo_configuration=True,
                sort_order=i,
                description="演示配置：指标与权重仅为示例，非官方公布的指标体系。",
            ),
        )
        for j, (ind, weight, benchmark) in enumerate(members):
            IndicatorSetMember.objects.update_or_create(
                indicator_set=s,
                indicator=by_code[ind],
                defaults=dict(
                    weight=Decimal(weight) / 100,
                    benchmark=Decimal(benchmark) if benchmark else None,
                    sort_order=j,
                ),
            )


def trees_ensure() -> None:
    """The sub-indices of the provincial indices and their members (idempotent, a few rows)."""
    weights = {code: {ind: w for ind, w, _b in members} for code, *_x, members in SETS}
    for set_code, nodes in TREES.items():
        s = IndicatorSet.objects.filter(code=set_code).first()
        if s is None:
            continue
        for k, (code, zh, en, members) in enumerate(nodes):
            node, _created = IndexNode.objects.update_or_create(
                indicator_set=s, code=code,
                defaults=dict(name_zh=zh, name_en=en, sort_order=k, is_pending_policy=True,
                              weight=sum(weights[set_code][m] for m in members) / 100),
            )  # fmt: skip
            stale = IndicatorSetMember.objects.filter(
                indicator_set=s, indicator__code__in=members
            ).exclude(node=node)
            for member in stale:
                member.node = node
                member.save(update_fields=["node"])  # with its history row


def runs_ensure() -> None:
    """Store the latest year's result of each ranked set once (the pillars page shows it)."""
    from .index import compute_run

    for s in IndicatorSet.objects.filter(is_ranked=True):
        year = DEMO_YEARS[-1]
        if not IndexRun.objects.filter(indicator_set=s, year=year).exists():
            compute_run(s, year)


@transaction.atomic
def targets_ensure() -> None:
    by_code = {i.code: i for i in Indicator.objects.all()}
    for code, year, value, comparison, source, note in TARGETS:
        Target.objects.update_or_create(
            indicator=by_code[code],
            year=year,
            defaults=dict(value=Decimal(value), comparison=comparison, source=source, note=note),
        )


def _home_reported(code: str, year: int) -> float:
    base, growth = HOME_REPORTED_2024[code]
    return base * growth ** (year - 2024)


def generate_values(home: Region, peers: list[Region]) -> dict[tuple[str, int, int], float]:
    """All demo values {(indicator code, region id, year): value}: the home region's reported
    figures and every peer's value of every indicator in a set (pure given the home values)."""
    indicators = {i.code: i for i in Indicator.objects.all()}
    sets = {s.code: s for s in IndicatorSet.objects.filter(code__in=[s[0] for s in SETS])}
    in_city = np.array([p.city == home.city for p in peers])
    out: dict[tuple[str, int, int], float] = {}
    for year in DEMO_YEARS:
        home_values = {}
        for code, ind in indicators.items():
            if ind.source == C:
                home_values[code] = computed_value(code, year)
            else:
                home_values[code] = _home_reported(code, year)
                out[(code, home.pk, year)] = round(home_values[code], ind.decimals)
        done: set[str] = set()
        for k, (set_code, *_rest, members) in enumerate(SETS):
            codes = [m[0] for m in members if m[0] not in done]
            if not codes or any(home_values[c] is None for c in codes):
                continue
            s = sets[set_code]
            plan = RANK_PLAN.get(set_code, {}).get(year)
            inds = [indicators[c] for c in codes]
            rng = np.random.default_rng(SEED + 100 * year + k)
            weights = {
                m.indicator.code: float(m.weight) for m in s.members.select_related("indicator")
            }
            if plan and len(codes) == len(members):
                matrix = place_home(
                    [home_values[c] for c in codes],
                    [i.direction for i in inds],
                    [weights[c] for c in codes],
                    in_city=in_city,
                    rank_province=plan[0],
                    rank_city=plan[1],
                    rng=rng,
                    normalisation=s.normalisation,
                    aggregation=s.aggregation,
                    decimals=[i.decimals for i in inds],
                    caps=[float(i.max_value) if i.max_value else None for i in inds],
                    bounds=[PLAUSIBLE_RANGES.get(c) for c in codes],
                )
            else:  # unconstrained: around the home region's values
                spread = rng.normal(0, 0.4, (len(peers), 1)) + rng.normal(
                    0, 0.25, (len(peers), len(codes))
                )
                matrix = np.array([max(home_values[c], 1e-6) for c in codes]) * np.exp(spread)
                for j, (c, i) in enumerate(zip(codes, inds, strict=True)):
                    cap = float(i.max_value) if i.max_value else None
                    low, high = PLAUSIBLE_RANGES.get(c, (0.0, cap or np.inf))
                    column = np.clip(matrix[:, j], low, min(high, cap or np.inf))
                    matrix[:, j] = np.round(column, i.decimals)
            for p, row in zip(peers, matrix, strict=True):
                for c, v in zip(codes, row, strict=True):
                    out[(c, p.pk, year)] = float(v)
            done.update(codes)
    return out


@transaction.atomic
def values_ensure() -> int:
    """Upsert freshly generated values (deterministic) over the generator's own rows, leaving
    imported or entered values alone. Returns the number of values created or changed."""
    from kechuang.regions.selectors import home_region

    home = home_region()
    if home is None:
        return 0
    peers = list(Region.objects.filter(province=home.province).exclude(pk=home.pk).order_by("code"))
    values = generate_values(home, peers)
    ids = dict(Indicator.objects.values_list("code", "id"))
    existing = {
        (v.indicator_id, v.region_id, v.year): v
        for v in IndicatorValue.objects.filter(indicator_id__in=ids.values())
    }
    to_create, to_update = [], []
    for (code, region_id, year), value in sorted(values.items()):
        decimal = round(float(value), 4)  # the generator's own precision (values are exact)
        current = existing.get((ids[code], region_id, year))
        if current is None:
            to_create.append(
                IndicatorValue(
                    indicator_id=ids[code],
                    region_id=region_id,
                    year=year,
                    value=decimal,
                    source="generator",
                )
            )
        elif current.source == "generator" and current.value != decimal:
            current.value = decimal
            to_update.append(current)
    bulk_create_with_history(to_create, IndicatorValue, batch_size=2000)
    bulk_update_with_history(to_update, IndicatorValue, ["value"], batch_size=2000)
    return len(to_create) + len(to_update)


def indicators_demo(*, generated: bool) -> None:
    """DEMO_EXTENSIONS entry: catalogue, sets, targets and values (idempotent)."""
    catalogue_ensure()
    trees_ensure()
    targets_ensure()
    values_ensure()
    runs_ensure()
