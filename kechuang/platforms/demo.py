"""Demo step of innovation platforms (docs/platforms.md#demo): the platforms the seed names with
their 2024 steps, milestones of the 2025 reforms, incubatees, KPIs, a 2024 reporting round, a
2024 evaluation with grades and the enclaves' three-returns records. Idempotent (a second run
adds nothing) and bulk-written with history rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from kechuang.enterprises.models import Enterprise
from kechuang.experts.models import Organisation
from kechuang.regions.models import RegionKind, Town

from .logic import scoring
from .models import (
    EVENT_STAGE,
    Evaluation,
    EvaluationScheme,
    Milestone,
    Platform,
    PlatformEvent,
    PlatformLink,
    PlatformOperator,
    PlatformReport,
    ReportingRound,
    ReportStatus,
    SubsidyParameters,
    ThreeReturns,
)
from .platform_selectors import kpi_values

__all__ = ["platforms_demo", "PLATFORMS", "OPERATOR_USERNAME"]

OPERATOR_USERNAME = "operator"
D = dt.date
ZJU_T = "浙江工业大学"
ZUST = "浙江科技大学"
WUST = "武汉科技大学"
NBU_S = "宁波大学科学技术学院"

# name, type, level, town index, partner, host city, facts, steps [(kind, date, level, authority, doc)]
PLATFORMS = [
    (
        "浙江工业大学创新设计研究院",
        "research_institute",
        "none",
        0,
        ZJU_T,
        "",
        {},
        [
            ("planned", D(2023, 6, 1), "", "市政府", ""),
            ("unveiled", D(2024, 4, 18), "", "市政府", ""),
        ],
    ),
    (
        "浙江科技大学慈溪产业研究院",
        "research_institute",
        "none",
        1,
        ZUST,
        "",
        {},
        [
            ("planned", D(2023, 9, 1), "", "市政府", ""),
            ("unveiled", D(2024, 6, 6), "", "市政府", ""),
        ],
    ),
    (
        "武汉科技大学慈溪技术转移中心",
        "tech_transfer_centre",
        "none",
        2,
        WUST,
        "",
        {},
        [
            ("planned", D(2023, 11, 1), "", "市科技局", ""),
            ("unveiled", D(2024, 9, 20), "", "市科技局", ""),
        ],
    ),
    (
        "宁大科院小家电智能制造概念验证中心",
        "concept_verification",
        "none",
        3,
        NBU_S,
        "",
        {},
        [
            ("construction", D(2024, 3, 1), "", "", ""),
            ("listed", D(2024, 10, 15), "ningbo", "宁波市科学技术局", "甬科〔2024〕示例号"),
        ],
    ),
    (
        "浙江工业大学慈溪创新设计校地协同研究生培养基地",
        "graduate_base",
        "provincial",
        0,
        ZJU_T,
        "",
        {},
        [
            ("unveiled", D(2022, 5, 1), "", "", ""),
            ("recognised", D(2024, 11, 8), "provincial", "浙江省教育厅", "浙教〔2024〕示例号"),
        ],
    ),
    (
        "慈溪智慧谷科技企业孵化器",
        "incubator",
        "provincial",
        0,
        None,
        "",
        {
            "legal_person": True,
            "registered_date": "2018-03-01",
            "operating_since": "2018-06-01",
            "statistics_years_filed": 4,
            "area_m2": 9000,
            "incubatee_area_m2": 7200,
            "fund_wan": 600,
            "fund_cases": 4,
            "staff": 20,
            "professional_staff": 17,
            "mentors": 8,
            "has_shared_technical_platform": True,
        },
        [
            ("unveiled", D(2018, 6, 1), "", "", ""),
            ("recognised", D(2021, 12, 20), "ningbo", "宁波市科学技术局", "甬科〔2021〕示例号"),
            ("upgraded", D(2024, 12, 10), "provincial", "浙江省科学技术厅", "浙科〔2024〕示例号"),
        ],
    ),
    (
        "沁园·慧科智创",
        "maker_space",
        "provincial",
        4,
        None,
        "",
        {
            "direction_clear": True,
            "legal_person_or_dedicated_body": True,
            "operating_since": "2021-03-01",
            "service_area_m2": 1200,
            "desks": 60,
            "desk_and_public_area_m2": 1000,
            "total_area_m2": 1200,
            "resident_teams_year": 26,
            "new_firms_year": 11,
            "financed_year": 4,
            "typical_cases_year": 3,
            "fulltime_staff": 4,
            "mentors": 6,
            "events_year": 14,
            "statistics_filed": True,
        },
        [
            ("unveiled", D(2021, 3, 1), "", "", ""),
            ("recognised", D(2024, 8, 28), "provincial", "浙江省科学技术厅", "浙科〔2024〕示例号"),
        ],
    ),
    (
        "慈溪青创众创空间",
        "maker_space",
        "provincial",
        5,
        None,
        "",
        {
            "direction_clear": True,
            "legal_person_or_dedicated_body": True,
            "operating_since": "2019-05-01",
            "service_area_m2": 450,
            "desks": 24,
            "desk_and_public_area_m2": 300,
            "total_area_m2": 450,
            "resident_teams_year": 18,
            "new_firms_year": 6,
            "financed_year": 2,
            "typical_cases_year": 2,
            "fulltime_staff": 3,
            "mentors": 3,
            "events_year": 8,
            "statistics_filed": True,
        },
        [
            ("unveiled", D(2019, 5, 1), "", "", ""),
            ("recognised", D(2021, 9, 1), "provincial", "浙江省科学技术厅", "浙科〔2021〕示例号"),
        ],
    ),
    (
        "慈溪上海科创飞地",
        "enclave",
        "none",
        0,
        None,
        "上海",
        {},
        [
            ("planned", D(2024, 2, 1), "", "市政府", ""),
            ("tendered", D(2024, 7, 30), "", "市科技局", ""),
        ],
    ),
    (
        "慈溪深圳科创飞地",
        "enclave",
        "none",
        0,
        None,
        "深圳",
        {},
        [
            ("planned", D(2024, 2, 1), "", "市政府", ""),
            ("tendered", D(2024, 8, 22), "", "市科技局", ""),
        ],
    ),
    (
        "智能家电技术创新中心",
        "tech_innovation_centre",
        "ningbo",
        6,
        None,
        "",
        {},
        [
            ("unveiled", D(2023, 5, 18), "", "", ""),
            ("recognised", D(2023, 12, 1), "ningbo", "宁波市科学技术局", "甬科〔2023〕示例号"),
        ],
    ),
    (
        "数字家纺技术创新中心",
        "tech_innovation_centre",
        "none",
        7,
        None,
        "",
        {},
        [("planned", D(2025, 1, 10), "", "市政府", "")],
    ),
    (
        "慈溪市产业技术研究院",
        "research_institute",
        "none",
        0,
        None,
        "",
        {},
        [("unveiled", D(2019, 9, 1), "", "", "")],
    ),
    (
        "慈溪生物医学工程研究所",
        "research_institute",
        "none",
        8,
        None,
        "",
        {},
        [("unveiled", D(2017, 10, 1), "", "", "")],
    ),
    (
        "中以创新技术研究院",
        "research_institute",
        "none",
        9,
        None,
        "",
        {},
        [("unveiled", D(2018, 11, 1), "", "", "")],
    ),
    (
        "慈溪小家电产业创新服务综合体",
        "service_complex",
        "provincial",
        6,
        None,
        "",
        {},
        [
            ("unveiled", D(2019, 4, 1), "", "", ""),
            ("recognised", D(2020, 6, 1), "provincial", "浙江省科学技术厅", "浙科〔2020〕示例号"),
        ],
    ),
    (
        "慈溪智能家电企业创新联合体",
        "consortium",
        "county",
        6,
        None,
        "",
        {},
        [
            ("unveiled", D(2023, 8, 1), "", "", ""),
            ("recognised", D(2023, 10, 1), "county", "市科技局", "慈科〔2023〕示例号"),
        ],
    ),
    (
        "慈溪大学科技园",
        "science_park",
        "none",
        0,
        None,
        "",
        {},
        [("planned", D(2025, 3, 1), "", "市政府", "")],
    ),
]
MILESTONES = [
    ("慈溪市产业技术研究院", "公司化改制方案报批", "市科技局", D(2025, 6, 30), "in_progress"),
    ("慈溪市产业技术研究院", "完成公司注册并运营", "市产研院", D(2025, 12, 31), "planned"),
    ("慈溪生物医学工程研究所", "产业化转型实施方案", "市科技局", D(2025, 5, 31), "in_progress"),
    ("中以创新技术研究院", "改组方案与理事会调整", "市科技局", D(2025, 4, 30), "planned"),
    (
        "慈溪市产业技术研究院",
        "产业化项目“拨改投”试点办法",
        "市科技局、市财政局",
        D(2025, 9, 30),
        "planned",
    ),
    ("慈溪大学科技园", "纳入“十五五”科技规划", "市科技局", D(2025, 10, 31), "planned"),
    ("数字家纺技术创新中心", "筹建方案论证", "市科技局", D(2025, 3, 31), "planned"),
]
INCUBATOR_SCHEME = {
    "indicators": [
        {
            "code": "professional_staff",
            "label": "专业孵化人员",
            "dimension": "服务能力",
            "weight": 10,
            "rule": "linear",
            "floor": 0,
            "target": 20,
        },
        {
            "code": "mentors",
            "label": "创业导师",
            "dimension": "服务能力",
            "weight": 10,
            "rule": "linear",
            "floor": 0,
            "target": 10,
        },
        {
            "code": "fund_wan",
            "label": "孵化基金",
            "dimension": "服务能力",
            "weight": 10,
            "rule": "linear",
            "floor": 0,
            "target": 1000,
        },
        {
            "code": "incubatees",
            "label": "在孵企业",
            "dimension": "孵化绩效",
            "weight": 20,
            "rule": "linear",
            "floor": 0,
            "target": 60,
        },
        {
            "code": "graduates_cumulative",
            "label": "累计毕业企业",
            "dimension": "孵化绩效",
            "weight": 20,
            "rule": "linear",
            "floor": 0,
            "target": 25,
        },
        {
            "code": "new_high_tech",
            "label": "当年新认定高新技术企业",
            "dimension": "孵化绩效",
            "weight": 10,
            "rule": "bands",
            "bands": [[3, 1], [1, "0.5"]],
        },
        {
            "code": "has_shared_technical_platform",
            "label": "公共技术服务平台",
            "dimension": "可持续发展",
            "weight": 10,
            "rule": "yesno",
        },
        {
            "code": "revenue_wan",
            "label": "孵化器收入",
            "dimension": "可持续发展",
            "weight": 10,
            "rule": "linear",
            "floor": 0,
            "target": 800,
        },
    ],
    "weights": {"quantitative": 60, "expert": 30, "management": 10},
    "grades": [["A", 90], ["B", 80], ["C", 60]],
}
MAKER_SCHEME = {
    "indicators": [
        {
            "code": "resident_teams_year",
            "label": "入驻团队和企业",
            "dimension": "集聚创新创业者",
            "weight": 20,
            "rule": "linear",
            "floor": 0,
            "target": 30,
        },
        {
            "code": "desks",
            "label": "创业工位",
            "dimension": "技术创新服务",
            "weight": 15,
            "rule": "linear",
            "floor": 0,
            "target": 60,
        },
        {
            "code": "financed_year",
            "label": "获得融资的团队和企业",
            "dimension": "创业融资服务",
            "weight": 20,
            "rule": "linear",
            "floor": 0,
            "target": 8,
        },
        {
            "code": "mentors",
            "label": "创业导师",
            "dimension": "导师队伍与培训活动",
            "weight": 10,
            "rule": "linear",
            "floor": 0,
            "target": 8,
        },
        {
            "code": "events_year",
            "label": "创新创业活动",
            "dimension": "导师队伍与培训活动",
            "weight": 10,
            "rule": "linear",
            "floor": 0,
            "target": 20,
        },
        {
            "code": "new_firms_year",
            "label": "新注册企业",
            "dimension": "创业成长服务绩效",
            "weight": 25,
            "rule": "linear",
            "floor": 0,
            "target": 15,
        },
    ],
    "weights": {"quantitative": 60, "expert": 30, "management": 10},
    "grades": [["A", 90], ["B", 80], ["C", 60]],
}
# platform → (expert, management) scores of 2023 and 2024
SCORES = {
    "慈溪智慧谷科技企业孵化器": {2023: (80, 85), 2024: (86, 90)},
    "沁园·慧科智创": {2023: (78, 80), 2024: (88, 90)},
    "慈溪青创众创空间": {2023: (50, 55), 2024: (48, 50)},
}


def _bulk(objs: list, model) -> list:
    return bulk_create_with_history(objs, model) if objs else []


def _organisations(names: set[str]) -> dict[str, Organisation]:
    existing = {o.name: o for o in Organisation.objects.filter(name__in=names)}
    _bulk(
        [Organisation(name=n, kind="university") for n in sorted(names - set(existing))],
        Organisation,
    )
    return {o.name: o for o in Organisation.objects.filter(name__in=names)}


def _platforms() -> tuple[dict[str, Platform], list[str]]:
    towns = list(Town.objects.filter(region__kind=RegionKind.HOME).order_by("sort_order"))
    existing = set(
        Platform.objects.filter(name__in=[p[0] for p in PLATFORMS]).values_list("name", flat=True)
    )
    new = [p for p in PLATFORMS if p[0] not in existing]
    _bulk(
        [
            Platform(
                name=name,
                kind=kind,
                level=level,
                town=towns[t % len(towns)] if towns else None,
                host_city=host,
                facts=facts,
                stage=_stage(steps),
                industry="智能家电" if kind == "incubator" else "",
            )
            for name, kind, level, t, partner, host, facts, steps in new
        ],
        Platform,
    )
    platforms = {p.name: p for p in Platform.objects.filter(name__in=[p[0] for p in PLATFORMS])}
    orgs = _organisations({p[4] for p in new if p[4]})
    through = Platform.partners.through
    through.objects.bulk_create(
        [
            through(platform_id=platforms[p[0]].pk, organisation_id=orgs[p[4]].pk)
            for p in new
            if p[4]
        ]
    )
    events = [
        PlatformEvent(
            platform=platforms[name], kind=k, date=d, level=lv, authority=a, document_number=doc
        )
        for name, *_, steps in new
        for k, d, lv, a, doc in steps
    ]
    _bulk(events, PlatformEvent)
    milestones = [
        Milestone(platform=platforms[p], title=t, owner=o, due_date=d, status=s)
        for p, t, o, d, s in MILESTONES
        if p in {n[0] for n in new}
    ]
    _bulk(milestones, Milestone)
    return platforms, [n[0] for n in new]


def _stage(steps) -> str:
    stage = "planned"
    for kind, *_ in steps:
        stage = EVENT_STAGE.get(kind, stage)
    return stage


def _links(platforms: dict[str, Platform], created: list[str]) -> None:
    """Incubatees of the incubator (young enterprises first), members, enclave residents."""
    if not created:
        return
    pool = list(Enterprise.objects.order_by("-registration_date", "credit_code")[:80])
    if len(pool) < 10:
        return
    incubator = platforms["慈溪智慧谷科技企业孵化器"]
    links = []
    if incubator.name in created:
        for i, e in enumerate(pool[:48]):
            founded = e.registration_date or D(2022, 1, 1)
            entry = founded + dt.timedelta(days=60 + (i % 5) * 90)
            graduated = i % 4 == 0
            links.append(
                PlatformLink(
                    platform=incubator,
                    enterprise=e,
                    role="incubatee",
                    entry_date=entry,
                    exit_date=D(2024, 6, 30) if graduated and entry < D(2024, 6, 30) else None,
                    same_industry=i % 5 != 0,
                    financed=i % 6 == 0,
                    angel_vc_wan=Decimal(600) if graduated and i % 8 == 0 else None,
                )
            )
    for name in ("慈溪智能家电企业创新联合体", "智能家电技术创新中心"):
        if name in created:
            links += [
                PlatformLink(platform=platforms[name], enterprise=e, role="member")
                for e in pool[48:56]
            ]
    for name, residents in (("慈溪上海科创飞地", pool[56:60]), ("慈溪深圳科创飞地", pool[60:63])):
        if name in created:
            links += [
                PlatformLink(
                    platform=platforms[name],
                    enterprise=e,
                    role="resident",
                    entry_date=D(2024, 9, 1),
                )
                for e in residents
            ]
    _bulk(links, PlatformLink)


def _three_returns(platforms: dict[str, Platform]) -> None:
    residents = PlatformLink.objects.filter(role="resident", platform__kind="enclave")
    done = set(ThreeReturns.objects.filter(year=2024).values_list("enclave_id", "enterprise_id"))
    rows = []
    for i, link in enumerate(residents.order_by("pk")):
        if (link.platform_id, link.enterprise_id) in done:
            continue
        rows.append(
            ThreeReturns(
                enclave_id=link.platform_id,
                enterprise_id=link.enterprise_id,
                year=2024,
                rd_expense_yuan=Decimal(1_200_000 + 350_000 * i),
                rd_staff=6 + i * 2,
                results_registered=2 + i % 3,
                results_total=3 + i % 3,
                capacity_yuan=Decimal(5_000_000 + 1_000_000 * i),
            )
        )
    _bulk(rows, ThreeReturns)
    if not SubsidyParameters.objects.exists():
        _bulk(
            [
                SubsidyParameters(
                    year_from=2024,
                    per_head_yuan=Decimal(20000),
                    cap_yuan=Decimal(300000),
                    min_results_share=Decimal("0.6"),
                    pending_verification=True,
                )
            ],
            SubsidyParameters,
        )


def _operator(platforms: dict[str, Platform]) -> None:
    user = get_user_model().objects.filter(username=OPERATOR_USERNAME).first()
    if user is not None and not PlatformOperator.objects.filter(user=user).exists():
        _bulk(
            [PlatformOperator(user=user, platform=platforms["慈溪智慧谷科技企业孵化器"])],
            PlatformOperator,
        )


def _round_and_evaluations(platforms: dict[str, Platform]) -> None:
    """An open 2024 round (the maker spaces' reports accepted, the incubator's to fill), the
    schemes, and graded 2023 and 2024 evaluations."""
    round_, _ = ReportingRound.objects.get_or_create(
        year=2024, defaults={"deadline": D(2025, 3, 31)}
    )
    schemes = {}
    for name, kind, config in (
        ("孵化器绩效评价方案（示例）", "incubator", INCUBATOR_SCHEME),
        ("众创空间绩效评价方案（示例）", "maker_space", MAKER_SCHEME),
    ):
        schemes[kind] = EvaluationScheme.objects.get_or_create(
            name=name, defaults={"kind": kind, "config": config}
        )[0]
    have_reports = set(
        PlatformReport.objects.filter(round=round_).values_list("platform_id", flat=True)
    )
    reports = [
        PlatformReport(
            round=round_,
            platform=p,
            values={**p.facts, "revenue_wan": 300},
            status=ReportStatus.ACCEPTED,
        )
        for p in platforms.values()
        if p.kind == "maker_space" and p.pk not in have_reports
    ]
    _bulk(reports, PlatformReport)
    have = set(Evaluation.objects.values_list("platform_id", "year"))
    evaluations = []
    for name, years in SCORES.items():
        p = platforms[name]
        previous: list[str] = []
        for year, (expert, management) in sorted(years.items()):
            values = {**p.facts, "revenue_wan": 300, **kpi_values(p, year)}
            result = scoring.score(schemes[p.kind].config, values, expert, management, previous)
            previous.append(result["grade"])
            if (p.pk, year) in have:
                continue
            evaluations.append(
                Evaluation(
                    platform=p,
                    scheme=schemes[p.kind],
                    year=year,
                    expert_score=expert,
                    management_score=management,
                    quantitative_score=Decimal(str(round(float(result["quantitative"]), 2))),
                    total=Decimal(str(round(float(result["total"]), 2))),
                    grade=result["grade"],
                    consequence=result["consequence"],
                    detail=result["detail"],
                )
            )
    _bulk(evaluations, Evaluation)


@transaction.atomic
def platforms_demo(*, generated: bool) -> list[str]:
    """``DEMO_EXTENSIONS`` entry: build what is missing; return the platforms created."""
    platforms, created = _platforms()
    _links(platforms, created)
    _three_returns(platforms)
    _operator(platforms)
    _round_and_evaluations(platforms)
    return created
