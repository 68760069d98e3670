"""The daily reminder job (django-tasks): every registered generator once for the day
(docs/notifications.md#daily-job). Tasks import services, never the reverse."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from .services import run_daily

__all__ = ["notify_daily"]


@task()
def notify_daily(day: str | None = None) -> dict[str, int]:
    """Run the day's reminders (`day` as YYYY-MM-DD, today when omitted); idempotent."""
    return run_daily(dt.date.fromisoformat(day) if day else None)
