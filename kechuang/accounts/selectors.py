"""Reads of the account pages: the user's authenticator app, API tokens and security events."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import AccountEvent, ApiToken

__all__ = ["confirmed_device", "security_summary", "user_tokens"]


def confirmed_device(user: Any) -> TOTPDevice | None:
    """The user's authenticator app in use (None when two-factor sign-in is off)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def security_summary(user: Any) -> dict[str, Any]:
    """Second factor on or off, active API tokens and the latest security events."""
    return {
        "otp_enabled": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
        "active_tokens": ApiToken.objects.filter(user=user, revoked_at__isnull=True).count(),
        "events": AccountEvent.objects.filter(user=user).select_related("actor")[:20],
    }


def user_tokens(user: Any) -> QuerySet:
    return ApiToken.objects.filter(user=user)
