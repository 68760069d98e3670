"""Notification kinds of visits and services: a task coming due and a task overdue
(docs/notifications.md#kinds). Registered from CampaignsConfig.ready()."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kechuang.notifications.logic.dates import horizon
from kechuang.notifications.registry import LeadUnit, Reminder, register_kind

from .models import VisitTask

__all__ = ["TASK_DUE", "TASK_OVERDUE", "task_due", "task_overdue"]

TASK_DUE = "task_due"
TASK_OVERDUE = "task_overdue"
_FIELDS = ("pk", "assignee_id", "due_date", "campaign__name", "enterprise__name")


def _reminders(rows: list[dict], title: str, body: str) -> Iterator[Reminder]:
    for r in rows:
        values = {
            "campaign": r["campaign__name"],
            "enterprise": r["enterprise__name"],
            "date": r["due_date"].isoformat(),
        }
        yield Reminder(
            [r["assignee_id"]],
            f"{r['pk']}:{r['due_date']:%Y%m%d}",
            title % values,
            body % values,
            reverse("campaigns:task_detail", kwargs={"pk": r["pk"]}),
            ("campaigns.visittask", r["pk"]),
        )


def task_due(rule: Any, today: dt.date) -> Iterator[Reminder]:
    """Open tasks due within the rule's lead (days) from today, to their assignee, once per
    task and due date."""
    rows = list(
        VisitTask.objects.open()
        .filter(
            assignee__isnull=False,
            due_date__gte=today,
            due_date__lte=horizon(today, rule.lead, LeadUnit.DAYS),
        )
        .values(*_FIELDS)
    )
    return _reminders(
        rows,
        gettext("Visit to %(enterprise)s due on %(date)s"),
        gettext("Task of “%(campaign)s”: %(enterprise)s, due on %(date)s."),
    )


def task_overdue(rule: Any, today: dt.date) -> Iterator[Reminder]:
    """Open tasks whose due date has passed, to their assignee, once per task and due date
    (a new due date is reminded of again)."""
    rows = list(VisitTask.objects.overdue(today).filter(assignee__isnull=False).values(*_FIELDS))
    return _reminders(
        rows,
        gettext("Visit to %(enterprise)s is overdue"),
        gettext("Task of “%(campaign)s”: %(enterprise)s was due on %(date)s and is still open."),
    )


def register() -> None:
    register_kind(
        TASK_DUE,
        _("Task due"),
        _("A visit task assigned to the user is due within the lead time."),
        task_due,
        default_lead=7,
        lead_unit=LeadUnit.DAYS,
        order=30,
    )
    register_kind(
        TASK_OVERDUE,
        _("Task overdue"),
        _("A visit task assigned to the user has passed its due date and is still open."),
        task_overdue,
        order=31,
    )


register()
