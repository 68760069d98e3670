"""Test data of the cooperation app: organisations, achievements, demands, a brokering record in
negotiation and a small contract file, built on the campaigns world."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from kechuang.experts.models import Expert, Organisation, OrganisationMember

from .. import services
from ..models import Achievement, TechContract, TechDemand

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

ACHIEVEMENTS = [
    (
        "高强度紧固件氢脆控制与无铬钝化工艺",
        "针对电镀锌高强度螺栓的氢脆断裂，采用除氢烘烤与无铬钝化，螺栓镀锌后不再延迟断裂。",
        "材料",
        "氢脆,镀锌,螺栓,钝化",
    ),
    (
        "小家电电机降噪与振动抑制技术",
        "通过转子动平衡与机壳阻尼，降低小家电电机噪声与振动。",
        "电子信息",
        "电机,噪声,振动",
    ),
    (
        "注塑件翘曲变形仿真优化",
        "基于模流分析优化浇口与冷却，减少注塑件翘曲与缩痕。",
        "先进制造",
        "注塑,翘曲,模流",
    ),
]


def make_organisation(name="浙江工业大学", kind="university") -> Organisation:
    return Organisation.objects.get_or_create(name=name, defaults={"kind": kind})[0]


def make_achievements(user, organisation) -> list[Achievement]:
    return [
        services.achievement_save(
            user=user,
            data={
                "organisation": organisation,
                "title": title,
                "summary": summary,
                "field": field,
                "keywords": keywords,
            },
        )
        for title, summary, field, keywords in ACHIEVEMENTS
    ]


def make_demand(user, enterprise, **extra) -> TechDemand:
    data = {
        "enterprise": enterprise,
        "title": "镀锌后螺栓会断",
        "summary": "高强度螺栓镀锌以后放几天就断，想找人解决",
        "description": "我们厂做的10.9级螺栓，电镀锌以后装到客户那里过几天就断了，客户投诉很多。",
        "field": "材料",
        **extra,
    }
    return services.demand_save(user=user, data=data)


def make_university_user(organisation, username="univ"):
    from kechuang.core.roles import Role
    from kechuang.enterprises.tests.factories import make_user

    user = make_user(Role.UNIVERSITY, username=username)
    OrganisationMember.objects.create(user=user, organisation=organisation)
    return user


def make_expert(organisation, name="王教授") -> Expert:
    return Expert.objects.create(name=name, organisation=organisation)


def contract_file(name="合同.pdf", content=PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def make_contract(
    user, *, total="1000000", brokering=None, seller_organisation=None, **extra
) -> TechContract:
    data = {
        "title": "螺栓氢脆控制技术开发合同",
        "declared_type": "dev_commissioned",
        "seller": seller_organisation.name if seller_organisation else "浙江工业大学",
        "seller_organisation": seller_organisation,
        "buyer": "企业A1",
        "signed_on": dt.date.today() - dt.timedelta(days=5),
        "total_amount": Decimal(total),
        "written_contract": contract_file(),
        "brokering": brokering,
        **extra,
    }
    return services.contract_apply(user=user, data=data)
