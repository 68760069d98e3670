"""The bureau admin's writes of other users' accounts (the console): create, change, deactivate,
activate and reset the password. Each write leaves an account event (GB/T 22239-2019 8.1.4.3:
security audit of user behaviour) naming who did it; the profile keeps its own history.
"""

from __future__ import annotations

import secrets
import string
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kechuang.core.roles import Role

from .models import AccountEventKind, Profile
from .services import event_record, roles_ensure

__all__ = [
    "account_save",
    "account_set_active",
    "password_reset_temporary",
    "temporary_password",
]

# The profile fields the console sets; the others (bindings of higher apps) are their apps'.
PROFILE_FIELDS = ("display_name", "department", "town", "enterprise")


def temporary_password(length: int = 14) -> str:
    """A random password with the four kinds of characters the password rules ask for."""
    alphabet = string.ascii_letters + string.digits
    while True:
        core = "".join(secrets.choice(alphabet) for _ in range(length - 2))
        password = f"{core[:6]}-{core[6:]}{secrets.choice('#%+')}"
        if (
            any(c.isupper() for c in core)
            and any(c.islower() for c in core)
            and any(c.isdigit() for c in core)
        ):
            return password


def _label(value: Any) -> str:
    return "—" if value in (None, "") else str(value)


@transaction.atomic
def account_save(
    *,
    actor: Any,
    role: Role,
    profile: dict[str, Any],
    username: str = "",
    user: Any = None,
    request: Any = None,
) -> tuple[Any, list[str]]:
    """Create an account (`user` None; it gets no usable password until one is reset) or change
    one: its role and profile fields. Returns the user and the changes, recorded as one event.

    Raises ValidationError with field messages (a taken user name, a role without its binding).
    """
    User = get_user_model()
    created = user is None
    if created:
        username = (username or "").strip()
        if not username:
            raise ValidationError({"username": [_("Enter a user name.")]})
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError({"username": [_("This user name is taken.")]})
        user = User(username=username)
        user.set_unusable_password()
        user.full_clean(exclude=["password"])
    if not created and user.pk == getattr(actor, "pk", None) and role != Role.BUREAU_ADMIN:
        raise ValidationError(
            {"role": [_("You cannot take the admin role from your own account.")]}
        )
    if role == Role.TOWN_OFFICER and profile.get("town") is None:
        raise ValidationError({"town": [_("A town officer needs a town.")]})
    if role == Role.ENTERPRISE and profile.get("enterprise") is None:
        raise ValidationError({"enterprise": [_("An enterprise user needs an enterprise.")]})
    changes: list[str] = []
    names = set() if created else set(user.groups.values_list("name", flat=True))
    old_role = next((r for r in Role if r.value in names), None)
    if not created and user.is_superuser:
        old_role = Role.BUREAU_ADMIN
    if old_role != role:
        changes.append(f"{_('role')}: {_label(old_role and old_role.label)} → {role.label}")
    user.is_superuser = user.is_staff = role == Role.BUREAU_ADMIN
    user.save()
    user.groups.set([roles_ensure()[role.value]])
    row = Profile.objects.filter(user=user).first() or Profile(user=user)
    for name in PROFILE_FIELDS:
        value = profile.get(name, "" if name in ("display_name", "department") else None)
        if getattr(row, name) != value:
            if not created:
                label = getattr(Profile._meta.get_field(name), "verbose_name", name)
                changes.append(f"{label}: {_label(getattr(row, name))} → {_label(value)}")
            setattr(row, name, value)
    row._history_user = actor  # type: ignore[attr-defined]
    row.full_clean(exclude=["user"])
    row.save()
    user._kechuang_role = role
    if created or changes:
        event_record(
            AccountEventKind.USER_CREATED if created else AccountEventKind.USER_CHANGED,
            actor=actor,
            user=user,
            detail=str(role.label) if created else "；".join(changes),
            request=request,
        )
    return user, changes


@transaction.atomic
def account_set_active(*, actor: Any, user: Any, active: bool, request: Any = None) -> bool:
    """Deactivate (the user can no longer sign in; records stay) or activate an account.
    Returns whether anything changed; an admin cannot deactivate their own account."""
    if not active and user.pk == getattr(actor, "pk", None):
        raise ValidationError({"is_active": [_("You cannot deactivate your own account.")]})
    if user.is_active == active:
        return False
    user.is_active = active
    user.save(update_fields=["is_active"])
    event_record(
        AccountEventKind.USER_ACTIVATED if active else AccountEventKind.USER_DEACTIVATED,
        actor=actor,
        user=user,
        request=request,
    )
    return True


@transaction.atomic
def password_reset_temporary(*, actor: Any, user: Any, request: Any = None) -> str:
    """Give the account a temporary password, returned once (never stored in clear); the user
    must choose a new one at the next login (the password change page comes first)."""
    password = temporary_password()
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    row = Profile.objects.filter(user=user).first() or Profile(user=user)
    row.must_change_password = True
    row._history_user = actor  # type: ignore[attr-defined]
    row.save()
    event_record(AccountEventKind.PASSWORD_RESET, actor=actor, user=user, request=request)
    return password
