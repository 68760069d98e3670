"""Notices for tests: a published notice over enterprises (any model can be an item)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from kechuang.core.roles import Role
from kechuang.enterprises.tests.factories import make_enterprise, make_user

from ..choices import NoticeKind
from ..services import ItemSpec, notice_publish

__all__ = ["make_notice"]


def make_notice(
    *, items: int = 2, days: int = 8, working: bool = False, published_at=None, user=None
):
    user = user or make_user(Role.BUREAU_STAFF)
    objs = [make_enterprise() for _ in range(items)]
    specs = [
        ItemSpec(obj, [("项目名称", f"项目{n}"), ("承担单位", obj.name)], label=f"项目{n}")
        for n, obj in enumerate(objs, start=1)
    ]
    notice = notice_publish(
        kind=NoticeKind.PROGRAMME_PROJECTS,
        title="2024年度重点研发专项拟立项项目公示",
        body="现将拟立项项目予以公示。",
        items=specs,
        window_days=days,
        working_days=working,
        user=user,
        published_at=published_at or timezone.now() - dt.timedelta(hours=1),
    )
    return notice, objs, user
