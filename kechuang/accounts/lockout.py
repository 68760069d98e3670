"""Login lockout (GB/T 22239-2019 8.1.4.1 b: end the session, limit failed logins, lock out).

django-axes records every failure by (user name, IP, user agent). An account is locked from one
IP after AXES_FAILURE_LIMIT failures from that IP, and from every IP after
KECHUANG_LOCKOUT_USERNAME_LIMIT failures in total, so one office behind a shared IP is never
locked out by somebody else's typing. Locks end after AXES_COOLOFF_TIME or when a bureau admin
releases them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

__all__ = ["LockoutHandler", "Lockout", "locked_accounts", "lockout_response", "remaining_minutes"]


def _username_limit() -> int:
    return int(getattr(settings, "KECHUANG_LOCKOUT_USERNAME_LIMIT", 20))


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with its own threshold for the account-wide count.

    The lockout parameters are [[username, ip_address], username]; axes takes the larger of the
    two counts against one limit, so the account-wide count is reported as "at the limit" only
    once it reaches its own, higher limit.
    """

    def get_failures(self, request, credentials=None) -> int:
        attempts_list = self.get_user_attempts(request, credentials)
        counts = [
            qs.aggregate(total=Sum("failures_since_start"))["total"] or 0 for qs in attempts_list
        ]
        if not counts:
            return 0
        pair = counts[0]
        if len(counts) > 1 and counts[1] >= _username_limit():
            return max(pair, int(settings.AXES_FAILURE_LIMIT))
        return pair


def _cool_off():
    return get_cool_off() or timezone.timedelta(0)


def remaining_minutes(username: str, ip_address: str | None) -> int:
    """Whole minutes (rounded up) until a lock on this account (from this IP) ends."""
    now = timezone.now()
    threshold = now - _cool_off()
    recent = AccessAttempt.objects.filter(username=username, attempt_time__gte=threshold)
    candidates = []
    pair = recent.filter(ip_address=ip_address).aggregate(
        n=Sum("failures_since_start"), last=Max("attempt_time")
    )
    if (pair["n"] or 0) >= settings.AXES_FAILURE_LIMIT:
        candidates.append(pair["last"])
    total = recent.aggregate(n=Sum("failures_since_start"), last=Max("attempt_time"))
    if (total["n"] or 0) >= _username_limit():
        candidates.append(total["last"])
    if not candidates:
        return 0
    ends = max(candidates) + _cool_off()
    return max(1, math.ceil((ends - now).total_seconds() / 60))


def lockout_response(request, original_response=None, credentials=None):
    """The login page again, with a Chinese message saying how long the lock lasts (HTTP 429)."""
    from .forms import LoginForm

    username = get_client_username(request, credentials) or ""
    minutes = remaining_minutes(username, getattr(request, "axes_ip_address", None))
    message = _(
        "Too many failed log-ins: this account is locked for %(minutes)d more minutes. "
        "Try again later or ask the bureau's system administrator to release it."
    ) % {"minutes": minutes}
    form = LoginForm(request, initial={"username": username})
    return render(
        request,
        "accounts/login.html",
        {"form": form, "lockout_message": message, "next": request.POST.get("next", "")},
        status=429,
    )


@dataclass(frozen=True)
class Lockout:
    """One locked account: from which IP (None: from every IP), until when."""

    username: str
    ip_address: str | None
    failures: int
    until: datetime


def locked_accounts() -> list[Lockout]:
    """Every lock in force now, newest first (one grouped query per kind of lock)."""
    now = timezone.now()
    cool_off = _cool_off()
    recent = (
        AccessAttempt.objects.filter(attempt_time__gte=now - cool_off)
        .exclude(username__isnull=True)
        .exclude(username="")
    )
    locks: list[Lockout] = []
    by_user = {
        row["username"]: row
        for row in recent.values("username").annotate(
            n=Sum("failures_since_start"), last=Max("attempt_time")
        )
        if row["n"] >= _username_limit()
    }
    for username, row in by_user.items():
        locks.append(Lockout(username, None, row["n"], row["last"] + cool_off))
    for row in recent.values("username", "ip_address").annotate(
        n=Sum("failures_since_start"), last=Max("attempt_time")
    ):
        if row["n"] >= settings.AXES_FAILURE_LIMIT and row["username"] not in by_user:
            locks.append(
                Lockout(row["username"], row["ip_address"], row["n"], row["last"] + cool_off)
            )
    locks.sort(key=lambda lock: lock.until, reverse=True)
    return locks
