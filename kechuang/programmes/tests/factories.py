"""Programme objects for tests: an open call of the seed key R&D type, applications, projects."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from ..choices import ApplicationStatus, CallStatus
from ..models import Application, Call, Topic
from ..services import programme_types_ensure

__all__ = ["make_call", "make_application", "GOOD_CONTENT"]

GOOD_CONTENT: dict[str, Any] = {
    "title": "高能量密度电池管理系统研发",
    "summary": "电池管理系统关键技术攻关",
    "objectives": "完成样机研制与中试",
    "owner_name": "张伟",
    "kpis": [
        {
            "indicator": "申请发明专利",
            "unit": "件",
            "baseline": "0",
            "target": "2",
            "evidence": "受理通知书",
            "measure": "invention_patents_filed",
        }
    ],
    "budget": [{"category": "设备费", "own": "600000", "requested": "400000"}],
    "total_yuan": Decimal(1_000_000),
    "own_yuan": Decimal(600_000),
    "requested_yuan": Decimal(400_000),
    "team": [{"name": "张伟", "role": "负责人", "organisation": "申报单位"}],
    "schedule": [{"period": "第一年", "task": "攻关"}],
}


def make_call(
    *, code: str = "key_rd", year: int = 2025, status: str = CallStatus.OPEN, **kw: Any
) -> Call:
    ptype = programme_types_ensure()[code]
    now = timezone.now()
    values = {
        "programme_type": ptype,
        "year": year,
        "title": f"{year}年度测试指南",
        "opens_at": now - dt.timedelta(days=5),
        "closes_at": now + dt.timedelta(days=5),
        "status": status,
    }
    values.update(kw)
    call = Call.objects.create(**values)
    Topic.objects.create(call=call, name="新能源", fields="电池 储能 新能源")
    return call


def make_application(
    call: Call, enterprise: Any, *, status: str = ApplicationStatus.DRAFT, **kw: Any
) -> Application:
    values = {
        **GOOD_CONTENT,
        "call": call,
        "enterprise": enterprise,
        "topic": call.topics.first(),
        "status": status,
    }
    values.update(kw)
    if status != ApplicationStatus.DRAFT:
        values.setdefault(
            "tracking_number", f"T{Application.objects.count() + 1:05d}{enterprise.pk}"
        )
        values.setdefault("submitted_at", timezone.now())
    return Application.objects.create(**values)
