"""Writes of users, roles and account security (passwords, lockouts, API tokens, second factor)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from kechuang.core.roles import Role

from .models import AccountEvent, AccountEventKind, ApiToken, PasswordHistory, Profile

__all__ = [
    "event_record",
    "lockout_release",
    "otp_device_confirm",
    "otp_device_pending",
    "otp_device_remove",
    "password_change",
    "password_expired",
    "roles_ensure",
    "token_create",
    "token_hash",
    "token_revoke",
    "user_create",
]


def roles_ensure() -> dict[str, Group]:
    """Create the role groups of domain.md's role table if missing; return them by role value."""
    return {role.value: Group.objects.get_or_create(name=role.value)[0] for role in Role}


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: Role,
    display_name: str = "",
    town: Any = None,
    enterprise: Any = None,
) -> Any:
    """Create (or reset) a user with one role and the profile links the role needs.

    A bureau admin is also a Django superuser (the Django admin is theirs).
    """
    groups = roles_ensure()
    User = get_user_model()
    user, _created = User.objects.get_or_create(username=username)
    user.set_password(password)
    user.is_superuser = user.is_staff = role == Role.BUREAU_ADMIN
    user.save()
    user.groups.set([groups[role.value]])
    Profile.objects.update_or_create(
        user=user, defaults={"display_name": display_name, "town": town, "enterprise": enterprise}
    )
    return user


# ------------------------------------------------------------------ audit


def _client_ip(request: Any) -> str | None:
    if request is None:
        return None
    return getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR")


def event_record(
    kind: AccountEventKind,
    *,
    actor: Any,
    user: Any = None,
    username: str = "",
    detail: str = "",
    request: Any = None,
) -> AccountEvent:
    """Write one audit record of a change to an account's security (GB/T 22239-2019 8.1.4.3)."""
    return AccountEvent.objects.create(
        kind=kind,
        actor=actor if getattr(actor, "pk", None) else None,
        user=user,
        username=username or (user.get_username() if user is not None else ""),
        detail=detail[:255],
        ip_address=_client_ip(request),
    )


# ------------------------------------------------------------------ passwords


def password_changed_at(user: Any) -> Any:
    """When the user's current password was set (the account's creation if never changed)."""
    latest = PasswordHistory.objects.filter(user=user).values_list("created_at", flat=True).first()
    return latest or user.date_joined


def password_expired(user: Any) -> bool:
    """True if an administrator reset the password (a temporary one is changed at the next
    login) or it is older than KECHUANG_PASSWORD_MAX_AGE_DAYS (0: never expires)."""
    if Profile.objects.filter(user=user, must_change_password=True).exists():
        return True
    days = int(getattr(settings, "KECHUANG_PASSWORD_MAX_AGE_DAYS", 0) or 0)
    if days <= 0 or not user.has_usable_password():
        return False
    return password_changed_at(user) < timezone.now() - timedelta(days=days)


@transaction.atomic
def password_change(*, user: Any, new_password: str, request: Any = None) -> None:
    """Set a new (already validated) password; the history entry is written by the validator."""
    user.set_password(new_password)
    user.save(update_fields=["password"])
    profile = Profile.objects.filter(user=user, must_change_password=True).first()
    if profile is not None:  # the temporary password of a reset is replaced
        profile.must_change_password = False
        profile._history_user = user  # type: ignore[attr-defined]
        profile.save(update_fields=["must_change_password"])
    event_record(AccountEventKind.PASSWORD_CHANGED, actor=user, user=user, request=request)


# ------------------------------------------------------------------ lockouts


@transaction.atomic
def lockout_release(*, actor: Any, username: str, request: Any = None) -> int:
    """Delete the failed-login records of an account (from every IP); audited."""
    from axes.handlers.proxy import AxesProxyHandler

    count = AxesProxyHandler.reset_attempts(username=username)
    user = get_user_model().objects.filter(username=username).first()
    event_record(
        AccountEventKind.LOCKOUT_RELEASED,
        actor=actor,
        user=user,
        username=username,
        detail=str(count),
        request=request,
    )
    return count


# ------------------------------------------------------------------ API tokens


def token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def token_create(
    *, user: Any, name: str, days: int | None = None, request: Any = None
) -> tuple[ApiToken, str]:
    """Create a token; return it and its key. The key is not stored and cannot be shown again."""
    days = days or int(getattr(settings, "KECHUANG_API_TOKEN_DAYS", 90))
    key = "kc_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=key[:10],
        key_hash=token_hash(key),
        expires_at=timezone.now() + timedelta(days=days),
    )
    event_record(
        AccountEventKind.TOKEN_CREATED, actor=user, user=user, detail=token.prefix, request=request
    )
    return token, key


@transaction.atomic
def token_revoke(*, token: ApiToken, actor: Any, request: Any = None) -> None:
    if token.revoked_at is not None:
        return
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    event_record(
        AccountEventKind.TOKEN_REVOKED,
        actor=actor,
        user=token.user,
        detail=token.prefix,
        request=request,
    )


# ------------------------------------------------------------------ TOTP second factor


def otp_device_pending(*, user: Any, name: str) -> Any:
    """The user's authenticator app being set up: the unconfirmed one, or a new one (it is
    in use, and audited, only once confirmed with a code: `otp_device_confirm`)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=name, confirmed=False)
    return device


@transaction.atomic
def otp_device_confirm(*, device: Any, request: Any = None) -> None:
    """Mark a verified TOTP device as in use; other devices of the user are removed."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    event_record(
        AccountEventKind.OTP_ENROLLED, actor=device.user, user=device.user, request=request
    )


@transaction.atomic
def otp_device_remove(*, user: Any, actor: Any, request: Any = None) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if TOTPDevice.objects.filter(user=user).delete()[0]:
        event_record(AccountEventKind.OTP_REMOVED, actor=actor, user=user, request=request)
