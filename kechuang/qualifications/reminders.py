"""Notification kinds of qualifications: certificate expiry and the tech-SME filing window
(docs/notifications.md#kinds). Registered from QualificationsConfig.ready()."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kechuang.enterprises.choices import QualificationKind, QualificationStatus
from kechuang.enterprises.models import Qualification
from kechuang.notifications.logic.dates import horizon
from kechuang.notifications.recipients import enterprise_users, town_officers
from kechuang.notifications.registry import LeadUnit, Reminder, register_kind

__all__ = ["CERTIFICATE_EXPIRY", "TECH_SME_FILING", "certificate_expiry", "tech_sme_filing"]

CERTIFICATE_EXPIRY = "certificate_expiry"
TECH_SME_FILING = "tech_sme_filing"


def certificate_expiry(rule: Any, today: dt.date) -> Iterator[Reminder]:
    """Certificates in force whose last day of validity lies within the rule's lead (months)
    from today, not yet followed by a newer certificate of the same kind: to the enterprise's
    users and the officers of its town, once per certificate and expiry date."""
    last = horizon(today, rule.lead, LeadUnit.MONTHS)
    newer = Qualification.objects.filter(
        enterprise_id=OuterRef("enterprise_id"),
        kind=OuterRef("kind"),
        issue_date__gt=OuterRef("issue_date"),
        status=QualificationStatus.ACTIVE,
    )
    rows = list(
        Qualification.objects.filter(
            status=QualificationStatus.ACTIVE,
            revoked_date__isnull=True,
            expiry_date__gte=today,
            expiry_date__lte=last,
        )
        .exclude(Exists(newer))
        .values(
            "pk",
            "kind",
            "number",
            "expiry_date",
            "enterprise_id",
            "enterprise__name",
            "enterprise__town_id",
        )
    )
    users = enterprise_users({r["enterprise_id"] for r in rows})
    officers = town_officers({r["enterprise__town_id"] for r in rows if r["enterprise__town_id"]})
    labels = dict(QualificationKind.choices)
    for r in rows:
        recipients = users.get(r["enterprise_id"], set()) | officers.get(
            r["enterprise__town_id"], set()
        )
        if not recipients:
            continue
        values = {
            "kind": labels.get(r["kind"], r["kind"]),
            "date": str(r["expiry_date"]),
            "enterprise": r["enterprise__name"],
            "number": r["number"] or "—",
        }
        yield Reminder(
            recipients,
            f"{r['pk']}:{r['expiry_date']:%Y%m%d}",
            gettext("%(kind)s certificate of %(enterprise)s expires on %(date)s") % values,
            gettext("Certificate no. %(number)s is valid until %(date)s (inclusive).") % values,
            reverse("enterprises:enterprise_detail", kwargs={"pk": r["enterprise_id"]}),
            ("enterprises.qualification", r["pk"]),
        )


def filing_deadline(year: int) -> dt.date:
    """The last day to update and be re-evaluated for the year's tech-SME registration: the end
    of March (《科技型中小企业评价办法》 国科发政〔2017〕115号 第十一–十四条,
    docs/qualification-rules.md#registration-per-year)."""
    return dt.date(year, 3, 31)


def tech_sme_filing(rule: Any, today: dt.date) -> Iterator[Reminder]:
    """Within the rule's lead (days) before the end of March: the enterprises registered as
    national tech SMEs last year and not yet this year, to their users, once a year."""
    deadline = filing_deadline(today.year)
    if not (deadline - dt.timedelta(days=rule.lead) <= today <= deadline):
        return
    this_year = Qualification.objects.filter(
        enterprise_id=OuterRef("enterprise_id"),
        kind=QualificationKind.NATIONAL_TECH_SME,
        year=today.year,
    )
    rows = list(
        Qualification.objects.filter(
            kind=QualificationKind.NATIONAL_TECH_SME,
            year=today.year - 1,
            status=QualificationStatus.ACTIVE,
            revoked_date__isnull=True,
        )
        .exclude(Exists(this_year))
        .values("enterprise_id", "enterprise__name")
        .distinct()
    )
    users = enterprise_users({r["enterprise_id"] for r in rows})
    values = {"year": today.year, "date": deadline.isoformat()}
    for r in rows:
        recipients = users.get(r["enterprise_id"])
        if not recipients:
            continue
        yield Reminder(
            recipients,
            f"{r['enterprise_id']}:{today.year}",
            gettext("Update the tech-SME evaluation for %(year)s by %(date)s") % values,
            gettext(
                "%(enterprise)s was registered as a national tech SME last year; the registration"
                " of %(year)s needs the updated evaluation information by %(date)s."
            )
            % {**values, "enterprise": r["enterprise__name"]},
            reverse("qualifications:enterprise_assessment", kwargs={"pk": r["enterprise_id"]}),
        )


def register() -> None:
    register_kind(
        CERTIFICATE_EXPIRY,
        _("Certificate expiry"),
        _(
            "A qualification certificate of the enterprise expires within the lead time; sent to"
            " the enterprise's users and its town officer."
        ),
        certificate_expiry,
        default_lead=6,
        lead_unit=LeadUnit.MONTHS,
        order=10,
    )
    register_kind(
        TECH_SME_FILING,
        _("Tech-SME filing window"),
        _(
            "Before the end of March, enterprises registered as national tech SMEs last year and"
            " not yet this year are reminded to update their evaluation."
        ),
        tech_sme_filing,
        default_lead=30,
        lead_unit=LeadUnit.DAYS,
        order=20,
    )


register()
