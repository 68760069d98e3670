"""Demo extension: the expert pool of the demo region (idempotent, bulk writes).

- a field list after GB/T 13745-2009 (first-level disciplines the county's industries need);
- the universities and institutes the seed names (浙江科技大学慈溪产业研究院, 浙江工业大学创新设计
  研究院, 慈溪医工所, 中以创新技术研究院) and other public institutions of Ningbo, plus three demo
  enterprises as organisations of their own engineers;
- about 60 experts with titles, fields and research summaries (names are invented);
- the demo user `expert` is the expert 王志远 of 宁波大学 and has declared a shareholding in the
  demo `enterprise` user's enterprise (so a programme review shows a conflict); the demo user
  `university` is a member of 宁波大学.

Every object is found by its natural key first, so a second `make demo` adds nothing.
"""

from __future__ import annotations

import datetime as dt
import itertools

from django.contrib.auth import get_user_model
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from kechuang.enterprises.models import Enterprise

from .choices import Availability, OrganisationKind
from .models import Expert, ExpertRelationship, Field, Organisation, OrganisationMember

__all__ = ["experts_demo", "DEMO_EXPERT_NAME", "DEMO_UNIVERSITY"]

DEMO_EXPERT_NAME = "王志远"
DEMO_UNIVERSITY = "宁波大学"

# GB/T 13745-2009 first-level disciplines → research topics used in the summaries.
FIELDS = {
    "430": ("材料科学", ["高分子复合材料", "磁性材料", "锂电池正极材料", "表面涂层与防腐"]),
    "460": ("机械工程", ["精密模具设计", "智能装备与机器人", "轴承可靠性", "液压与气动元件"]),
    "470": ("动力与电气工程", ["电机驱动与控制", "新能源汽车电控", "智能电网设备", "家电电源"]),
    "510": ("电子与通信技术", ["传感器与物联网", "射频与微波器件", "嵌入式系统", "功率半导体"]),
    "520": ("计算机科学技术", ["工业互联网平台", "机器视觉检测", "数据分析与人工智能", "工业软件"]),
    "530": ("化学工程", ["精细化工工艺", "催化与分离", "绿色化工", "化工安全"]),
    "540": ("纺织科学技术", ["功能性纤维", "针织与染整", "产业用纺织品"]),
    "550": ("食品科学技术", ["杨梅深加工", "食品保鲜", "功能食品"]),
    "350": ("药学", ["医用高分子", "药物制剂", "生物医药"]),
    "610": ("环境科学技术及资源科学技术", ["工业废水处理", "固废资源化", "节能减排"]),
    "630": ("管理学", ["技术创新管理", "知识产权运营", "科技金融"]),
}

ORGANISATIONS = [
    ("宁波大学", OrganisationKind.UNIVERSITY, "宁波市"),
    ("浙江大学宁波研究院", OrganisationKind.INSTITUTE, "宁波市"),
    ("浙江科技大学慈溪产业研究院", OrganisationKind.INSTITUTE, "慈溪市"),
    ("浙江工业大学创新设计研究院", OrganisationKind.INSTITUTE, "慈溪市"),
    ("中国科学院宁波材料技术与工程研究所", OrganisationKind.INSTITUTE, "宁波市"),
    ("慈溪生物医学工程研究所", OrganisationKind.INSTITUTE, "慈溪市"),
    ("中以创新技术研究院", OrganisationKind.INSTITUTE, "慈溪市"),
    ("宁波诺丁汉大学", OrganisationKind.UNIVERSITY, "宁波市"),
    ("宁波工程学院", OrganisationKind.UNIVERSITY, "宁波市"),
    ("浙江万里学院", OrganisationKind.UNIVERSITY, "宁波市"),
]
TITLES = ["教授", "研究员", "副教授", "副研究员", "高级工程师", "正高级工程师"]
SURNAMES = "李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁"
GIVEN = [
    "建国",
    "海峰",
    "晓燕",
    "立新",
    "文博",
    "子涵",
    "明轩",
    "雅琴",
    "国华",
    "思远",
    "静怡",
    "振宇",
]


def _user(username):
    return get_user_model().objects.filter(username=username).select_related("profile").first()


def _organisations(enterprises: list[Enterprise]) -> dict[str, Organisation]:
    wanted = [Organisation(name=n, kind=k, city=c) for n, k, c in ORGANISATIONS]
    wanted += [
        Organisation(name=e.name, kind=OrganisationKind.ENTERPRISE, enterprise=e, city="慈溪市")
        for e in enterprises
    ]
    existing = set(Organisation.objects.values_list("name", flat=True))
    bulk_create_with_history([o for o in wanted if o.name not in existing], Organisation)
    names = [o.name for o in wanted]
    return {o.name: o for o in Organisation.objects.filter(name__in=names)}


def _expert_rows(orgs: dict[str, Organisation], enterprises: list[Enterprise]):
    """(name, organisation, title, field codes, summary) of every demo expert, deterministic."""
    codes = list(FIELDS)
    academic = [name for name, _k, _c in ORGANISATIONS]
    names = (f"{s}{g}" for g, s in itertools.product(GIVEN, SURNAMES))
    rows = [(DEMO_EXPERT_NAME, orgs[DEMO_UNIVERSITY], "教授", ["430", "460"])]
    for n in range(54):
        org = orgs[academic[n % len(academic)]]
        first = codes[n % len(codes)]
        second = codes[(n * 7 + 3) % len(codes)]
        rows.append((next(names), org, TITLES[n % len(TITLES)], sorted({first, second})))
    for n, enterprise in enumerate(enterprises):
        for k in range(2):
            rows.append(
                (next(names), orgs[enterprise.name], "高级工程师", [codes[(n + k) % len(codes)]])
            )
    out = []
    for n, (name, org, title, fields) in enumerate(rows):
        topics = [FIELDS[c][1][(n + i) % len(FIELDS[c][1])] for i, c in enumerate(fields)]
        summary = (
            f"长期从事{'、'.join(topics)}方面的研究与工程应用，"
            f"主持或参与省部级以上科技项目多项，熟悉企业技术攻关与成果转化。"
        )
        out.append((name, org, title, fields, summary))
    return out


@transaction.atomic
def experts_demo(*, generated: bool) -> None:
    known = set(Field.objects.values_list("code", flat=True))
    bulk_create_with_history(
        [Field(code=c, name=name) for c, (name, _t) in FIELDS.items() if c not in known], Field
    )
    fields = {f.code: f for f in Field.objects.filter(code__in=list(FIELDS))}
    expert_user, university_user, enterprise_user, staff = (
        _user(n) for n in ("expert", "university", "enterprise", "staff")
    )
    own_enterprise = getattr(getattr(enterprise_user, "profile", None), "enterprise", None)
    enterprises = list(
        Enterprise.objects.exclude(pk=getattr(own_enterprise, "pk", None)).order_by("pk")[:3]
    )
    orgs = _organisations(enterprises)
    rows = _expert_rows(orgs, enterprises)
    existing = set(Expert.objects.values_list("name", "organisation_id"))
    new = [
        Expert(
            name=name,
            organisation=org,
            title=title,
            summary=summary,
            availability=[Availability.AVAILABLE, Availability.AVAILABLE, Availability.LIMITED][
                n % 3
            ],
            phone=f"0574-6{n:07d}",
        )
        for n, (name, org, title, _f, summary) in enumerate(rows)
        if (name, org.pk) not in existing
    ]
    bulk_create_with_history(new, Expert)
    by_key = {
        (e.name, e.organisation_id): e
        for e in Expert.objects.filter(organisation__in=list(orgs.values()))
    }
    through = Expert.fields.through
    linked = set(through.objects.values_list("expert_id", "field_id"))
    through.objects.bulk_create(
        [
            through(expert_id=by_key[(name, org.pk)].pk, field_id=fields[c].pk)
            for name, org, _t, codes, _s in rows
            for c in codes
            if (by_key[(name, org.pk)].pk, fields[c].pk) not in linked
        ]
    )
    me = by_key[(DEMO_EXPERT_NAME, orgs[DEMO_UNIVERSITY].pk)]
    if expert_user is not None and me.user_id is None and not hasattr(expert_user, "expert"):
        me.user = expert_user
        me.save(update_fields=["user"])
    if university_user is not None:
        OrganisationMember.objects.get_or_create(
            user=university_user, organisation=orgs[DEMO_UNIVERSITY]
        )
    if own_enterprise is not None and not me.relationships.exists():
        bulk_create_with_history(
            [
                ExpertRelationship(
                    expert=me,
                    kind="shareholder",
                    enterprise=own_enterprise,
                    since=dt.date(2021, 3, 1),
                    declared_by=expert_user,
                    note="持有该企业少量股份",
                ),
                ExpertRelationship(
                    expert=me,
                    kind="former_employer",
                    organisation=orgs["浙江大学宁波研究院"],
                    since=dt.date(2015, 9, 1),
                    until=dt.date(2019, 8, 31),
                    declared_by=expert_user,
                ),
            ],
            ExpertRelationship,
            default_user=staff,
        )
