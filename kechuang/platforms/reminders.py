"""Notification kinds of innovation platforms: the yearly report due in an open reporting
round (docs/notifications.md#kinds). Registered from PlatformsConfig.ready()."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kechuang.notifications.logic.dates import horizon
from kechuang.notifications.registry import LeadUnit, Reminder, register_kind

from .models import PlatformOperator, PlatformReport, ReportingRound, ReportStatus

__all__ = ["PLATFORM_REPORT_DUE", "platform_report_due"]

PLATFORM_REPORT_DUE = "platform_report_due"


def platform_report_due(rule: Any, today: dt.date) -> Iterator[Reminder]:
    """Open rounds whose deadline lies within the rule's lead (days) from today: the operators
    of every platform whose report is not submitted or accepted, once per round and platform."""
    rounds = list(
        ReportingRound.objects.filter(
            is_open=True,
            deadline__gte=today,
            deadline__lte=horizon(today, rule.lead, LeadUnit.DAYS),
        ).values("pk", "year", "deadline")
    )
    if not rounds:
        return
    done = set(
        PlatformReport.objects.filter(
            round_id__in=[r["pk"] for r in rounds],
            status__in=[ReportStatus.SUBMITTED, ReportStatus.ACCEPTED],
        ).values_list("round_id", "platform_id")
    )
    operators: dict[int, tuple[str, set[int]]] = {}
    for platform_id, name, user_id in PlatformOperator.objects.values_list(
        "platform_id", "platform__name", "user_id"
    ):
        operators.setdefault(platform_id, (name, set()))[1].add(user_id)
    for r in rounds:
        for platform_id, (name, users) in operators.items():
            if (r["pk"], platform_id) in done:
                continue
            values = {"year": r["year"], "date": r["deadline"].isoformat(), "platform": name}
            yield Reminder(
                users,
                f"{r['pk']}:{platform_id}",
                gettext("The %(year)s yearly report of %(platform)s is due on %(date)s") % values,
                gettext("Fill in and submit the yearly report with its evidence by %(date)s.")
                % values,
                reverse(
                    "platform_pages:report_edit",
                    kwargs={"round_pk": r["pk"], "platform_pk": platform_id},
                ),
            )


register_kind(
    PLATFORM_REPORT_DUE,
    _("Platform yearly report due"),
    _("The deadline of the yearly reporting round is near and the platform has not submitted."),
    platform_report_due,
    default_lead=14,
    lead_unit=LeadUnit.DAYS,
    order=70,
)
