"""Reads of the enterprise registry: ladder counts and the records behind them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.core.datacache import memoised
from kechuang.core.permissions import Scope

from . import figures as fig
from .choices import UNICORN_TIERS, QualificationKind, QualificationStatus
from .file_models import EnterpriseContact, EnterpriseTagAssignment
from .models import AnnualFigure, Enterprise, IntellectualProperty, Qualification

__all__ = [
    "HISTORY_SOURCES",
    "annual_figure_counts",
    "change_reason_text",
    "enterprise_history",
    "ladder_counts",
    "ladder_figures",
    "qualification_validity",
    "valid_high_tech_series",
    "validity_date",
    "year_end",
]

# Titles held for their own year only (tech-SME registration numbers, growth titles).
PER_YEAR_KINDS = {QualificationKind.NATIONAL_TECH_SME, *UNICORN_TIERS}
HIGH_TECH_VALIDITY_YEARS = 3  # 国科发火〔2016〕32号 第九条: 自颁发证书之日起有效期为三年


def year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def validity_date(value: str | None = None) -> dt.date:
    """The date validity is judged on: ``value`` (YYYY-MM-DD) when given and valid, else today."""
    if value:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    return timezone.localdate()


def qualification_validity(q: Any, on: dt.date | None = None) -> str:
    """Whether qualification ``q`` is in force on ``on`` (today by default): one of
    ``valid``, ``expired``, ``revoked``, ``not_yet``. The one rule every page uses.

    Issued on or before ``on``; not revoked by then (a revocation without a date counts from
    the issue date); not past its last valid day: the stored expiry date, for a high-tech
    certificate the day before the third anniversary of issue when none is stored (32号 第九条),
    for a per-year title (tech-SME registration, growth titles) 31 December of its year.
    """
    on = on or timezone.localdate()
    if q.revoked_date is not None and q.revoked_date <= on:
        return "revoked"
    if q.status == QualificationStatus.REVOKED and q.revoked_date is None:
        return "revoked"
    if q.issue_date > on:
        return "not_yet"
    last = q.expiry_date
    if last is None and q.kind == QualificationKind.HIGH_TECH:
        issue = q.issue_date
        try:
            last = issue.replace(year=issue.year + HIGH_TECH_VALIDITY_YEARS)
        except ValueError:  # 29 February
            last = dt.date(issue.year + HIGH_TECH_VALIDITY_YEARS, 3, 1)
        last -= dt.timedelta(days=1)
    if last is None and q.kind in PER_YEAR_KINDS:
        last = year_end(q.year)
    return "expired" if last is not None and on > last else "valid"


def _valid_on(date: dt.date, prefix: str = "") -> Q:
    return (
        Q(**{f"{prefix}issue_date__lte": date})
        & (Q(**{f"{prefix}expiry_date__isnull": True}) | Q(**{f"{prefix}expiry_date__gte": date}))
        & (Q(**{f"{prefix}revoked_date__isnull": True}) | Q(**{f"{prefix}revoked_date__gt": date}))
    )


def ladder_filters(year: int) -> dict[str, Q]:
    """The filter behind each ladder figure for `year` (also used to build drill-down links).

    - tech SMEs are counted per evaluation year (docs/qualification-rules.md#registration-per-year), never as a stock;
    - provincial tech SMEs and cultivation enterprises by the year they entered / were recognised;
    - valid high-tech enterprises on 31 December (docs/qualification-rules.md#counting-valid-high-tech-enterprises);
    - unicorn-type tiers held in the year.
    """
    end = year_end(year)
    not_revoked = ~Q(status=QualificationStatus.REVOKED) | Q(revoked_date__gt=end)
    filters = {
        fig.TECH_SME_NATIONAL_FILED: Q(kind=QualificationKind.NATIONAL_TECH_SME, year=year)
        & not_revoked,
        fig.TECH_SME_PROVINCIAL_ENTERED: Q(kind=QualificationKind.PROVINCIAL_TECH_SME, year=year),
        fig.CULTIVATION_RECOGNISED: Q(kind=QualificationKind.MUNICIPAL_CULTIVATION, year=year),
        fig.HIGH_TECH_RECOGNISED: Q(kind=QualificationKind.HIGH_TECH, year=year),
        fig.HIGH_TECH_FIRST_BATCH_RECOGNISED: Q(
            kind=QualificationKind.HIGH_TECH, batch=f"{year}-1"
        ),
        fig.HIGH_TECH_VALID: Q(kind=QualificationKind.HIGH_TECH) & _valid_on(end),
    }
    for tier, key in fig.TIER_HELD.items():
        filters[key] = Q(kind=tier, year=year) & not_revoked
    return filters


def ladder_counts(year: int, queryset: Any = None) -> dict[str, int]:
    """Counts of distinct enterprises on each rung of the ladder in `year` (one query).

    queryset: Qualification rows to count (default: all; pass a scoped queryset for a slice).
    """
    qs = queryset if queryset is not None else Qualification.objects.all()
    aggregates = {
        key: Count("enterprise", distinct=True, filter=condition)
        for key, condition in ladder_filters(year).items()
    }
    return qs.aggregate(**aggregates)


def ladder_figures(year: int, scope: Scope | None = None) -> dict[str, int]:
    """Catalogue provider of the ladder figures for `year`: the whole region (scope None) or
    the enterprises of `scope`."""
    queryset = None if scope is None else Qualification.objects.all().in_scope(scope)
    return ladder_counts(year, queryset)


def valid_high_tech_series(years: list[int], queryset: Any = None) -> dict[int, int]:
    """Valid high-tech enterprises at each year's 31 December (one query).

    queryset: Qualification rows to count (default: all, reused while the data version is
    unchanged; pass a scoped queryset for a slice).
    """
    if queryset is None:
        return dict(memoised("valid_high_tech_series", _valid_high_tech_counts, tuple(years)))
    return _valid_high_tech_counts(years, queryset)


def _valid_high_tech_counts(years: Any, queryset: Any = None) -> dict[int, int]:
    qs = (queryset if queryset is not None else Qualification.objects.all()).filter(
        kind=QualificationKind.HIGH_TECH
    )
    result = qs.aggregate(
        **{
            f"y{y}": Count("enterprise", distinct=True, filter=_valid_on(year_end(y)))
            for y in years
        }
    )
    return {y: result[f"y{y}"] for y in years}


def change_reason_text(reason: str | None) -> str:
    """A history change reason as an officer reads it: ``import:<batch id>`` / ``import:<source>``
    (written by the import service) become 导入批次 #12 / 演示数据生成 …; other reasons are
    already written for people."""
    from kechuang.core.models import DataSource

    if not reason:
        return ""
    if reason.startswith("import:"):
        ref = reason.split(":", 1)[1]
        if ref.isdigit():
            return _("Import batch #%(id)s") % {"id": ref}
        if ref in DataSource.values:
            return str(DataSource(ref).label)
        return str(_("Import"))
    return reason


def annual_figure_counts() -> dict[int, int]:
    """Rows of yearly figures per year (one grouped query); core.years reads it for the
    default year of every page."""
    rows = AnnualFigure.objects.order_by().values_list("year").annotate(n=Count("id"))
    return {int(year): int(n) for year, n in rows}


# Other history-tracked models with an `enterprise` foreign key whose changes belong in an
# enterprise's history; higher apps add theirs from AppConfig.ready()
# (docs/architecture.md#registries).
HISTORY_SOURCES: list = []


def enterprise_history(enterprise: Any, *, limit: int = 50) -> list[dict]:
    """The change history of an enterprise and everything it owns, newest first.

    Each entry: {date, user, model, object, action, changes: [(field label, before, after)],
    reason}. One query per model (no per-record queries): consecutive historical records of the
    same object are compared in Python.
    """
    sources = [
        (Enterprise, {"id": enterprise.pk}),
        (AnnualFigure, {"enterprise_id": enterprise.pk}),
        (IntellectualProperty, {"enterprise_id": enterprise.pk}),
        (Qualification, {"enterprise_id": enterprise.pk}),
        (EnterpriseContact, {"enterprise_id": enterprise.pk}),
        (EnterpriseTagAssignment, {"enterprise_id": enterprise.pk}),
        *((model, {"enterprise_id": enterprise.pk}) for model in HISTORY_SOURCES),
    ]
    skip = {
        "history_id",
        "history_date",
        "history_change_reason",
        "history_type",
        "history_user",
        "history_user_id",
        "updated_at",
        "updated_by",
        "source_row",
        "import_batch",
        "created_at",
        "id",
    }
    entries = []
    for model, lookup in sources:
        fields = [
            f
            for f in model.history.model._meta.fields
            if f.attname not in skip and f.name not in skip
        ]
        records = list(
            model.history.filter(**lookup)
            .select_related("history_user")
            .order_by("id", "history_date", "history_id")
        )
        previous: dict = {}
        for record in records:
            before = previous.get(record.id)
            changes = []
            if before is not None and record.history_type == "~":
                for f in fields:
                    old, new = getattr(before, f.attname), getattr(record, f.attname)
                    if old != new:
                        changes.append((str(f.verbose_name), old, new))
            previous[record.id] = record
            entries.append(
                {
                    "date": record.history_date,
                    "user": record.history_user,
                    "model": model._meta.verbose_name,
                    "object": str(
                        getattr(record, "year", "")
                        or getattr(record, "number", "")
                        or getattr(record, "name", "")
                        or record.id
                    ),
                    "action": record.get_history_type_display(),
                    "type": record.history_type,
                    "changes": changes,
                    "reason": change_reason_text(record.history_change_reason),
                }
            )
    entries.sort(key=lambda e: e["date"], reverse=True)
    return entries[:limit]
