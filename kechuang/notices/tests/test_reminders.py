"""Objection-received reminders (docs/notifications.md#kinds): to bureau staff only, once per
objection, while it is in the received state; the objector's contact data stay out."""

from __future__ import annotations

import datetime as dt

import pytest

from kechuang.core.roles import Role
from kechuang.enterprises.tests.factories import make_enterprise, make_user
from kechuang.notices.models import Objection
from kechuang.notices.reminders import OBJECTION_RECEIVED
from kechuang.notices.services import ItemSpec, notice_publish
from kechuang.notifications.models import Notification
from kechuang.notifications.services import run_daily

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 1)


def test_objection_received_goes_to_staff_once():
    staff, admin = make_user(Role.BUREAU_STAFF), make_user(Role.BUREAU_ADMIN)
    officer = make_user(Role.TOWN_OFFICER)
    enterprise = make_enterprise()
    notice = notice_publish(
        kind="other",
        title="测试公示",
        body="",
        items=[ItemSpec(enterprise, [("单位", enterprise.name)], label=enterprise.name)],
        window_days=8,
        working_days=False,
        user=staff,
    )
    Objection.objects.create(
        notice=notice,
        item=notice.items.get(),
        receipt_no="YY-T-1",
        name="张三",
        contact="13800000000",
        reasons="理由",
    )
    assert run_daily(TODAY)[OBJECTION_RECEIVED] == 2
    assert run_daily(TODAY)[OBJECTION_RECEIVED] == 0
    rows = Notification.objects.filter(kind=OBJECTION_RECEIVED)
    assert set(rows.values_list("recipient_id", flat=True)) == {staff.pk, admin.pk}
    assert officer.pk not in set(rows.values_list("recipient_id", flat=True))
    assert all("13800000000" not in n.body + n.title and "张三" not in n.body for n in rows)
    Objection.objects.update(status="investigating")
    Notification.objects.all().delete()
    assert run_daily(TODAY)[OBJECTION_RECEIVED] == 0
