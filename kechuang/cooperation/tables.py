"""django-tables2 tables of the cooperation lists."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from kechuang.core.formatting import format_wan

from .models import (
    Achievement,
    BrokeringRecord,
    CompetitionEntrant,
    CooperationEvent,
    TechContract,
    TechDemand,
)

__all__ = [
    "DemandTable",
    "AchievementTable",
    "BrokeringTable",
    "ContractTable",
    "EventTable",
    "EntrantTable",
    "STATUS_BADGES",
]

STATUS_BADGES = {
    "open": "bg-blue-lt",
    "matched": "bg-cyan-lt",
    "negotiating": "bg-orange-lt",
    "contracted": "bg-green-lt",
    "closed": "bg-secondary-lt",
    "expired": "bg-secondary-lt",
    "candidate": "bg-blue-lt",
    "contacted": "bg-cyan-lt",
    "meeting": "bg-purple-lt",
    "negotiation": "bg-orange-lt",
    "applied": "bg-blue-lt",
    "accepted": "bg-orange-lt",
    "registered": "bg-green-lt",
    "refused": "bg-red-lt",
}
NUM = {"td": {"class": "num"}, "th": {"class": "num"}}
ATTRS = {"class": "table table-vcenter card-table table-sm"}


def badge(value: str, label) -> str:
    return format_html('<span class="badge {}">{}</span>', STATUS_BADGES.get(value, ""), label)


class WanColumn(tables.Column):
    """Money stored in yuan, shown in 万元 (two decimals)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", NUM)
        super().__init__(*args, **kwargs)

    def render(self, value):
        return format_wan(value)

    def value(self, value):
        return value


class DemandTable(tables.Table):
    title = tables.Column(verbose_name=_("Demand"), linkify=True)
    enterprise = tables.Column(verbose_name=_("Enterprise"), accessor="enterprise__name")
    town = tables.Column(verbose_name=_("Town/street"), accessor="enterprise__town__name")
    origin = tables.Column(verbose_name=_("Source"))
    posted_on = tables.DateColumn(verbose_name=_("Posted on"), format="Y-m-d")
    expires_on = tables.DateColumn(verbose_name=_("Open until"), format="Y-m-d")
    status = tables.Column(verbose_name=_("Status"))

    class Meta:
        model = TechDemand
        fields = ("title", "enterprise", "town", "origin", "posted_on", "expires_on", "status")
        attrs = {**ATTRS, "data-testid": "demand-table"}

    def render_status(self, record, value):
        return badge(record.status, value)


class AchievementTable(tables.Table):
    title = tables.Column(verbose_name=_("Achievement"), linkify=True)
    organisation = tables.Column(verbose_name=_("Institution"), accessor="organisation__name")
    field = tables.Column(verbose_name=_("Technical field"))
    maturity = tables.Column(verbose_name=_("Maturity"))
    mode = tables.Column(verbose_name=_("Expected cooperation mode"))

    class Meta:
        model = Achievement
        fields = ("title", "organisation", "field", "maturity", "mode")
        attrs = {**ATTRS, "data-testid": "achievement-table"}


class BrokeringTable(tables.Table):
    demand = tables.Column(
        verbose_name=_("Demand"),
        accessor="demand__title",
        linkify=lambda record: record.get_absolute_url(),
    )
    enterprise = tables.Column(verbose_name=_("Enterprise"), accessor="demand__enterprise__name")
    supplier = tables.Column(verbose_name=_("Supplier"), accessor="supplier__name")
    event = tables.Column(verbose_name=_("Cooperation event"), accessor="event__name", default="—")
    started_on = tables.DateColumn(verbose_name=_("Started on"), format="Y-m-d")
    stage = tables.Column(verbose_name=_("Stage"))
    stage_on = tables.DateColumn(verbose_name=_("Stage since"), format="Y-m-d")

    class Meta:
        model = BrokeringRecord
        fields = ("demand", "enterprise", "supplier", "event", "started_on", "stage", "stage_on")
        attrs = {**ATTRS, "data-testid": "brokering-table"}

    def render_stage(self, record, value):
        return badge(record.stage, value)


class ContractTable(tables.Table):
    title = tables.Column(verbose_name=_("Contract"), linkify=True)
    seller = tables.Column(verbose_name=_("Seller"))
    buyer = tables.Column(verbose_name=_("Buyer"))
    declared_type = tables.Column(verbose_name=_("Type declared"))
    applied_on = tables.DateColumn(verbose_name=_("Applied on"), format="Y-m-d")
    total_amount = WanColumn(verbose_name=_("Contract total (10,000 yuan)"))
    technical_amount = WanColumn(verbose_name=_("Technical transaction amount (10,000 yuan)"))
    status = tables.Column(verbose_name=_("Status"))
    certificate_number = tables.Column(verbose_name=_("Registration number"), default="—")

    class Meta:
        model = TechContract
        fields = (
            "title",
            "seller",
            "buyer",
            "declared_type",
            "applied_on",
            "total_amount",
            "technical_amount",
            "status",
            "certificate_number",
        )
        attrs = {**ATTRS, "data-testid": "contract-table"}

    def render_status(self, record, value):
        return badge(record.status, value)


class EventTable(tables.Table):
    name = tables.Column(verbose_name=_("Cooperation event"), linkify=True)
    kind = tables.Column(verbose_name=_("Kind"))
    date = tables.DateColumn(verbose_name=_("Date"), format="Y-m-d")
    n_matched = tables.Column(verbose_name=_("Demands matched"), attrs=NUM)

    class Meta:
        model = CooperationEvent
        fields = ("name", "kind", "date", "n_matched")
        attrs = {**ATTRS, "data-testid": "event-table"}


class EntrantTable(tables.Table):
    enterprise = tables.Column(verbose_name=_("Enterprise"), accessor="enterprise__name")
    project = tables.Column(verbose_name=_("Project"))
    group = tables.Column(verbose_name=_("Group"))
    track = tables.Column(verbose_name=_("Industry track"))
    furthest_stage = tables.Column(verbose_name=_("Furthest stage"))
    follow_on_support = tables.Column(verbose_name=_("Follow-on support"), default="—")

    class Meta:
        model = CompetitionEntrant
        fields = ("enterprise", "project", "group", "track", "furthest_stage", "follow_on_support")
        attrs = {**ATTRS, "data-testid": "entrant-table"}
