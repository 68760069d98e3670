"""Panels other pages include with one line: the platforms of an enterprise (enterprise page)
and the platforms by type and level (dashboard)."""

from __future__ import annotations

from django import template

from kechuang.core.access import can, scope_for

from ..platform_figures import platform_list_url
from ..platform_selectors import dashboard_panel, enterprise_platforms

register = template.Library()


@register.inclusion_tag("platforms/_enterprise_platforms.html", takes_context=True)
def enterprise_platforms_panel(context, enterprise):
    """The platforms the enterprise belongs to, with its role."""
    user = context["request"].user
    return {"links": enterprise_platforms(enterprise.pk), "linked": can(user, "platforms.view")}


@register.inclusion_tag("platforms/_dashboard_panel.html", takes_context=True)
def platforms_dashboard_panel(context, year):
    """Platforms by type and level at the end of `year`, each cell linking to its list."""
    user = context["request"].user
    panel = dashboard_panel(year, scope_for(user, "dashboard.view"))
    links = can(user, "platforms.view")
    for row in panel["rows"]:
        row["cells"] = [
            (
                level,
                count,
                platform_list_url(kind=row["kind"].value, valid_at=year, level_at=level.value)
                if links and count
                else None,
            )
            for level, count in row["cells"]
        ]
        row["url"] = platform_list_url(kind=row["kind"].value, valid_at=year) if links else None
    return panel
