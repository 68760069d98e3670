"""Platform yearly-report reminders (docs/notifications.md#kinds): within the lead before an
open round's deadline, to the operators of platforms that have not submitted, once."""

from __future__ import annotations

import datetime as dt

import pytest

from kechuang.core.roles import Role
from kechuang.enterprises.tests.factories import make_user
from kechuang.notifications.models import Notification
from kechuang.notifications.services import run_daily
from kechuang.platforms.models import (
    Platform,
    PlatformOperator,
    PlatformReport,
    PlatformType,
    ReportingRound,
)
from kechuang.platforms.reminders import PLATFORM_REPORT_DUE

pytestmark = pytest.mark.django_db
DEADLINE = dt.date(2027, 3, 15)


def test_report_due_to_operators_of_platforms_not_submitted():
    kind = PlatformType.values[0]
    late, done = (Platform.objects.create(name=n, kind=kind) for n in ("甲孵化器", "乙孵化器"))
    op_late, op_done = make_user(Role.PLATFORM_OPERATOR), make_user(Role.PLATFORM_OPERATOR)
    PlatformOperator.objects.bulk_create(
        [
            PlatformOperator(user=op_late, platform=late),
            PlatformOperator(user=op_done, platform=done),
        ]
    )
    round_ = ReportingRound.objects.create(year=2026, deadline=DEADLINE)
    PlatformReport.objects.create(round=round_, platform=done, status="submitted")
    PlatformReport.objects.create(round=round_, platform=late, status="draft")
    assert run_daily(dt.date(2027, 2, 28))[PLATFORM_REPORT_DUE] == 0  # 15 days before
    assert run_daily(dt.date(2027, 3, 1))[PLATFORM_REPORT_DUE] == 1  # exactly 14 days before
    assert run_daily(DEADLINE)[PLATFORM_REPORT_DUE] == 0
    assert list(Notification.objects.values_list("recipient_id", flat=True)) == [op_late.pk]
    Notification.objects.all().delete()
    assert run_daily(DEADLINE + dt.timedelta(days=1))[PLATFORM_REPORT_DUE] == 0
    round_.is_open = False
    round_.save()
    assert run_daily(dt.date(2027, 3, 1))[PLATFORM_REPORT_DUE] == 0
