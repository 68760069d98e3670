"""The enterprise registry's own panels and timeline events of the enterprise file
(docs/enterprise-file.md): profile and contacts, staff tags, yearly figures, qualifications and
their expiry, intellectual property, and the change history.

Registered from EnterprisesConfig.ready(); each builder runs a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kechuang.core.access import can
from kechuang.core.charts import bar_line_chart
from kechuang.core.formatting import chart_value, chart_wan
from kechuang.core.years import in_window

from .choices import IP_CLASS_BY_KIND, IPClass, SubmissionStatus
from .file import (
    FileContext,
    Panel,
    TimelineEvent,
    TimelineSource,
    register_panel,
    register_timeline,
)
from .file_models import EnterpriseContact, EnterpriseTag, EnterpriseTagAssignment
from .models import FigureSubmission
from .selectors import enterprise_history, qualification_validity, validity_date

__all__ = ["register", "profile_panel", "tags_panel", "figures_panel", "qualifications_panel"]

# Expiry dates this close ahead are flagged on the file (the bureau reminds holders six months
# before a high-tech certificate lapses: 国科发火〔2016〕32号 第九条 three-year validity).
EXPIRY_WARNING_DAYS = 183


def profile_panel(ctx: FileContext) -> dict:
    e = ctx.enterprise
    contacts = list(EnterpriseContact.objects.filter(enterprise=e).order_by("role", "name"))
    return {
        "enterprise": e,
        "contacts": contacts,
        "contacts_visible": can(ctx.user, "contacts.view"),
        "can_edit_contacts": can(ctx.user, "contacts.change"),
    }


def tags_panel(ctx: FileContext) -> dict:
    assignments = list(
        EnterpriseTagAssignment.objects.filter(enterprise=ctx.enterprise)
        .select_related("tag", "created_by")
        .order_by("tag__name")
    )
    return {
        "enterprise": ctx.enterprise,
        "assignments": assignments,
        "imported": ctx.enterprise.tag_list,
        "can_tag": can(ctx.user, "enterprise.tag"),
        "known": list(EnterpriseTag.objects.order_by("name").values_list("name", flat=True)[:200]),
    }


def figures_panel(ctx: FileContext) -> dict:
    e = ctx.enterprise
    figures = list(e.annual_figures.order_by("year"))
    chart = bar_line_chart(
        title=_("Revenue and R&D expense (10,000 yuan)"),
        categories=[f.year for f in figures],
        bars={
            _("Operating revenue"): [chart_wan(f.operating_revenue, 2) for f in figures],
            _("R&D expense (statistical)"): [chart_wan(f.rd_expense_stat, 2) for f in figures],
        },
        bar_unit=_("10,000 yuan"),
        lines={
            _("R&D intensity (%)"): [
                chart_value(f.rd_intensity * 100, 2) if f.rd_intensity is not None else None
                for f in figures
            ]
        },
        line_unit="%",
    )
    year = (figures[-1].year + 1) if figures else None
    return {
        "enterprise": e,
        "figures": figures,
        "chart": chart,
        "can_edit": can(ctx.user, "figures.change"),
        "next_year": year if year is not None and in_window(year) else None,
        "show_submissions": can(ctx.user, "figure_submissions.view"),
    }


def qualifications_panel(ctx: FileContext) -> dict:
    e = ctx.enterprise
    on = validity_date()
    qualifications = list(e.qualifications.order_by("-issue_date"))
    soon = on + dt.timedelta(days=EXPIRY_WARNING_DAYS)
    for q in qualifications:
        q.validity = qualification_validity(q, on)
        q.expiring = q.validity == "valid" and q.expiry_date is not None and q.expiry_date <= soon
    ip_assets = list(e.ip_assets.all())
    ip_counts = {IPClass.CLASS_I: 0, IPClass.CLASS_II: 0, IPClass.NONE: 0}
    for item in ip_assets:
        ip_counts[IP_CLASS_BY_KIND.get(item.kind, IPClass.NONE)] += 1
    return {
        "qualifications": qualifications,
        "validity_on": on,
        "ip_assets": ip_assets[:200],
        "ip_total": len(ip_assets),
        "ip_counts": ip_counts,
    }


def history_panel(ctx: FileContext) -> dict:
    return {"history": enterprise_history(ctx.enterprise, limit=50)}


# ------------------------------------------------------------------ timeline


def registry_events(ctx: FileContext) -> list[TimelineEvent]:
    """Registration, certificates issued and expiring, accepted yearly-figure submissions."""
    e = ctx.enterprise
    module = "enterprises"
    events = []
    if e.registration_date:
        events.append(TimelineEvent(e.registration_date, module, _("Enterprise registered")))
    horizon = ctx.today + dt.timedelta(days=EXPIRY_WARNING_DAYS)
    for q in e.qualifications.all():
        label = q.get_kind_display()
        events.append(
            TimelineEvent(
                q.issue_date, module, _("%(kind)s granted") % {"kind": label}, q.number or ""
            )
        )
        if q.expiry_date and q.expiry_date <= horizon:
            events.append(
                TimelineEvent(
                    q.expiry_date, module, _("%(kind)s expires") % {"kind": label}, q.number or ""
                )
            )
        if q.revoked_date:
            events.append(
                TimelineEvent(q.revoked_date, module, _("%(kind)s revoked") % {"kind": label})
            )
    accepted = FigureSubmission.objects.filter(
        enterprise=e, status=SubmissionStatus.ACCEPTED, reviewed_at__isnull=False
    ).values_list("pk", "year", "reviewed_at")
    show = can(ctx.user, "figure_submissions.view")
    for pk, year, reviewed_at in accepted:
        events.append(
            TimelineEvent(
                timezone_date(reviewed_at),
                module,
                _("%(year)s figures accepted") % {"year": year},
                url=reverse("enterprises:submission_detail", args=[pk]) if show else "",
            )
        )
    return events


def tag_events(ctx: FileContext) -> list[TimelineEvent]:
    rows = EnterpriseTagAssignment.objects.filter(enterprise=ctx.enterprise).values_list(
        "tag__name", "created_at"
    )
    return [
        TimelineEvent(timezone_date(at), "tags", _("Tagged “%(tag)s”") % {"tag": name})
        for name, at in rows
    ]


def timezone_date(value: Any) -> dt.date:
    return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()


def register() -> None:
    register_panel(
        Panel(
            "profile",
            gettext_lazy("Profile and contacts"),
            10,
            "enterprises/file/_profile.html",
            profile_panel,
        ),
        Panel(
            "tags",
            gettext_lazy("Tags"),
            15,
            "enterprises/file/_tags.html",
            tags_panel,
            capability="enterprise.tags",
        ),
        Panel(
            "figures",
            gettext_lazy("Yearly figures"),
            20,
            "enterprises/file/_figures.html",
            figures_panel,
        ),
        Panel(
            "qualifications",
            gettext_lazy("Qualifications and intellectual property"),
            30,
            "enterprises/file/_qualifications.html",
            qualifications_panel,
        ),
        Panel(
            "history",
            gettext_lazy("Change history"),
            1000,
            "enterprises/file/_history.html",
            history_panel,
        ),
    )
    register_timeline(
        TimelineSource("enterprises", gettext_lazy("Registry"), 10, registry_events),
        TimelineSource("tags", gettext_lazy("Tags"), 15, tag_events, capability="enterprise.tags"),
    )
