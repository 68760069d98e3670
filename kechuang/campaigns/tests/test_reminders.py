"""Task-due and task-overdue reminders (docs/notifications.md#kinds): the window's boundaries,
to the assignee only, once per task and due date."""

from __future__ import annotations

import datetime as dt

import pytest

from kechuang.campaigns.models import Campaign, VisitTask
from kechuang.campaigns.reminders import TASK_DUE, TASK_OVERDUE
from kechuang.core.roles import Role
from kechuang.enterprises.tests.factories import make_enterprise, make_town, make_user
from kechuang.notifications.models import Notification
from kechuang.notifications.services import run_daily

pytestmark = pytest.mark.django_db
DUE = dt.date(2026, 12, 31)


@pytest.fixture
def tasks():
    town = make_town()
    officer, other = make_user(Role.TOWN_OFFICER, town=town), make_user(Role.TOWN_OFFICER)
    staff = make_user(Role.BUREAU_STAFF)
    campaign = Campaign.objects.create(
        name="年末走访", year=2025, kind="diagnosis", due_date=DUE, created_by=staff
    )
    e1, e2, e3 = (make_enterprise(town=town) for _ in range(3))
    VisitTask.objects.bulk_create(
        [
            VisitTask(campaign=campaign, enterprise=e1, assignee=officer, due_date=DUE),
            VisitTask(
                campaign=campaign, enterprise=e2, assignee=officer, due_date=DUE, state="closed"
            ),
            VisitTask(campaign=campaign, enterprise=e3, assignee=None, due_date=DUE),
        ]
    )
    return officer, other


def _count(kind: str) -> int:
    return Notification.objects.filter(kind=kind).count()


def test_task_due_window_and_overdue(tasks):
    officer, other = tasks
    assert run_daily(dt.date(2026, 12, 23))[TASK_DUE] == 0  # 8 days before
    assert run_daily(dt.date(2026, 12, 24))[TASK_DUE] == 1  # exactly 7 days before
    assert run_daily(DUE)[TASK_DUE] == 0  # already reminded
    assert run_daily(DUE)[TASK_OVERDUE] == 0  # due today is not overdue
    assert run_daily(DUE + dt.timedelta(days=1))[TASK_OVERDUE] == 1
    assert run_daily(DUE + dt.timedelta(days=9))[TASK_OVERDUE] == 0
    assert set(Notification.objects.values_list("recipient_id", flat=True)) == {officer.pk}
    note = Notification.objects.get(kind=TASK_OVERDUE)
    assert note.link.startswith("/campaigns/") and note.target_id is not None
    VisitTask.objects.update(due_date=DUE + dt.timedelta(days=20))  # a new due date
    assert run_daily(DUE + dt.timedelta(days=14))[TASK_DUE] == 1
    assert _count(TASK_DUE) == 2
