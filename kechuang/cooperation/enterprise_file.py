"""The cooperation panel of the enterprise file (docs/enterprise-file.md#panels): the
enterprise's technology demands and the technical contracts it sells or buys, read through the
module's own scoped querysets; postings, signings and registrations go on the timeline."""

from __future__ import annotations

from django.db.models import Q, QuerySet
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

from .choices import RegistrationStatus
from .models import TechContract, TechDemand

__all__ = ["cooperation_panel", "cooperation_timeline", "register"]

CAPABILITY = "cooperation.demands"


def _demands(ctx: FileContext) -> QuerySet:
    return TechDemand.objects.for_user(ctx.user).filter(enterprise=ctx.enterprise)


def _contracts(ctx: FileContext) -> QuerySet:
    if not can(ctx.user, "contracts.view"):
        return TechContract.objects.none()
    e = ctx.enterprise
    return TechContract.objects.for_user(ctx.user).filter(
        Q(seller_enterprise=e) | Q(buyer_enterprise=e)
    )


def cooperation_panel(ctx: FileContext) -> dict:
    return {
        "enterprise": ctx.enterprise,
        "demands": list(_demands(ctx).order_by("-posted_on", "-pk")[:50]),
        "contracts": list(_contracts(ctx).order_by("-signed_on", "-pk")[:50]),
        "contracts_visible": can(ctx.user, "contracts.view"),
    }


def cooperation_timeline(ctx: FileContext) -> list[TimelineEvent]:
    module = "cooperation"
    events = [
        TimelineEvent(
            posted_on,
            module,
            _("Technology demand posted"),
            title,
            TechDemand(pk=pk).get_absolute_url(),
        )
        for pk, posted_on, title in _demands(ctx).values_list("pk", "posted_on", "title")
    ]
    rows = _contracts(ctx).values_list("pk", "title", "signed_on", "status", "decided_on")
    for pk, title, signed_on, status, decided_on in rows:
        url = TechContract(pk=pk).get_absolute_url()
        events.append(TimelineEvent(signed_on, module, _("Technical contract signed"), title, url))
        if status == RegistrationStatus.REGISTERED and decided_on:
            events.append(
                TimelineEvent(decided_on, module, _("Technical contract registered"), title, url)
            )
    return events


def register() -> None:
    register_panel(
        Panel(
            "cooperation",
            gettext_lazy("Demands, cooperation and technical contracts"),
            90,
            "cooperation/_enterprise_file.html",
            cooperation_panel,
            capability=CAPABILITY,
        )
    )
    register_timeline(
        TimelineSource(
            "cooperation",
            gettext_lazy("Cooperation"),
            90,
            cooperation_timeline,
            capability=CAPABILITY,
        )
    )
