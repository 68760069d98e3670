"""The programmes panel of the enterprise file (docs/enterprise-file.md#panels): the
enterprise's applications to S&T programmes and the projects they became, with submission,
signing and payment dates on the timeline.

Drafts are the enterprise's own until submitted: only the enterprise itself sees them.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kechuang.core.access import ScopeKind, role_scope
from kechuang.enterprises.file import (
    FileContext,
    Panel,
    TimelineEvent,
    TimelineSource,
    register_panel,
    register_timeline,
)

from .choices import ApplicationStatus
from .models import Application, Tranche

__all__ = ["programmes_panel", "programme_events", "register"]

CAPABILITY = "programmes.applications"


def _applications(ctx: FileContext) -> QuerySet:
    rows = Application.objects.for_user(ctx.user).filter(enterprise=ctx.enterprise)
    if role_scope(ctx.user, CAPABILITY) != ScopeKind.OWN:
        rows = rows.exclude(status=ApplicationStatus.DRAFT)
    return rows


def programmes_panel(ctx: FileContext) -> dict:
    applications = list(
        _applications(ctx)
        .select_related("call", "call__programme_type", "project")
        .order_by("-call__year", "-pk")
    )
    return {"applications": applications}


def programme_events(ctx: FileContext) -> list[TimelineEvent]:
    module = "programmes"
    events = []
    rows = _applications(ctx).values_list(
        "pk", "title", "call__title", "submitted_at", "project__number", "project__signed_at"
    )
    for pk, title, call, submitted_at, number, signed_at in rows:
        url = Application(pk=pk).get_absolute_url()
        if submitted_at:
            events.append(
                TimelineEvent(
                    timezone.localtime(submitted_at).date(),
                    module,
                    _("Applied to %(call)s") % {"call": call},
                    title,
                    url,
                )
            )
        if signed_at:
            events.append(
                TimelineEvent(
                    timezone.localtime(signed_at).date(),
                    module,
                    _("Project contract signed: %(number)s") % {"number": number},
                    title,
                )
            )
    paid = Tranche.objects.filter(
        project__application__in=_applications(ctx), paid_on__isnull=False
    ).values_list("paid_on", "project__number", "label")
    for paid_on, number, label in paid:
        events.append(
            TimelineEvent(paid_on, module, _("Grant paid: %(number)s") % {"number": number}, label)
        )
    return events


def register() -> None:
    register_panel(
        Panel(
            "programmes",
            gettext_lazy("Programme applications and projects"),
            80,
            "programmes/_enterprise_file.html",
            programmes_panel,
            capability=CAPABILITY,
        )
    )
    register_timeline(
        TimelineSource(
            "programmes", gettext_lazy("Programmes"), 80, programme_events, capability=CAPABILITY
        )
    )
