"""Platform fixtures: a small region with 80 young enterprises, the demo platforms on it
(`platforms_demo`), and an operator user; `build_platforms_cast` adds them to the shared access cast."""

from __future__ import annotations

import datetime as dt

from kechuang.core.roles import Role
from kechuang.enterprises.models import Enterprise
from kechuang.enterprises.tests.factories import make_credit_code, make_town, make_user
from kechuang.platforms.demo import platforms_demo
from kechuang.platforms.models import Platform, PlatformOperator, PlatformReport, ReportingRound

__all__ = ["build_platform_world", "build_platforms_cast"]

INCUBATOR = "慈溪智慧谷科技企业孵化器"


def build_platform_world(n: int = 80) -> dict:
    """Towns, `n` enterprises registered 2021–2023 (bulk), the demo platforms and an operator."""
    towns = [make_town(), make_town()]
    Enterprise.objects.bulk_create(
        [
            Enterprise(
                credit_code=make_credit_code(900000 + i),
                name=f"平台测试企业{i}",
                industry_code="3854",
                town=towns[i % 2],
                registration_date=dt.date(2021, 1, 1) + dt.timedelta(days=11 * i),
            )
            for i in range(n)
        ]
    )
    platforms_demo(generated=True)
    incubator = Platform.objects.get(name=INCUBATOR)
    operator = make_user(Role.PLATFORM_OPERATOR, username=f"op_{incubator.pk}")
    PlatformOperator.objects.create(user=operator, platform=incubator)
    return {"towns": towns, "incubator": incubator, "operator": operator}


def build_platforms_cast(users: dict, objects: dict) -> dict:
    """The shared cast's platform objects (a platform in town A, its report in the open round)
    and the operator user, whose platform is the cast's platform."""
    world = build_platform_world(20)
    users["operator"] = world["operator"]
    incubator = world["incubator"]
    incubator.town = objects["town_a"]
    incubator.save()
    round_ = ReportingRound.objects.get(year=2024)
    report, _ = PlatformReport.objects.get_or_create(round=round_, platform=incubator)
    return {"platform": incubator, "reporting_round": round_, "platform_report": report}
