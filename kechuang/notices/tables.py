"""django-tables2 tables of notices and objections (staff pages)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import Objection

__all__ = ["ObjectionTable"]


class ObjectionTable(tables.Table):
    receipt_no = tables.Column(verbose_name=_("Receipt number"), linkify=True)
    notice = tables.Column(verbose_name=_("Notice"))
    item = tables.Column(verbose_name=_("Objected item"))
    name = tables.Column(verbose_name=_("Objector"))
    received_at = tables.DateTimeColumn(verbose_name=_("Received at"), format="Y-m-d H:i")
    status = tables.Column(verbose_name=_("Status"))

    class Meta:
        model = Objection
        fields = ("receipt_no", "notice", "item", "name", "received_at", "status")
        attrs = {
            "class": "table table-vcenter card-table table-sm",
            "data-testid": "objection-table",
        }
