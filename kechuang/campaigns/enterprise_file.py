"""The visits panel of the enterprise file (docs/enterprise-file.md#panels): the enterprise's
tasks in every campaign, its visit records and the visit contact, and their timeline events.

Tasks are read through `VisitTask.objects.for_user` (an agency member sees only the tasks
assigned to them); visit records outside the bureau are those of the tasks the viewer sees.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kechuang.core.access import scope_for
from kechuang.enterprises.file import (
    FileContext,
    Panel,
    TimelineEvent,
    TimelineSource,
    register_panel,
    register_timeline,
)

from .models import EnterpriseContact, VisitRecord, VisitTask

__all__ = ["visits_panel", "visit_events", "register"]

CAPABILITY = "campaigns.work"


def _tasks(ctx: FileContext) -> QuerySet:
    return VisitTask.objects.for_user(ctx.user).filter(enterprise=ctx.enterprise)


def _records(ctx: FileContext) -> QuerySet:
    records = VisitRecord.objects.filter(enterprise=ctx.enterprise)
    if not scope_for(ctx.user, CAPABILITY).all:
        records = records.filter(tasks__in=_tasks(ctx)).distinct()
    return records


def visits_panel(ctx: FileContext) -> dict:
    tasks = list(_tasks(ctx).select_related("campaign", "assignee").order_by("-due_date", "-pk"))
    records = list(_records(ctx).select_related("created_by").order_by("-visit_date", "-pk")[:50])
    return {
        "tasks": tasks,
        "records": records,
        "contact": EnterpriseContact.objects.filter(enterprise=ctx.enterprise).first(),
        "today": ctx.today,
    }


def visit_events(ctx: FileContext) -> list[TimelineEvent]:
    module = "campaigns"
    events = [
        TimelineEvent(
            day,
            module,
            _("Visited"),
            findings[:80],
        )
        for day, findings in _records(ctx).values_list("visit_date", "findings")
    ]
    for pk, due, name, state in _tasks(ctx).values_list(
        "pk", "due_date", "campaign__name", "state"
    ):
        events.append(
            TimelineEvent(
                due,
                module,
                _("Task due: %(campaign)s") % {"campaign": name},
                str(VisitTask(state=state).get_state_display()),
                url=VisitTask(pk=pk).get_absolute_url(),
            )
        )
    return events


def register() -> None:
    register_panel(
        Panel(
            "visits",
            gettext_lazy("Visits and tasks"),
            60,
            "campaigns/_enterprise_file.html",
            visits_panel,
            capability=CAPABILITY,
        )
    )
    register_timeline(
        TimelineSource(
            "campaigns", gettext_lazy("Visits and tasks"), 60, visit_events, capability=CAPABILITY
        )
    )
