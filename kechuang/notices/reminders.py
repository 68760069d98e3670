"""Notification kinds of public notices: an objection received and not yet handled
(docs/notifications.md#kinds). Registered from NoticesConfig.ready()."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kechuang.core.roles import STAFF_ROLES
from kechuang.notifications.recipients import role_users
from kechuang.notifications.registry import Reminder, register_kind

from .choices import ObjectionStatus
from .models import Objection

__all__ = ["OBJECTION_RECEIVED", "objection_received"]

OBJECTION_RECEIVED = "objection_received"


def objection_received(rule: Any, today: dt.date) -> Iterator[Reminder]:
    """Objections still in the received state, to the bureau's staff (who handle objections),
    once per objection. The objector's name and contact are not repeated in the message."""
    rows = list(
        Objection.objects.filter(status=ObjectionStatus.RECEIVED)
        .values("pk", "receipt_no", "notice__title", "item__label")
        .order_by("pk")
    )
    if not rows:
        return
    staff = role_users(*STAFF_ROLES)
    for r in rows:
        values = {"notice": r["notice__title"], "item": r["item__label"], "no": r["receipt_no"]}
        yield Reminder(
            staff,
            str(r["pk"]),
            gettext("Objection %(no)s received") % values,
            gettext("Against “%(item)s” in the notice “%(notice)s”.") % values,
            reverse("notices:objection_detail", kwargs={"pk": r["pk"]}),
            ("notices.objection", r["pk"]),
        )


register_kind(
    OBJECTION_RECEIVED,
    _("Objection received"),
    _(
        "An objection to a public notice was received and waits to be handled; sent to bureau staff."
    ),
    objection_received,
    order=60,
)
