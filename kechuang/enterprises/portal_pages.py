"""Reads behind the enterprise portal's pages (docs/portal.md): the enterprise's submissions by
year with their deadline, the values a new submission starts from, the side-by-side comparison
with the registry and its official source, the review queue of a town officer or the bureau,
attachments and colleagues in the reader's scope.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.core.access import can
from kechuang.core.formatting import format_number, format_wan
from kechuang.core.permissions import get_object_for_user
from kechuang.core.roles import Role
from kechuang.core.years import first_year, in_window, last_year

from . import policy
from .choices import SubmissionStatus
from .forms import _wan_label
from .logic import submission as flow
from .models import (
    AnnualFigure,
    Enterprise,
    EnterpriseInvitation,
    EnterpriseMembership,
    FigureSubmission,
    SubmissionAttachment,
)
from .submissions import official_source_label, official_values

__all__ = [
    "DEFAULT_DEADLINE",
    "submission_deadline",
    "reporting_year",
    "portal_years",
    "starting_values",
    "comparison_rows",
    "display",
    "review_queue",
    "review_actions",
    "history_rows",
    "attachment_for",
    "colleague_rows",
    "open_invitations",
    "registry_figures",
]

DEFAULT_DEADLINE = "05-31"  # month-day in the year after the reporting year


def submission_deadline(year: int) -> dt.date:
    """The last day to submit the figures of `year`: KECHUANG_FIGURE_SUBMISSION_DEADLINE
    ("MM-DD", in the following year; default 31 May, docs/portal.md#deadline)."""
    raw = str(getattr(settings, "KECHUANG_FIGURE_SUBMISSION_DEADLINE", DEFAULT_DEADLINE))
    try:
        month, day = (int(part) for part in raw.split("-", 1))
        return dt.date(year + 1, month, day)
    except ValueError:
        month, day = (int(part) for part in DEFAULT_DEADLINE.split("-"))
        return dt.date(year + 1, month, day)


def reporting_year(today: dt.date | None = None) -> int:
    """The year whose figures are being reported now: the previous calendar year."""
    today = today or timezone.localdate()
    return today.year - 1


def portal_years(enterprise: Enterprise, *, count: int = 5) -> list[dict[str, Any]]:
    """The enterprise's recent reporting years, newest first: its latest submission of each
    year, whether the registry has figures, the deadline and whether it passed with nothing
    submitted nor in the registry."""
    today = timezone.localdate()
    newest = min(reporting_year(today), last_year())
    years = [y for y in range(newest, newest - count, -1) if y >= first_year()]
    subs: dict[int, FigureSubmission] = {}
    for row in FigureSubmission.objects.filter(enterprise=enterprise).order_by(
        "year", "created_at"
    ):
        subs[row.year] = row  # the latest of each year wins
    years = sorted(set(years) | {y for y in subs if in_window(y)}, reverse=True)
    registry = set(
        AnnualFigure.objects.filter(enterprise=enterprise, year__in=years).values_list(
            "year", flat=True
        )
    )
    rows = []
    for year in years:
        s = subs.get(year)
        deadline = submission_deadline(year)
        done = s is not None and s.status in (SubmissionStatus.ACCEPTED, *_UNDER_REVIEW)
        rows.append(
            {
                "year": year,
                "submission": s,
                "deadline": deadline,
                "overdue": not done and year not in registry and today > deadline,
                "in_registry": year in registry,
                "editable": s is None or s.status in flow.EDITABLE,
            }
        )
    return rows


_UNDER_REVIEW = (SubmissionStatus.SUBMITTED, SubmissionStatus.TOWN_PASSED)


def registry_figures(enterprise_id: int, year: int) -> tuple[AnnualFigure | None, Any]:
    """The registry's figures of `year` and of the year before (either may be None)."""
    rows = {
        f.year: f
        for f in AnnualFigure.objects.select_related("import_batch").filter(
            enterprise_id=enterprise_id, year__in=(year, year - 1)
        )
    }
    return rows.get(year), rows.get(year - 1)


def starting_values(figure: AnnualFigure | None, previous: AnnualFigure | None) -> dict:
    """What a new submission starts from: the registry's figures of that year (imported
    statistics or an earlier acceptance), else the year before's head counts and declarations
    (amounts of another year are not carried over)."""
    if figure is not None:
        return {n: getattr(figure, n) for n in policy.ENTERPRISE_FIGURE_FIELDS}
    if previous is None:
        return {}
    carried = (
        "employees_year_end",
        "tech_staff_year_end",
        "employees_avg",
        "tech_staff_avg",
        "in_restricted_catalogue",
        "core_tech_in_supported_fields",
    )
    return {n: getattr(previous, n) for n in carried if getattr(previous, n) is not None}


def display(value: Any, money: bool) -> str:
    """A figure as the pages show it: money in 万元, counts grouped, declarations yes/no."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return format_wan(value, 2) if money else format_number(value, None)


def comparison_rows(
    submission: FigureSubmission | None,
    figure: AnnualFigure | None,
    previous: AnnualFigure | None,
) -> dict[str, Any]:
    """Per declared field: the submitted value, the registry's, the official one (when the
    registry's row came from an official source), last year's, and whether the submitted value
    differs from the official one."""
    official = official_values(figure)
    rows = []
    for name in policy.ENTERPRISE_FIGURE_FIELDS:
        field = FigureSubmission._meta.get_field(name)
        money = (
            getattr(field, "decimal_places", None) == 2 and getattr(field, "max_digits", 0) == 18
        )
        label = getattr(field, "verbose_name", name)
        value = getattr(submission, name) if submission is not None else None
        off = official.get(name)
        current = getattr(figure, name) if figure is not None else None
        last = getattr(previous, name) if previous is not None else None
        rows.append(
            {
                "name": name,
                "label": _wan_label(label) if money else label,
                "submitted": value,
                "official": off,
                "previous": last,
                "submitted_text": display(value, money),
                "current_text": display(current, money),
                "official_text": display(off, money),
                "previous_text": display(last, money),
                "differs": off is not None and value is not None and value != off,
                "changed": value is not None and value != current,
            }
        )
    return {
        "rows": rows,
        "official_source": official_source_label(figure),
        "has_official": bool(official),
        "differences": [r for r in rows if r["differs"]],
    }


def review_queue(user: Any) -> QuerySet:
    """The submissions waiting for the user's review: the town officer's town's submitted ones,
    the bureau's passed by the town."""
    rows = FigureSubmission.objects.for_user(user).select_related("enterprise", "enterprise__town")
    if can(user, "figure_submissions.review"):
        return rows.filter(status=SubmissionStatus.TOWN_PASSED)
    if can(user, "figure_submissions.town_review"):
        return rows.filter(status=SubmissionStatus.SUBMITTED)
    return rows.none()


def review_actions(user: Any, submission: FigureSubmission) -> list[str]:
    """The review actions the user may take on `submission` (it is already in the user's
    scope): the transition table filtered by the user's capabilities."""
    held = {
        cap
        for cap in ("figure_submissions.town_review", "figure_submissions.review")
        if can(user, cap)
    }
    return flow.actions_from(submission.status, held)


def history_rows(submission: FigureSubmission) -> list[dict[str, Any]]:
    """Every step of the submission, newest first: when, who, the status and why."""
    return [
        {
            "when": h.history_date,
            "user": h.history_user,
            "status": h.get_status_display(),
            "reason": h.history_change_reason,
        }
        for h in submission.history.select_related(
            "history_user", "history_user__profile"
        ).order_by("-history_date", "-history_id")[:50]
    ]


def attachment_for(user: Any, pk: int) -> SubmissionAttachment:
    """Attachment `pk` inside the user's scope (404 otherwise)."""
    return get_object_for_user(
        SubmissionAttachment.objects.select_related("submission"), user, pk=pk
    )


def colleague_rows(enterprise: Enterprise) -> list[dict[str, Any]]:
    """The enterprise's accounts with their standing: administrator or colleague, active."""
    User = get_user_model()
    users = (
        User.objects.filter(profile__enterprise=enterprise, groups__name=Role.ENTERPRISE.value)
        .select_related("profile")
        .order_by("date_joined", "pk")
        .distinct()
    )
    memberships = {m.user_id: m for m in EnterpriseMembership.objects.filter(enterprise=enterprise)}
    rows = []
    for u in users:
        m = memberships.get(u.pk)
        rows.append(
            {
                "user": u,
                "name": getattr(u.profile, "display_name", "") or u.get_username(),
                "is_admin": m is None or m.is_admin,
                "is_active": u.is_active and (m is None or m.is_active),
                "joined": m.created_at if m is not None else u.date_joined,
            }
        )
    return rows


def open_invitations(enterprise: Enterprise) -> list[EnterpriseInvitation]:
    now = timezone.now()
    return list(
        EnterpriseInvitation.objects.filter(
            enterprise=enterprise, accepted_at__isnull=True, revoked_at__isnull=True
        )
        .filter(expires_at__gt=now)
        .select_related("created_by")
    )
