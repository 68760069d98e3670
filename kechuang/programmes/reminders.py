"""Notification kinds of programmes: a review seat assigned to an expert
(docs/notifications.md#kinds). Registered from ProgrammesConfig.ready()."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kechuang.notifications.registry import Reminder, register_kind

from .choices import AssignmentStatus, Stage
from .models import ReviewAssignment

__all__ = ["REVIEW_ASSIGNED", "review_assigned"]

REVIEW_ASSIGNED = "review_assigned"


def review_assigned(rule: Any, today: dt.date) -> Iterator[Reminder]:
    """Seats assigned to an expert with a user account and not yet declared on, to that
    expert, once per seat."""
    rows = (
        ReviewAssignment.objects.filter(
            status=AssignmentStatus.ASSIGNED, expert__user__isnull=False
        )
        .values("pk", "stage", "expert__user_id", "application__call__title")
        .order_by("pk")
    )
    stages = dict(Stage.choices)
    for r in rows:
        values = {"call": r["application__call__title"], "stage": stages.get(r["stage"], "")}
        yield Reminder(
            [r["expert__user_id"]],
            str(r["pk"]),
            gettext("You have a new review seat: %(call)s") % values,
            gettext("%(stage)s of “%(call)s”: declare any conflict of interest, then score.")
            % values,
            reverse("programmes:assignment_detail", kwargs={"pk": r["pk"]}),
            ("programmes.reviewassignment", r["pk"]),
        )


register_kind(
    REVIEW_ASSIGNED,
    _("Review assigned"),
    _("An application review or acceptance seat was assigned to the expert."),
    review_assigned,
    order=50,
)
