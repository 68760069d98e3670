"""Demo step: the 2024 key R&D call with its applications, reviews and the 15 publicly noticed
projects (one objection handled), the 2024 achievement-transformation call with a 拨改投
investment and applications still under review, running projects with tranches, and the open
2025 calls. Bulk writes; a second run changes nothing."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from kechuang.enterprises.choices import QualificationKind
from kechuang.enterprises.models import Enterprise
from kechuang.experts.models import Expert
from kechuang.notices.choices import NoticeKind, ObjectionAction
from kechuang.notices.services import (
    ItemSpec,
    notice_finalise,
    notice_publish,
    objection_file,
    objection_handle,
)

from . import services
from .choices import (
    ApplicationStatus,
    AssignmentStatus,
    CallStatus,
    DecisionKind,
    ProjectStatus,
    ReportKind,
    TrancheStatus,
)
from .logic.funding import tranche_amounts
from .logic.review import DEFAULT_SCHEME, aggregate, dispersion, rank_by_topic, sheet_total
from .models import (
    Application,
    Call,
    ConflictRecord,
    Investment,
    PanelDecision,
    ProgressReport,
    Project,
    ReviewAssignment,
    Topic,
    Tranche,
)
from .selectors import notice_fields

__all__ = ["programmes_demo"]

TOPICS = {
    "key_rd": [
        ("新能源与节能环保", "电池 储能 节能 环保 新能源"),
        ("智能制造与装备", "智能制造 数控 机器人 装备 自动化"),
        ("新材料", "高分子 材料 涂层 复合材料"),
    ],
    "achievement": [("成果产业化", "成果转化 产业化 中试 工程化")],
}
TITLES = [
    "高能量密度电池管理系统研发",
    "工业机器人关键部件研制",
    "高性能复合材料制备技术",
    "智能家电控制系统开发",
    "余热回收节能装备研制",
    "精密数控加工工艺研究",
    "环保型涂层材料开发",
    "智能检测装备研发",
]
KPIS = [
    {
        "indicator": "申请发明专利",
        "unit": "件",
        "baseline": "0",
        "target": "3",
        "evidence": "专利受理通知书",
        "measure": "invention_patents_filed",
    },
    {
        "indicator": "新增主营业务收入",
        "unit": "万元",
        "baseline": "0",
        "target": "2000",
        "evidence": "财务报表",
        "measure": "main_business_revenue_growth_wan",
    },
    {
        "indicator": "研发人员",
        "unit": "人",
        "baseline": "10",
        "target": "15",
        "evidence": "人员名单",
        "measure": "tech_staff",
    },
]


def _aware(y: int, m: int, d: int, h: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime(y, m, d, h))


def _app_rows(i: int, rnd: random.Random, cap: Decimal) -> dict[str, Any]:
    requested = min(cap, Decimal(rnd.randrange(30, 100) * 10000))
    own = requested * 2
    return {
        "title": TITLES[i % len(TITLES)]
        + ("" if i < len(TITLES) else f"（{i // len(TITLES) + 1}期）"),
        "summary": "围绕企业主导产品的关键技术瓶颈开展攻关，形成自主知识产权并实现产业化。",
        "objectives": "突破关键工艺，完成样机研制与中试验证，形成批量生产能力。",
        "owner_name": rnd.choice(["张伟", "王芳", "李强", "陈静", "刘洋", "周敏"]),
        "kpis": KPIS,
        "budget": [
            {"category": "设备费", "own": str(own / 2), "requested": str(requested / 2)},
            {"category": "材料费", "own": str(own / 2), "requested": str(requested / 2)},
        ],
        "total_yuan": own + requested,
        "own_yuan": own,
        "requested_yuan": requested,
        "team": [{"name": "项目负责人", "role": "负责人", "organisation": "申报单位"}],
        "schedule": [
            {"period": "第一年", "task": "关键技术攻关"},
            {"period": "第二年", "task": "中试与产业化"},
        ],
    }


def _seats(
    apps: list[Application], experts: list[Expert], rnd: random.Random, status: str, skip: set[int]
) -> list[ReviewAssignment]:
    criteria = DEFAULT_SCHEME["criteria"]
    seats = []
    for n, app in enumerate(apps):
        for j in range(3):
            expert = experts[(n * 3 + j) % len(experts)]
            if expert.pk in skip:
                continue
            quality = 6 + (len(apps) - n) * 3 / len(apps)
            scores = {
                c["key"]: str(min(10, max(0, round(quality + rnd.uniform(-1, 1), 1))))
                for c in criteria
            }
            submitted = status == AssignmentStatus.SUBMITTED
            seats.append(
                ReviewAssignment(
                    application=app,
                    expert=expert,
                    status=status,
                    fit=Decimal("0.200"),
                    declared_at=app.submitted_at if submitted else None,
                    scores=scores if submitted else {},
                    total=sheet_total(criteria, scores) if submitted else None,
                    submitted_at=app.submitted_at if submitted else None,
                )
            )
    return seats


def _aggregate(apps: list[Application], seats: list[ReviewAssignment]) -> None:
    totals: dict[int, list[Decimal]] = {}
    for s in seats:
        if s.total is not None:
            totals.setdefault(s.application_id, []).append(s.total)
    for a in apps:
        a.score = aggregate(totals.get(a.pk, []), "trimmed_mean")
        a.score_dispersion = dispersion(totals.get(a.pk, []))
    ranks = rank_by_topic([(a.pk, a.topic_id, a.score) for a in apps])
    for a in apps:
        a.rank = ranks.get(a.pk)


@transaction.atomic
def programmes_demo(*, generated: bool) -> int:
    """DEMO_EXTENSIONS entry; returns the number of applications created."""
    if Call.objects.filter(year=2024, programme_type__code="key_rd").exists():
        return 0
    types = services.programme_types_ensure()
    key_rd, achievement = types["key_rd"], types["achievement"]
    rnd = random.Random(2024)
    staff = get_user_model().objects.filter(username="staff").first()
    showcase_id = (
        get_user_model()
        .objects.filter(username="enterprise")
        .values_list("profile__enterprise_id", flat=True)
        .first()
    )
    showcase = Enterprise.objects.filter(pk=showcase_id).first() if showcase_id else None
    high_tech = list(
        Enterprise.objects.filter(qualifications__kind=QualificationKind.HIGH_TECH)
        .exclude(pk=getattr(showcase, "pk", None))
        .distinct()
        .order_by("credit_code")
        .values_list("pk", flat=True)[:40]
    )
    if len(high_tech) < 26:
        return 0
    now = timezone.now()
    calls = {
        "rd24": Call(
            programme_type=key_rd,
            year=2024,
            title="2024年度市重点研发专项",
            guide="围绕本地主导产业关键核心技术，组织实施重点研发专项。",
            opens_at=_aware(2024, 3, 1),
            closes_at=_aware(2024, 3, 31, 17),
            total_budget_yuan=Decimal(15_000_000),
            awards_expected=15,
            status=CallStatus.FINAL,
        ),
        "at24": Call(
            programme_type=achievement,
            year=2024,
            title="2024年度成果转化专项",
            guide="支持科技成果在本地转化和产业化。",
            opens_at=_aware(2024, 5, 1),
            closes_at=_aware(2024, 5, 31, 17),
            total_budget_yuan=Decimal(5_000_000),
            awards_expected=3,
            status=CallStatus.UNDER_REVIEW,
        ),
        "rd25": Call(
            programme_type=key_rd,
            year=2025,
            title="2025年度市重点研发专项",
            guide="聚焦新能源、智能制造和新材料方向。",
            opens_at=now - dt.timedelta(days=10),
            closes_at=now + dt.timedelta(days=60),
            total_budget_yuan=Decimal(15_000_000),
            awards_expected=15,
            status=CallStatus.OPEN,
        ),
        "at25": Call(
            programme_type=achievement,
            year=2025,
            title="2025年度成果转化专项（拨改投试点）",
            guide="试点“拨改投”，以股权投资方式支持成果产业化。",
            opens_at=now - dt.timedelta(days=10),
            closes_at=now + dt.timedelta(days=60),
            total_budget_yuan=Decimal(10_000_000),
            awards_expected=3,
            status=CallStatus.OPEN,
        ),
    }
    Call.objects.bulk_create(calls.values())
    topics = []
    for key, call in calls.items():
        for i, (name, fields) in enumerate(
            TOPICS["key_rd" if key.startswith("rd") else "achievement"]
        ):
            topics.append(Topic(call=call, name=name, fields=fields, sort_order=i))
    Topic.objects.bulk_create(topics)
    topic_of: dict[int, list[Topic]] = {}
    for t in topics:
        topic_of.setdefault(t.call_id, []).append(t)

    # 2024 key R&D: 15 of 22 approved; achievement 2024: 3 approved, 2 under review.
    apps: list[Application] = []
    plan = [
        ("rd24", high_tech[:21] + ([showcase.pk] if showcase else high_tech[21:22])),
        ("at24", high_tech[22:27]),
    ]
    seq = 0
    for key, ids in plan:
        call = calls[key]
        for i, eid in enumerate(ids):
            seq += 1
            rows = _app_rows(i, rnd, call.programme_type.cap_yuan)
            submitted = call.closes_at - dt.timedelta(days=rnd.randrange(1, 20))
            apps.append(
                Application(
                    call=call,
                    topic=topic_of[call.pk][i % len(topic_of[call.pk])],
                    enterprise_id=eid,
                    status=ApplicationStatus.IN_REVIEW,
                    tracking_number=f"KC{call.year}{call.programme_type.code[:4].upper()}{i + 1:04d}",
                    submitted_at=submitted,
                    created_by=staff,
                    eligibility={"status": "pass", "conditions": []},
                    **rows,
                )
            )
    Application.objects.bulk_create(apps)
    rd_apps = [a for a in apps if a.call_id == calls["rd24"].pk]
    at_apps = [a for a in apps if a.call_id == calls["at24"].pk]

    experts = list(Expert.objects.filter(active=True).order_by("pk")[:30])
    demo_expert = Expert.objects.filter(user__username="expert").first()
    seats: list[ReviewAssignment] = []
    if experts:
        seats = _seats(
            rd_apps + at_apps[:3],
            experts,
            rnd,
            AssignmentStatus.SUBMITTED,
            {demo_expert.pk} if demo_expert else set(),
        )
        if demo_expert:
            criteria = DEFAULT_SCHEME["criteria"]
            for app in rd_apps[:3]:
                scores = {c["key"]: "8" for c in criteria}
                seats.append(
                    ReviewAssignment(
                        application=app,
                        expert=demo_expert,
                        status=AssignmentStatus.SUBMITTED,
                        fit=Decimal("0.300"),
                        declared_at=app.submitted_at,
                        scores=scores,
                        total=sheet_total(criteria, scores),
                        submitted_at=app.submitted_at,
                    )
                )
            for app in at_apps[3:]:
                seats.append(
                    ReviewAssignment(
                        application=app,
                        expert=demo_expert,
                        status=AssignmentStatus.ASSIGNED,
                        fit=Decimal("0.250"),
                    )
                )
            ConflictRecord.objects.create(
                application=rd_apps[5],
                expert=demo_expert,
                kind="declared",
                reason="与申报单位存在声明的利益关系（演示数据）",
                source="declaration",
            )
        ReviewAssignment.objects.bulk_create(seats)
    _aggregate(rd_apps, seats)
    _aggregate(at_apps[:3], seats)
    ranked = sorted(rd_apps, key=lambda a: (a.score is None, -(a.score or 0), a.pk))
    approved = ranked[:15]
    if showcase and not any(a.enterprise_id == showcase.pk for a in approved):
        approved[-1] = next(a for a in rd_apps if a.enterprise_id == showcase.pk)
    approved_ids = {a.pk for a in approved} | {a.pk for a in at_apps[:3]}
    for a in apps:
        if a in at_apps[3:]:
            continue
        a.status = (
            ApplicationStatus.APPROVED if a.pk in approved_ids else ApplicationStatus.DECLINED
        )
    Application.objects.bulk_update(apps, ["status", "score", "score_dispersion", "rank"])
    PanelDecision.objects.bulk_create(
        PanelDecision(
            application=a,
            decision=DecisionKind.APPROVE if a.pk in approved_ids else DecisionKind.DECLINE,
            amount_yuan=a.requested_yuan if a.pk in approved_ids else None,
            invest=a is at_apps[0],
            reasons="专家评审综合排名靠前，予以立项。"
            if a.pk in approved_ids
            else "综合评分未进入拟立项范围。",
            decided_by=staff,
            decided_at=a.call.closes_at + dt.timedelta(days=40),
        )
        for a in rd_apps + at_apps[:3]
    )
    # The notice of the 15 key R&D projects, one objection dismissed, the final list.
    rd_call = calls["rd24"]
    rd_call.status = CallStatus.DECIDED
    rd_call.save(update_fields=["status"])
    notice = _publish(rd_call, staff)
    objection = objection_file(
        notice=notice,
        item=notice.items.order_by("position")[1],
        name="匿名群众",
        contact="13800000000",
        reasons="质疑该单位研发投入真实性。",
        now=notice.published_at + dt.timedelta(days=1),
    )
    objection_handle(
        objection=objection,
        action=ObjectionAction.INVESTIGATE,
        user=staff,
        note="调取企业研发费用台账核查。",
    )
    objection_handle(
        objection=objection,
        action=ObjectionAction.DISMISS,
        user=staff,
        reply="经核查，该单位研发投入数据真实，异议不成立。",
    )
    notice_finalise(notice=notice, user=staff, now=notice.window_ends_at + dt.timedelta(hours=1))
    Call.objects.filter(pk=rd_call.pk).update(status=CallStatus.FINAL)
    # The notice handlers run after the commit; the demo confirms the final list itself.
    Project.objects.filter(
        application__call=rd_call, status__in=[ProjectStatus.NOTICED, ProjectStatus.HELD]
    ).update(status=ProjectStatus.CONFIRMED)
    # Achievement-transformation projects straight to the final list (noticed elsewhere).
    services.projects_from_decisions(call=calls["at24"])
    Project.objects.filter(application__call=calls["at24"]).update(status=ProjectStatus.CONFIRMED)
    _run_projects(staff)
    # The demo enterprise's draft for 2025.
    if showcase:
        Application.objects.create(
            call=calls["rd25"],
            topic=topic_of[calls["rd25"].pk][0],
            enterprise=showcase,
            created_by=staff,
            **{k: v for k, v in _app_rows(0, rnd, key_rd.cap_yuan).items()},
        )
    return len(apps)


def _publish(call: Call, staff: Any) -> Any:
    services.projects_from_decisions(call=call)
    projects = list(
        Project.objects.filter(application__call=call)
        .select_related(
            "application__enterprise", "application__decision", "application__call__programme_type"
        )
        .order_by("number")
    )
    notice = notice_publish(
        kind=NoticeKind.PROGRAMME_PROJECTS,
        title=f"{call.title}拟立项项目公示",
        body="以下项目拟列入立项，现予公示。如有异议，请在公示期内以书面形式提出，并提供事实依据。",
        items=[ItemSpec(p, notice_fields(p)) for p in projects],
        window_days=call.programme_type.notice_days,
        working_days=call.programme_type.notice_working_days,
        user=staff,
        published_at=_aware(2024, 6, 3),
    )
    Call.objects.filter(pk=call.pk).update(status=CallStatus.NOTICED)
    return notice


def _run_projects(staff: Any) -> None:
    """Sign the confirmed projects (all but the last two), plan tranches and reports, pay the
    first tranche, record one investment."""
    projects = list(
        Project.objects.filter(status=ProjectStatus.CONFIRMED)
        .select_related("application__call__programme_type", "application__decision")
        .order_by("number")
    )
    running = projects[:-2]
    tranches, reports = [], []
    for p in running:
        p.status = ProjectStatus.RUNNING
        p.starts_on = dt.date(p.application.call.year, 7, 1)
        p.ends_on = p.starts_on + dt.timedelta(days=730)
        p.signed_at = timezone.make_aware(dt.datetime.combine(p.starts_on, dt.time(10)))
        plan = p.application.call.programme_type.tranche_plan
        for i, (step, amount) in enumerate(
            zip(
                plan,
                tranche_amounts(p.grant_yuan or Decimal(0), [s["share"] for s in plan]),
                strict=True,
            ),
            start=1,
        ):
            if not p.grant_yuan:
                break
            tranches.append(
                Tranche(
                    project=p,
                    seq=i,
                    label=step["label"],
                    after=step["after"],
                    share_pct=Decimal(str(step["share"])),
                    amount_yuan=amount,
                    status=TrancheStatus.PAID if i == 1 else TrancheStatus.PLANNED,
                    paid_on=p.starts_on + dt.timedelta(days=30) if i == 1 else None,
                )
            )
        reports.append(
            ProgressReport(
                project=p, kind=ReportKind.MID_TERM, due_on=p.starts_on + dt.timedelta(days=365)
            )
        )
        reports.append(
            ProgressReport(
                project=p, kind=ReportKind.ACCEPTANCE, due_on=p.ends_on + dt.timedelta(days=90)
            )
        )
    Project.objects.bulk_update(running, ["status", "starts_on", "ends_on", "signed_at"])
    Tranche.objects.bulk_create(tranches)
    ProgressReport.objects.bulk_create(reports)
    invested = next((p for p in running if p.application.decision.invest), None)
    if invested:
        Investment.objects.create(
            project=invested,
            amount_yuan=Decimal(2_000_000),
            pre_money_yuan=Decimal(18_000_000),
            stake_pct=Decimal("10.0000"),
            co_investors=[{"name": "慈溪市产业投资基金（演示）", "amount_yuan": "3000000"}],
            lockup_months=36,
            exit_terms={"kind": "buyback", "buyback_rate_pct": "6"},
            milestones=[{"label": "完成中试", "amount_yuan": "1000000"}],
            invested_on=invested.starts_on,
        )
