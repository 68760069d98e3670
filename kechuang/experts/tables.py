"""django-tables2 tables of the expert pool."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import Expert, Organisation

__all__ = ["ExpertTable", "OrganisationTable"]

NUM = {"td": {"class": "num"}, "th": {"class": "num"}}


class ExpertTable(tables.Table):
    name = tables.Column(verbose_name=_("Expert name"), linkify=True)
    organisation = tables.Column(verbose_name=_("Organisation"), linkify=True)
    title = tables.Column(verbose_name=_("Professional title"))
    fields = tables.ManyToManyColumn(
        verbose_name=_("Fields of expertise"), transform=lambda f: f.name, separator="、"
    )
    availability = tables.Column(verbose_name=_("Availability"))
    active = tables.BooleanColumn(verbose_name=_("Active"), yesno="是,否")

    class Meta:
        model = Expert
        fields = ("name", "organisation", "title", "fields", "availability", "active")
        attrs = {"class": "table table-vcenter card-table table-sm", "data-testid": "expert-table"}


class OrganisationTable(tables.Table):
    name = tables.Column(verbose_name=_("Name"), linkify=True)
    kind = tables.Column(verbose_name=_("Kind"))
    city = tables.Column(verbose_name=_("City / region"))
    enterprise = tables.Column(verbose_name=_("Enterprise in the registry"), linkify=False)
    n_experts = tables.Column(verbose_name=_("Experts"), attrs=NUM)

    class Meta:
        model = Organisation
        fields = ("name", "kind", "city", "enterprise", "n_experts")
        attrs = {
            "class": "table table-vcenter card-table table-sm",
            "data-testid": "organisation-table",
        }
