"""Demo extension: the 2024 cooperation work of the seed's §三 on the demo region (idempotent).

- universities and institutes the seed names (浙江工业大学, 浙江科技大学, 武汉科技大学, 宁波大学 …)
  and a few others, two contact experts each, the demo `university` user as a member of 浙江工业大学;
- about 400 achievements in mechanism language, about 150 enterprise demands in the enterprises'
  own (symptom) words — some recorded during the demo visits, some collected at events;
- the eight 2024 千企百校万里行 events with 56 demands matched there, brokering records at every
  stage (dated steps), registered technical contracts, applications pending and one refused;
- the 13th China Innovation and Entrepreneurship Competition (Ningbo division): 129 entrants,
  9 in the Ningbo final, 4 in the national final.

Everything is written in bulk inside one transaction; a second run finds the competition and
adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from kechuang.campaigns.models import VisitRecord
from kechuang.enterprises.models import Enterprise
from kechuang.experts.models import Expert, Organisation, OrganisationMember

from . import matching, services
from .logic.competition import STAGE_CHAIN
from .logic.contracts import technical_amount
from .logic.workflow import demand_status_after_brokering
from .models import (
    Achievement,
    BrokeringRecord,
    BrokeringStep,
    Competition,
    CompetitionEntrant,
    CompetitionResult,
    CooperationEvent,
    TechContract,
    TechDemand,
)

__all__ = ["cooperation_demo"]

YEAR = 2024
ORGANISATIONS = [
    ("浙江工业大学", "university"),
    ("浙江科技大学", "university"),
    ("武汉科技大学", "university"),
    ("宁波大学", "university"),
    ("宁波大学科学技术学院", "university"),
    ("中国科学院宁波材料技术与工程研究所", "institute"),
    ("慈溪生物医学工程研究所", "institute"),
    ("中以创新技术研究院", "institute"),
    ("宁波工程学院", "university"),
    ("中国计量大学", "university"),
]
EXPERT_NAMES = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"]

# field, achievement (mechanism language), keywords, demand (the enterprise's words)
THEMES = [
    (
        "材料",
        "高强度紧固件氢脆控制与无铬钝化工艺",
        "针对电镀锌高强度螺栓的氢脆延迟断裂，采用除氢烘烤与三价铬/无铬钝化，兼顾耐盐雾性能。",
        "氢脆,除氢,无铬钝化",
        "镀锌后螺栓会断",
        "我们的高强度螺栓镀锌以后装到客户那边过几天就断，客户投诉，想找人看看是什么原因。",
    ),
    (
        "电子信息",
        "小家电无刷电机振动噪声抑制技术",
        "基于转子动平衡与电磁力波优化，降低无刷直流电机的电磁噪声和机械振动。",
        "无刷电机,NVH,动平衡",
        "风扇转起来嗡嗡响",
        "家用风扇开到高档嗡嗡响，用户差评多，换了几家电机厂都差不多。",
    ),
    (
        "先进制造",
        "注塑件翘曲变形模流仿真与工艺优化",
        "利用模流分析优化浇口位置、保压曲线与冷却水路，控制收缩不均导致的翘曲与缩痕。",
        "模流分析,翘曲,保压",
        "塑料外壳装不上去",
        "注塑出来的外壳有点弯，装配时卡扣对不上，返工很多。",
    ),
    (
        "材料",
        "家电钣金件粉末涂层附着力提升技术",
        "通过前处理硅烷化与固化曲线优化，提高粉末涂层与镀锌板的结合力和耐腐蚀性。",
        "粉末涂料,硅烷化,附着力",
        "喷的漆一碰就掉",
        "烤箱外壳喷塑以后用指甲一刮就掉皮，出口检验过不了。",
    ),
    (
        "电子信息",
        "电源模块电磁兼容设计与整改方法",
        "面向开关电源的传导与辐射发射，提供滤波器设计、布局优化与屏蔽整改方案。",
        "EMC,传导发射,开关电源",
        "产品认证总是过不了",
        "我们的充电器送去做认证，干扰那一项老是超标，不知道怎么改。",
    ),
    (
        "新能源",
        "光伏组件隐裂在线检测与分选技术",
        "基于电致发光成像与深度学习的电池片隐裂识别，实现组件产线在线分选。",
        "电致发光,隐裂,机器视觉",
        "太阳能板装上去发电变少",
        "装好的光伏板一段时间后发电量下降，怀疑片子有问题但肉眼看不出。",
    ),
    (
        "生物医药",
        "医用高分子导管表面亲水润滑涂层",
        "采用聚乙烯吡咯烷酮交联涂层，降低导管表面摩擦系数并保持生物相容性。",
        "亲水涂层,摩擦系数,生物相容性",
        "导管插进去太涩",
        "我们做的一次性导管医生反映插入时阻力大，想改进表面。",
    ),
    (
        "先进制造",
        "轴承套圈磨削烧伤控制与在线监测",
        "通过砂轮修整参数与冷却优化抑制磨削烧伤，并以声发射信号在线监测。",
        "磨削烧伤,声发射,砂轮修整",
        "轴承用不久就坏",
        "我们的轴承装机后寿命比进口的短很多，拆开看滚道有发黑的地方。",
    ),
    (
        "材料",
        "铝合金压铸件气孔缺陷控制技术",
        "采用真空压铸与局部挤压，减少卷气与缩松，提高压铸件致密度和气密性。",
        "真空压铸,气孔,缩松",
        "铸件打压漏气",
        "铝壳体做气密测试总有一部分漏气，切开看里面有小洞。",
    ),
    (
        "电子信息",
        "智能家电低功耗无线连接与配网技术",
        "基于低功耗蓝牙与Wi-Fi双模的快速配网方案，降低待机功耗并提高连接稳定性。",
        "低功耗蓝牙,配网,待机功耗",
        "手机连不上家电",
        "用户买了我们的智能电饭煲，手机App经常连不上，售后电话很多。",
    ),
    (
        "先进制造",
        "工业机器人视觉引导无序抓取系统",
        "基于三维结构光与位姿估计的无序分拣，适用于小型零件上下料。",
        "结构光,位姿估计,上下料",
        "工人上料太累招不到人",
        "冲床上料全靠人工一个个摆，招工难，想用机器替代。",
    ),
    (
        "材料",
        "橡胶密封件耐老化配方与寿命预测",
        "通过防老剂体系与硫化体系优化提高氟橡胶耐热老化性能，并以阿伦尼乌斯模型预测寿命。",
        "耐老化,硫化,寿命预测",
        "密封圈用半年就硬了",
        "热水器上的密封圈用半年就变硬开裂漏水，想换更耐用的。",
    ),
    (
        "新能源",
        "锂电池组热失控预警与热管理技术",
        "基于多点温度与气体传感的热失控早期预警，配合液冷板热管理设计。",
        "热失控,液冷,预警",
        "电池包发烫怕着火",
        "我们的储能电池柜夏天温度很高，客户担心起火，需要改进散热和报警。",
    ),
    (
        "先进制造",
        "精密冲压模具寿命提升表面强化技术",
        "采用PVD涂层与深冷处理提高冲压模具刃口耐磨性，减少崩刃。",
        "PVD涂层,深冷处理,耐磨",
        "模具冲几万次就要修",
        "冲压模具用不了多久就崩口，停机修模影响交货。",
    ),
    (
        "生物医药",
        "功能性食品中活性成分稳态化包埋技术",
        "采用微胶囊与纳米乳液包埋提高活性成分的稳定性与生物利用度。",
        "微胶囊,包埋,稳定性",
        "保健品放久了变色",
        "我们的营养粉放几个月就变色有异味，保质期上不去。",
    ),
    (
        "电子信息",
        "工业设备预测性维护与故障诊断平台",
        "基于振动频谱与机器学习的旋转设备故障诊断，实现预测性维护。",
        "振动频谱,故障诊断,预测性维护",
        "机器老是突然停",
        "车间的空压机和电机说坏就坏，每次停产损失大，想提前知道。",
    ),
    (
        "材料",
        "纺织品抗菌防臭整理技术",
        "采用银系与季铵盐复合抗菌整理剂，耐洗性达五十次以上。",
        "抗菌整理,耐洗,季铵盐",
        "袜子穿两天就有味道",
        "我们生产的运动袜客户说有异味，想做抗菌但洗几次就没效果。",
    ),
    (
        "先进制造",
        "焊接变形控制与激光焊接工艺",
        "采用激光焊接与反变形工装控制薄板焊接变形，提高焊缝一致性。",
        "激光焊接,焊接变形,工装",
        "焊完的板子是弯的",
        "不锈钢水槽焊完以后板面不平，要人工敲平，效率低。",
    ),
    (
        "新能源",
        "家用热泵低温制热性能提升技术",
        "通过喷气增焓压缩与除霜控制优化提高空气源热泵低温工况制热量。",
        "喷气增焓,除霜,热泵",
        "冬天热水器不热",
        "我们的空气能热水器到冬天零下就出水不热，北方客户退货。",
    ),
    (
        "电子信息",
        "产品外观缺陷机器视觉检测系统",
        "基于深度学习的表面划痕、脏污、色差检测，替代人工目检。",
        "机器视觉,缺陷检测,深度学习",
        "质检全靠人眼看",
        "产品外观检查靠十几个工人盯着看，漏检多，人也留不住。",
    ),
    (
        "材料",
        "可降解塑料改性与加工技术",
        "以聚乳酸与PBAT共混增韧，改善可降解材料的韧性与加工性能。",
        "聚乳酸,PBAT,增韧",
        "环保袋一拉就破",
        "客户要求用可降解材料做包装袋，但做出来很脆，一拉就破。",
    ),
    (
        "先进制造",
        "数控机床热误差补偿技术",
        "建立主轴热变形模型并实时补偿，提高机床加工精度稳定性。",
        "热误差,补偿,主轴",
        "早上和下午做的零件尺寸不一样",
        "机床开一段时间后加工尺寸会变，早上调好的下午又不对了。",
    ),
    (
        "生物医药",
        "医疗器械环氧乙烷残留控制与灭菌验证",
        "优化环氧乙烷灭菌与解析工艺，降低残留量并建立灭菌验证方法。",
        "环氧乙烷,灭菌验证,解析",
        "产品检测残留超标",
        "一次性医用耗材送检说残留超标，注册卡住了。",
    ),
    (
        "电子信息",
        "智能照明调光无频闪驱动技术",
        "基于恒流与PWM深度调光的无频闪驱动电源设计，满足视觉健康要求。",
        "无频闪,调光,恒流驱动",
        "灯拍照有条纹",
        "我们的台灯用手机拍照有一条条的纹，客户说伤眼睛。",
    ),
]
SUFFIXES = [
    "",
    "及其应用",
    "中试验证",
    "产业化方案",
    "关键工艺",
    "集成技术",
    "新方法",
    "优化设计",
    "标准化方案",
    "在线监测",
    "低成本实现",
    "系统集成",
    "工程化",
    "改进工艺",
    "示范应用",
    "技术包",
    "评价方法",
]
COLLOQUIAL = ["", "急！", "想找高校合作：", "请专家帮忙：", "求助："]
MATURITIES = ["lab", "pilot", "industrialised"]
STAGE_PLAN = ["candidate", "contacted", "meeting", "negotiation", "contracted", "closed"]

# The dense vectors of the demo's achievements and demands, shipped so that building the demo
# encodes nothing (`kechuang match_index --export`, docs/matching.md#vector-files).
DEMO_VECTORS = Path(__file__).resolve().parent / "data" / "demo-vectors.npz"


def _user(username):
    return get_user_model().objects.filter(username=username).first()


def _organisations() -> list[Organisation]:
    Organisation.objects.bulk_create(
        [
            Organisation(name=n, kind=k, city="宁波" if "宁波" in n or "慈溪" in n else "")
            for n, k in ORGANISATIONS
        ],
        ignore_conflicts=True,
    )
    by_name = Organisation.objects.in_bulk([n for n, _k in ORGANISATIONS], field_name="name")
    return [by_name[n] for n, _k in ORGANISATIONS]


def _experts(orgs) -> dict[int, list[Expert]]:
    existing = set(
        Expert.objects.filter(organisation__in=orgs).values_list("organisation_id", flat=True)
    )
    rows = [
        Expert(
            name=f"{EXPERT_NAMES[(i * 3 + j) % 10]}{'教授' if j == 0 else '研究员'}",
            organisation=o,
            title="教授" if j == 0 else "研究员",
        )
        for i, o in enumerate(orgs)
        if o.pk not in existing
        for j in range(2)
    ]
    bulk_create_with_history(rows, Expert, batch_size=500)
    out: dict[int, list[Expert]] = {}
    for e in Expert.objects.filter(organisation__in=orgs).order_by("pk"):
        out.setdefault(e.organisation_id, []).append(e)
    return out


def _achievements(orgs, experts, staff) -> list[list[Achievement]]:
    rows, per_theme = [], []
    for t, (field, title, summary, keywords, _dt, _dd) in enumerate(THEMES):
        theme_rows = []
        for v, suffix in enumerate(SUFFIXES):
            org = orgs[(t + v) % len(orgs)]
            theme_rows.append(
                Achievement(
                    organisation=org,
                    title=f"{title}{suffix}",
                    summary=summary
                    if not suffix
                    else f"{summary}本项成果侧重{suffix or '基础研究'}。",
                    field=field,
                    keywords=keywords,
                    maturity=MATURITIES[(t + v) % 3],
                    ip=f"发明专利{1 + (t + v) % 3}项" if v % 2 == 0 else "",
                    mode="transfer" if v % 3 else "development",
                    contact_expert=experts[org.pk][v % 2],
                    source="generator",
                    created_by=staff,
                    updated_by=staff,
                )
            )
        rows.extend(theme_rows)
        per_theme.append(theme_rows)
    bulk_create_with_history(rows, Achievement, batch_size=500, default_user=staff)
    return per_theme


def _contract_file() -> str:
    name = "contracts/demo/技术开发合同示例.pdf"
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(b"%PDF-1.4\n% demo contract\n%%EOF\n"))
    return name


@transaction.atomic
def cooperation_demo(*, generated: bool) -> None:
    staff, town, enterprise_user = _user("staff"), _user("town"), _user("enterprise")
    if staff is None or Competition.objects.filter(edition=13).exists():
        return
    enterprises = list(
        Enterprise.objects.order_by("pk").values_list("pk", "town_id", "industry_code", "name")
    )
    if len(enterprises) < 140:
        return
    rng = random.Random(2024)
    today = dt.date.today()
    orgs = _organisations()
    university = _user("university")
    if university is not None:
        OrganisationMember.objects.get_or_create(user=university, organisation=orgs[0])
    experts = _experts(orgs)
    per_theme = _achievements(orgs, experts, staff)

    # Events: eight 千企百校万里行 visits in 2024, one to two institutions each.
    events = []
    for i in range(8):
        day = dt.date(YEAR, 3 + i, 12 + i)
        visited = [orgs[i % len(orgs)], orgs[(i + 3) % len(orgs)]][: 1 + i % 2]
        events.append(
            CooperationEvent(
                name=f"千企百校万里行·走进{visited[0].name}",
                kind="qianqi_baixiao",
                date=day,
                disciplines="优势学科与重点实验室",
                follow_ups="会后一周内回访企业，跟进技术对接。",
                created_by=staff,
            )
        )
    events.append(
        CooperationEvent(
            name="慈溪市科技成果路演对接会",
            kind="other",
            date=dt.date(YEAR, 11, 20),
            created_by=staff,
        )
    )
    bulk_create_with_history(events, CooperationEvent, default_user=staff)

    # Demands: the demo enterprise's own, some from the demo visits, most collected at events.
    visits = list(VisitRecord.objects.order_by("pk").values_list("pk", "enterprise_id")[:12])
    picks = rng.sample(enterprises, 150)
    own = getattr(getattr(enterprise_user, "profile", None), "enterprise_id", None)
    demands, themes = [], []
    for i, (pk, _town, industry, _name) in enumerate(picks):
        t = i % len(THEMES)
        field, _a, _s, _k, title, text = THEMES[t]
        visit = None
        if i < len(visits):
            visit, pk = visits[i]
        elif i == len(visits) and own:
            pk = own
        event = events[(i - 20) % 8] if 20 <= i < 20 + 8 * 9 else None
        posted = event.date if event else dt.date(YEAR, 1 + i % 11, 1 + i % 27)
        demands.append(
            TechDemand(
                enterprise_id=pk,
                title=f"{COLLOQUIAL[i % len(COLLOQUIAL)]}{title}",
                summary=title,
                description=text,
                field=field if i % 3 else "",
                industry_code=industry or "",
                mode="development" if i % 4 else "consultancy",
                confidential=i % 5 == 0,
                budget_min=Decimal(100_000 * (1 + i % 5)),
                budget_max=Decimal(300_000 * (1 + i % 5)),
                origin="visit" if visit else ("event" if event else "enterprise"),
                visit_record_id=visit,
                event=event,
                posted_on=posted,
                expires_on=max(posted + dt.timedelta(days=180), today + dt.timedelta(days=60)),
                renewals=0 if posted + dt.timedelta(days=180) >= today else 1,
                source="generator",
                created_by=town if visit else staff,
                updated_by=staff,
            )
        )
        themes.append(t)
    bulk_create_with_history(demands, TechDemand, batch_size=500, default_user=staff)
    for e in events[:8]:
        e.enterprises.set({d.enterprise_id for d in demands if d.event_id == e.pk})
        e.organisations.set([orgs[events.index(e) % len(orgs)]])
        e.experts.set(experts[orgs[events.index(e) % len(orgs)].pk])

    # Brokering: 7 demands matched at each event (56), 40 more brokered outside events.
    records, steps, stage_of = [], [], {}
    chosen = [i for i in range(len(demands)) if demands[i].event_id][: 8 * 7]
    chosen += [i for i in range(len(demands)) if not demands[i].event_id][:40]
    for n, i in enumerate(chosen):
        demand = demands[i]
        achievement = per_theme[themes[i]][n % len(SUFFIXES)]
        stage = STAGE_PLAN[n % len(STAGE_PLAN)]
        start = demand.posted_on
        path = ["candidate", "contacted", "meeting", "negotiation", "contracted"]
        reached = (
            path[: path.index(stage) + 1]
            if stage != "closed"
            else ["candidate", "contacted", "closed"]
        )
        dates = [start + dt.timedelta(days=12 * k) for k in range(len(reached))]
        record = BrokeringRecord(
            demand=demand,
            achievement=achievement,
            supplier=achievement.organisation,
            expert=achievement.contact_expert,
            event=demand.event,
            officer=town if n % 2 else staff,
            stage=stage,
            started_on=start,
            stage_on=dates[-1],
            close_reason="企业暂缓投入，双方保持联系" if stage == "closed" else "",
        )
        records.append(record)
        for s, d in zip(reached, dates, strict=True):
            steps.append((record, s, d))
        stage_of.setdefault(demand.pk, []).append(stage)
    bulk_create_with_history(records, BrokeringRecord, batch_size=500, default_user=staff)
    bulk_create_with_history(
        [
            BrokeringStep(
                record=r, stage=s, date=d, officer=r.officer,
                people="企业技术负责人、" + (r.expert.name if r.expert else "") if s == "meeting" else "",
            )
            for r, s, d in steps
        ],
        BrokeringStep, batch_size=1000, default_user=staff,
    )  # fmt: skip
    changed = []
    for d in demands:
        status = demand_status_after_brokering(d.status, stage_of.get(d.pk, []))
        if status != d.status:
            d.status = status
            changed.append(d)
    TechDemand.objects.bulk_update(changed, ["status"], batch_size=500)

    # Technical contracts: every contracted record registered in 2024; pending ones and a refusal.
    file_name = _contract_file()
    towns = {pk: town_id for pk, town_id, _i, _n in enterprises}
    names = {pk: name for pk, _t, _i, name in enterprises}
    contracts = []
    for n, r in enumerate(x for x in records if x.stage in ("contracted", "negotiation")):
        total = Decimal(200_000 + 150_000 * (n % 7))
        deduction = Decimal(30_000 * (n % 3))
        registered = r.stage == "contracted"
        applied = min(r.stage_on - dt.timedelta(days=20), dt.date(YEAR, 12, 1))
        kind = ["dev_commissioned", "transfer", "licence", "service", "consultancy", "training"][
            n % 6
        ]
        contracts.append(
            TechContract(
                title=f"{r.demand.summary}{'技术开发' if kind.startswith('dev') else ''}合同",
                declared_type=kind,
                seller=r.supplier.name,
                seller_organisation=r.supplier,
                buyer=names[r.demand.enterprise_id],
                buyer_enterprise_id=r.demand.enterprise_id,
                buyer_region="慈溪市",
                town_id=towns[r.demand.enterprise_id],
                industry_code=r.demand.industry_code,
                signed_on=applied - dt.timedelta(days=5),
                total_amount=total,
                written_contract=file_name,
                status="registered" if registered else ("accepted" if n % 2 else "applied"),
                applied_on=applied,
                accepted_on=applied + dt.timedelta(days=2) if registered or n % 2 else None,
                decided_on=min(applied + dt.timedelta(days=20), dt.date(YEAR, 12, 28))
                if registered
                else None,
                decided_by=staff if registered else None,
                registered_type=kind if registered else "",
                non_technical_costs=deduction if registered else None,
                technical_amount=technical_amount(total, deduction) if registered else None,
                certificate_number=f"3302822024{n + 1:06d}" if registered else None,
                brokering=r,
                created_by=staff,
            )
        )
    contracts.append(
        TechContract(
            title="数控设备采购及安装合同", declared_type="service", seller="某设备销售公司", buyer=names[picks[0][0]],
            buyer_enterprise_id=picks[0][0], signed_on=dt.date(YEAR, 6, 1), total_amount=Decimal(880_000),
            written_contract=file_name, status="refused", applied_on=dt.date(YEAR, 6, 10),
            accepted_on=dt.date(YEAR, 6, 11), decided_on=dt.date(YEAR, 6, 30), decided_by=staff,
            refusal_reason="合同标的为设备买卖，不属于技术合同", created_by=staff,
        )
    )  # fmt: skip
    bulk_create_with_history(contracts, TechContract, batch_size=500, default_user=staff)

    # The 13th competition: 129 entrants; 9 reach the Ningbo final, 4 the national final.
    competition = Competition.objects.create(
        name="第十三届中国创新创业大赛（宁波赛区）", edition=13, year=YEAR, division="ningbo"
    )
    entrant_pks = rng.sample([pk for pk, *_ in enterprises], 129)
    tracks = ["electronics", "biomedicine", "manufacturing", "materials", "energy", "internet"]
    entrants = [
        CompetitionEntrant(
            competition=competition,
            enterprise_id=pk,
            project=f"{THEMES[i % len(THEMES)][1][:12]}项目",
            group="startup" if i % 3 == 0 else "growth",
            track=tracks[i % len(tracks)],
        )
        for i, pk in enumerate(entrant_pks)
    ]
    reach = {
        "county": 129,
        "nb_qualification": 40,
        "nb_preliminary": 30,
        "nb_semifinal": 20,
        "nb_final": 9,
        "national_semifinal": 4,
        "national_final": 4,
    }
    chain = STAGE_CHAIN["ningbo"]
    for i, e in enumerate(entrants):
        reached = [s for s in chain if i < reach[s]]
        e.furthest_stage = reached[-1]
        if i < 4:
            e.follow_on_support = "纳入市科技计划优先支持，推荐科技金融对接"
        elif i < 9:
            e.follow_on_support = "推荐入驻慈溪智慧谷科技企业孵化器"
    bulk_create_with_history(entrants, CompetitionEntrant, batch_size=500, default_user=staff)
    results = []
    for i, e in enumerate(entrants):
        reached = [s for s in chain if i < reach[s]]
        for k, s in enumerate(reached):
            nxt = chain[k + 1] if k + 1 < len(chain) else None
            scores = [
                Decimal(60 + rng.randint(0, 3800) / 100).quantize(Decimal("0.01")) for _ in range(5)
            ]
            award = ""
            if s == "nb_final":
                award = "一等奖" if i < 2 else ("二等奖" if i < 5 else "三等奖")
            elif s == "national_final":
                award = "优秀企业" if i < 2 else ""
            results.append(
                CompetitionResult(
                    entrant=e, stage=s, score_technology=scores[0], score_business=scores[1],
                    score_market=scores[2], score_team=scores[3], score_finance=scores[4],
                    advanced=bool(nxt and i < reach[nxt]), award=award,
                )
            )  # fmt: skip
    bulk_create_with_history(results, CompetitionResult, batch_size=1000, default_user=staff)

    # Every record's dense vector (stored, docs/matching.md#stored-vectors): the demo's texts
    # come with theirs (docs/matching.md#vector-files), anything else is encoded; then the
    # ranked suppliers of every demand (bulk writes; one engine for the whole run).
    if DEMO_VECTORS.exists():
        matching.vectors_import(DEMO_VECTORS)
    matching.vectors_refresh()
    services.matches_refresh(TechDemand.objects.all())
