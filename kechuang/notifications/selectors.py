"""Reads of the notifications app, always the user's own notifications (docs/notifications.md).

`latest_for(user, limit)` and `unread_count(user)` are for other apps (workbenches, the top bar).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import Notification, NotificationRule, UserMute
from .registry import KINDS, Kind, ordered_kinds

__all__ = [
    "latest_for",
    "unread_count",
    "notification_list",
    "kind_label",
    "muted_kinds",
    "rule_rows",
    "rule_history",
]


def notification_list(user: Any, state: str = "") -> QuerySet[Notification]:
    """The user's notifications, newest first; state "unread" or "read" filters them."""
    queryset = Notification.objects.for_user(user)
    if state == "unread":
        queryset = queryset.filter(read_at__isnull=True)
    elif state == "read":
        queryset = queryset.filter(read_at__isnull=False)
    return queryset.order_by("-created_at", "-pk")


def latest_for(user: Any, limit: int = 5) -> list[Notification]:
    """The user's newest notifications (read or not)."""
    return list(notification_list(user)[: max(0, limit)])


def unread_count(user: Any) -> int:
    """How many of the user's notifications are unread (0 for an anonymous visitor)."""
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.for_user(user).unread().count()


def kind_label(code: str) -> Any:
    kind = KINDS.get(code)
    return kind.label if kind else code


def muted_kinds(user: Any) -> set[str]:
    return set(UserMute.objects.filter(user=user).values_list("kind", flat=True))


def rule_rows() -> list[tuple[Kind, NotificationRule]]:
    """Each registered kind with its rule (the rules page); a kind never configured shows its
    defaults (the rule is stored the first time the daily job runs or the bureau saves it)."""
    rules = {r.kind: r for r in NotificationRule.objects.filter(kind__in=list(KINDS))}
    return [
        (
            kind,
            rules.get(kind.code)
            or NotificationRule(
                kind=kind.code, enabled=True, lead=kind.default_lead, email=kind.default_email
            ),
        )
        for kind in ordered_kinds()
    ]


def rule_history(limit: int = 20) -> list[Any]:
    """The latest changes of the rules, newest first, with who made them."""
    return list(
        NotificationRule.history.select_related("history_user").order_by("-history_date")[:limit]
    )
