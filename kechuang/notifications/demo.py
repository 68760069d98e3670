"""Demo extension: the daily reminder job for the build day, so the demo users find their
certificate, task, review and report reminders in the bell (idempotent: a second build adds
nothing, docs/notifications.md#daily-job)."""

from __future__ import annotations

from .services import run_daily

__all__ = ["notifications_demo"]


def notifications_demo(*, generated: bool) -> None:
    run_daily()
