"""Reads of stored reports (the list on /reports/ and the leadership view's "latest report"),
of the bureau's paragraph wording, and of the date the report's data stand at."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max, QuerySet
from django.utils import timezone

from .models import Report, ReportParagraph

__all__ = ["report_list", "latest_report", "paragraph_texts", "data_as_of"]


def report_list(*, limit: int = 50) -> QuerySet[Report]:
    """Stored reports, newest first, without their file content (one query)."""
    return Report.objects.defer("content").select_related("generated_by__profile")[:limit]


def latest_report(*, fmt: str | None = None, year: int | None = None) -> Report | None:
    """The most recently generated report (of a format and/or year), without its content."""
    qs = Report.objects.defer("content").select_related("generated_by__profile")
    if fmt:
        qs = qs.filter(format=fmt)
    if year:
        qs = qs.filter(year=year)
    return qs.first()


def paragraph_texts() -> dict[str, str]:
    """The bureau's wording of every edited paragraph, by key (one query)."""
    return dict(ReportParagraph.objects.values_list("key", "text"))


def data_as_of(year: int) -> dt.date:
    """The date the report's data stand at: the latest day on which a record the report counts
    (yearly figures of the year and the year before, qualifications, R&D institutions), an
    enterprise's figure submission was accepted, or an import was committed; today when there is
    none (one query per source)."""
    from kechuang.enterprises.choices import SubmissionStatus
    from kechuang.enterprises.models import AnnualFigure, FigureSubmission, Qualification
    from kechuang.imports.models import ImportBatch, ImportStatus
    from kechuang.platforms.models import RDInstitution

    moments = [
        AnnualFigure.objects.filter(year__in=(year - 1, year)).aggregate(m=Max("updated_at"))["m"],
        Qualification.objects.aggregate(m=Max("updated_at"))["m"],
        RDInstitution.objects.aggregate(m=Max("updated_at"))["m"],
        FigureSubmission.objects.filter(
            status=SubmissionStatus.ACCEPTED, year__in=(year - 1, year)
        ).aggregate(m=Max("reviewed_at"))["m"],
        ImportBatch.objects.filter(status=ImportStatus.COMMITTED, dry_run=False).aggregate(
            m=Max("finished_at")
        )["m"],
    ]
    today = timezone.localdate()
    dates = [timezone.localtime(m).date() for m in moments if m is not None]
    return min(max(dates), today) if dates else today
