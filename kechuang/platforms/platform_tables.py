"""Tables of the platform pages (sortable, exported as shown)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from kechuang.core.formatting import format_wan

from .models import Milestone, Platform, ThreeReturns

__all__ = ["PlatformTable", "MilestoneTable", "ThreeReturnsTable"]

ATTRS = {"class": "table table-vcenter card-table table-sm"}


class PlatformTable(tables.Table):
    name = tables.Column(verbose_name=_("Name"), linkify=True)
    kind = tables.Column(verbose_name=_("Type"))
    level = tables.Column(verbose_name=_("Level"))
    stage = tables.Column(verbose_name=_("Stage"))
    town = tables.Column(verbose_name=_("Town/street"), accessor="town__name", default="—")
    host_city = tables.Column(verbose_name=_("Host city"), default="—")

    class Meta:
        model = Platform
        fields = ("name", "kind", "level", "stage", "town", "host_city")
        attrs = {**ATTRS, "data-testid": "platform-table"}
        per_page = 25


class MilestoneTable(tables.Table):
    platform = tables.Column(
        verbose_name=_("Platform"), linkify=lambda record: record.platform.get_absolute_url()
    )
    title = tables.Column(verbose_name=_("Task"))
    owner = tables.Column(verbose_name=_("Owner"))
    due_date = tables.DateColumn(verbose_name=_("Due date"), format="Y-m-d")
    status = tables.Column(verbose_name=_("Status"))

    class Meta:
        model = Milestone
        fields = ("platform", "title", "owner", "due_date", "status")
        attrs = {**ATTRS, "data-testid": "milestone-table"}


class ThreeReturnsTable(tables.Table):
    enclave = tables.Column(
        verbose_name=_("Enclave"), linkify=lambda record: record.enclave.get_absolute_url()
    )
    enterprise = tables.Column(
        verbose_name=_("Enterprise"), linkify=lambda record: record.enterprise.get_absolute_url()
    )
    year = tables.Column(verbose_name=_("Year"))
    rd_expense_yuan = tables.Column(verbose_name=_("R&D expense counted at home (10,000 yuan)"))
    rd_staff = tables.Column(verbose_name=_("R&D staff in the enclave"))
    results_registered = tables.Column(verbose_name=_("Results registered at home"))
    capacity_yuan = tables.Column(verbose_name=_("Output industrialised at home (10,000 yuan)"))
    subsidy = tables.Column(
        verbose_name=_("Per-head subsidy (yuan)"), empty_values=(), orderable=False
    )

    class Meta:
        model = ThreeReturns
        fields = (
            "enclave",
            "enterprise",
            "year",
            "rd_expense_yuan",
            "rd_staff",
            "results_registered",
            "capacity_yuan",
        )
        attrs = {**ATTRS, "data-testid": "three-returns-table"}

    def __init__(self, *args, subsidies=None, **kwargs):
        self.subsidies = subsidies or {}
        super().__init__(*args, **kwargs)

    def _wan(self, value):
        return "—" if value is None else format_wan(value)

    def render_rd_expense_yuan(self, value):
        return self._wan(value)

    def render_capacity_yuan(self, value):
        return self._wan(value)

    def render_subsidy(self, record):
        found = self.subsidies.get(record.pk)
        if not found:
            return "—"
        amount = "待政策核实" if found["amount"] is None else f"{found['amount']:,.2f}"
        steps = format_html_join(
            "", '<div class="small text-secondary">{}</div>', ((s,) for s in found["steps"])
        )
        return format_html("{}{}", amount, steps)
