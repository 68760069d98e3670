"""Reads of stored reports (the list on /reports/ and the leadership view's "latest report")."""

from __future__ import annotations

from .models import Report

__all__ = ["report_list", "latest_report"]


def report_list(*, limit: int = 50):
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
