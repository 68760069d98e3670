"""The platforms panel of the enterprise file (docs/enterprise-file.md#panels): the innovation
platforms the enterprise operates or belongs to, and its recognised R&D institutions; the entry
and exit dates go on the timeline."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kechuang.core.access import can
from kechuang.enterprises.file import (
    FileContext,
    Panel,
    TimelineEvent,
    TimelineSource,
    register_panel,
    register_timeline,
)

from .models import PlatformLink, RDInstitution
from .platform_selectors import enterprise_platforms

__all__ = ["platforms_panel", "platform_events", "register"]


def platforms_panel(ctx: FileContext) -> dict:
    return {
        "links": enterprise_platforms(ctx.enterprise.pk),
        "linked": can(ctx.user, "platforms.view"),
        "institutions": list(
            RDInstitution.objects.filter(enterprise=ctx.enterprise).order_by("-year_recognised")
        ),
    }


def platform_events(ctx: FileContext) -> list[TimelineEvent]:
    events = []
    rows = PlatformLink.objects.filter(enterprise=ctx.enterprise).values_list(
        "platform__name", "entry_date", "exit_date"
    )
    for name, entry, exit_ in rows:
        if entry:
            events.append(
                TimelineEvent(entry, "platforms", _("Joined %(platform)s") % {"platform": name})
            )
        if exit_:
            events.append(
                TimelineEvent(exit_, "platforms", _("Left %(platform)s") % {"platform": name})
            )
    return events


def register() -> None:
    register_panel(
        Panel(
            "platforms",
            gettext_lazy("Platforms and R&D institutions"),
            70,
            "platforms/_enterprise_file.html",
            platforms_panel,
        )
    )
    register_timeline(TimelineSource("platforms", gettext_lazy("Platforms"), 70, platform_events))
