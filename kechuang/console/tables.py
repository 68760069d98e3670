"""The console's user table (sortable, paginated, with the shared column chooser)."""

from __future__ import annotations

import django_tables2 as tables
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .selectors import binding_of, user_role_of

__all__ = ["UserTable"]

BINDING_LABELS = {
    "town": _("Town/street"),
    "enterprise": _("Enterprise"),
    "agency": _("Service agency"),
    "organisation": _("University / institute"),
    "expert": _("Expert"),
    "platform": _("Platform"),
}


class UserTable(tables.Table):
    username = tables.Column(
        verbose_name=_("User name"),
        linkify=lambda record: reverse("console:user_edit", args=[record.pk]),
    )
    display_name = tables.Column(
        verbose_name=_("Display name"), accessor="profile__display_name", default="—"
    )
    role = tables.Column(verbose_name=_("Role"), accessor="pk", orderable=False)
    binding = tables.Column(verbose_name=_("Binding"), accessor="pk", orderable=False)
    department = tables.Column(
        verbose_name=_("Department (科室)"), accessor="profile__department", default="—"
    )
    is_active = tables.BooleanColumn(verbose_name=_("Active"), yesno="是,否")
    last_login = tables.DateTimeColumn(
        verbose_name=_("Last log-in"), format="Y-m-d H:i", default="—"
    )

    class Meta:
        model = get_user_model()
        fields = ()
        sequence = (
            "username",
            "display_name",
            "role",
            "binding",
            "department",
            "is_active",
            "last_login",
        )
        attrs = {"class": "table table-vcenter card-table table-sm", "data-testid": "user-table"}
        per_page = 25

    def render_role(self, record):
        role = user_role_of(record)
        return role.label if role else "—"

    def render_binding(self, record):
        binding = binding_of(record)
        parts = [
            format_html('<span class="text-secondary">{}</span> {}', BINDING_LABELS[k], v)
            for k, v in binding.items()
            if v is not None
        ]
        return format_html("<br>".join(["{}"] * len(parts)), *parts) if parts else "—"

    def render_department(self, value):
        return value or "—"

    def render_display_name(self, value):
        return value or "—"
