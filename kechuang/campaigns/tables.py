"""django-tables2 tables of campaigns and visit tasks."""

from __future__ import annotations

import datetime as dt

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Campaign, VisitTask

__all__ = ["CampaignTable", "VisitTaskTable", "STATE_BADGES"]

STATE_BADGES = {
    "pending": "bg-secondary-lt",
    "visited": "bg-blue-lt",
    "follow_up": "bg-orange-lt",
    "closed": "bg-green-lt",
}
NUM = {"td": {"class": "num"}, "th": {"class": "num"}}


def state_badge(task) -> str:
    return format_html(
        '<span class="badge {}" data-testid="task-state">{}</span>',
        STATE_BADGES.get(task.state, ""),
        task.get_state_display(),
    )


class CampaignTable(tables.Table):
    name = tables.Column(verbose_name=_("Campaign"), linkify=True)
    kind = tables.Column(verbose_name=_("Kind"))
    year = tables.Column(verbose_name=_("Data year"))
    due_date = tables.DateColumn(verbose_name=_("Due date"), format="Y-m-d")
    n_tasks = tables.Column(verbose_name=_("Targets"), attrs=NUM)
    n_visited = tables.Column(verbose_name=_("Visited"), attrs=NUM)
    n_closed = tables.Column(verbose_name=_("Closed"), attrs=NUM)
    n_overdue = tables.Column(verbose_name=_("Overdue"), attrs=NUM)
    covered = tables.Column(verbose_name=_("Covered"), accessor="pk", orderable=False)

    class Meta:
        model = Campaign
        fields = ("name", "kind", "year", "due_date")
        sequence = (
            "name",
            "kind",
            "year",
            "due_date",
            "n_tasks",
            "n_visited",
            "n_closed",
            "n_overdue",
            "covered",
        )
        attrs = {
            "class": "table table-vcenter card-table table-sm",
            "data-testid": "campaign-table",
        }
        per_page = 25

    def render_n_overdue(self, value):
        if not value:
            return "0"
        return format_html('<span class="badge bg-red-lt">{}</span>', value)

    def render_covered(self, record):
        if not record.n_tasks:
            return "—"
        pct = 100 * record.n_visited / record.n_tasks
        return format_html(
            '<div class="d-flex align-items-center gap-2"><div class="progress progress-sm"'
            ' style="width:6rem"><div class="progress-bar" style="width:{}%"></div></div>'
            "<span>{}%</span></div>",
            f"{pct:.0f}",
            f"{pct:.1f}",
        )


class VisitTaskTable(tables.Table):
    enterprise = tables.Column(
        verbose_name=_("Enterprise"),
        linkify=lambda record: record.get_absolute_url(),
        order_by=("enterprise__name",),
    )
    town = tables.Column(
        verbose_name=_("Town/street"),
        accessor="enterprise__town__name",
        order_by=("enterprise__town__sort_order",),
    )
    campaign = tables.Column(verbose_name=_("Campaign"), accessor="campaign__name")
    assignee = tables.Column(verbose_name=_("Assignee"), accessor="assignee", empty_values=())
    due_date = tables.DateColumn(verbose_name=_("Due date"), format="Y-m-d")
    state = tables.Column(verbose_name=_("State"))
    same_month = tables.Column(verbose_name=_("Same-month visits"), accessor="pk", orderable=False)

    class Meta:
        model = VisitTask
        fields = ("enterprise", "town", "campaign", "assignee", "due_date", "state")
        attrs = {"class": "table table-vcenter card-table table-sm", "data-testid": "task-table"}
        row_attrs = {"data-task": lambda record: record.pk}
        per_page = 25

    def __init__(self, *args, group_counts=None, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.group_counts = group_counts
        self.today = today or dt.date.today()

    def render_assignee(self, record):
        if record.assignee is None:
            return format_html(
                '<span class="badge bg-yellow-lt" data-testid="unassigned">{}</span>',
                _("Unassigned"),
            )
        profile = getattr(record.assignee, "profile", None)
        return (profile.display_name if profile else "") or record.assignee.username

    def render_due_date(self, record, value):
        if record.is_overdue_on(self.today):
            return format_html(
                '{} <span class="badge bg-red-lt" data-testid="overdue">{}</span>',
                f"{value:%Y-%m-%d}",
                _("Overdue"),
            )
        return f"{value:%Y-%m-%d}"

    def render_state(self, record):
        return state_badge(record)

    def render_same_month(self, record):
        if self.group_counts is None:
            return "—"
        if callable(self.group_counts):
            self.group_counts = self.group_counts([row.record for row in self.page.object_list])
        if record.state == "closed":
            return "—"
        n = self.group_counts.get(
            (record.enterprise_id, record.due_date.year, record.due_date.month), 1
        )
        if n <= 1:
            return "—"
        return format_html(
            '<span class="badge bg-purple-lt" title="{}">{}</span>',
            _("Open tasks of this enterprise due this month: one visit serves them all"),
            _("%(n)s tasks this month") % {"n": n},
        )
