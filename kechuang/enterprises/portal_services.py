"""Writes of the enterprise portal's colleagues (docs/portal.md#colleagues).

The enterprise's administrator (the account the bureau created, or a colleague it made
administrator) invites colleagues: an invitation carries a one-time link, shown once and e-mailed
when mail is configured; with it the colleague chooses a user name and a password (the project's
password validators) and becomes an enterprise account of the same enterprise. The administrator
can withdraw an open invitation and deactivate a colleague. Every write is in the history of the
membership or invitation (django-simple-history), with who did it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.accounts.services import user_create
from kechuang.core.access import can
from kechuang.core.permissions import user_role
from kechuang.core.roles import Role
from kechuang.core.validators import validate_single_line

from .models import Enterprise, EnterpriseInvitation, EnterpriseMembership

__all__ = [
    "INVITATION_DAYS",
    "invitation_key_hash",
    "is_enterprise_admin",
    "invitation_create",
    "invitation_withdraw",
    "invitation_for_key",
    "invitation_accept",
    "colleague_deactivate",
]

INVITATION_DAYS = 7  # default validity of an invitation link (KECHUANG_INVITATION_DAYS)


def invitation_key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _own_enterprise_id(user: Any) -> int | None:
    return getattr(getattr(user, "profile", None), "enterprise_id", None)


def is_enterprise_admin(user: Any) -> bool:
    """Whether the user administers its enterprise's colleagues: an enterprise account of an
    enterprise, active, and either flagged administrator or created by the bureau (no
    membership row)."""
    if user_role(user) != Role.ENTERPRISE or _own_enterprise_id(user) is None:
        return False
    membership = EnterpriseMembership.objects.filter(user=user).first()
    if membership is None:
        return True
    return membership.is_active and membership.is_admin


def _require_admin(user: Any) -> Enterprise:
    if not (can(user, "portal.colleagues") and is_enterprise_admin(user)):
        raise PermissionDenied(_("Only the enterprise's administrator manages its colleagues."))
    return Enterprise.objects.get(pk=int(_own_enterprise_id(user) or 0))


def _history_user(obj: Any, user: Any) -> None:
    obj._history_user = user if getattr(user, "is_authenticated", False) else None


def _mail_configured() -> bool:
    backend = getattr(settings, "EMAIL_BACKEND", "")
    if backend.endswith("smtp.EmailBackend"):
        return getattr(settings, "EMAIL_HOST", "localhost") not in ("", "localhost")
    return bool(backend) and not backend.endswith("dummy.EmailBackend")


def invitation_create(
    *, user: Any, name: str, email: str = "", link_for: Any = None
) -> tuple[EnterpriseInvitation, str]:
    """Invite a colleague to the administrator's enterprise. Returns the invitation and the
    one-time key (shown once; only its hash is stored). `link_for(key)` builds the link the
    e-mail carries when mail is configured and an address is given."""
    enterprise = _require_admin(user)
    name = (name or "").strip()
    email = (email or "").strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Give the colleague's name.")]
    days = int(getattr(settings, "KECHUANG_INVITATION_DAYS", INVITATION_DAYS))
    key = secrets.token_urlsafe(32)
    invitation = EnterpriseInvitation(
        enterprise=enterprise,
        name=name[:64],
        email=email,
        key_hash=invitation_key_hash(key),
        created_by=user,
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    try:
        invitation.full_clean(exclude=["key_hash"])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    _history_user(invitation, user)
    invitation.save()
    if email and link_for is not None and _mail_configured():
        send_mail(
            _("Invitation to the enterprise portal of %(name)s") % {"name": enterprise.name},
            _(
                "%(inviter)s invites you to fill in the figures of %(name)s on the science and "
                "technology bureau's platform. Open this link within %(days)s days to choose "
                "your user name and password (it works once):\n\n%(link)s"
            )
            % {
                "inviter": user.get_username(),
                "name": enterprise.name,
                "days": days,
                "link": link_for(key),
            },
            None,
            [email],
            fail_silently=True,
        )
    return invitation, key


def invitation_withdraw(*, user: Any, invitation: EnterpriseInvitation) -> EnterpriseInvitation:
    """Withdraw an open invitation of the administrator's enterprise (its link stops working)."""
    enterprise = _require_admin(user)
    if invitation.enterprise_id != enterprise.pk:
        raise PermissionDenied(_("You may not change this record."))
    if not invitation.is_open():
        raise ValidationError({"invitation": [_("This invitation is no longer open.")]})
    invitation.revoked_at = timezone.now()
    _history_user(invitation, user)
    invitation.save()
    return invitation


def invitation_for_key(key: str) -> EnterpriseInvitation | None:
    """The open invitation of a link's key (None when unknown, used, withdrawn or expired)."""
    if not key or len(key) > 128:
        return None
    invitation = (
        EnterpriseInvitation.objects.select_related("enterprise")
        .filter(key_hash=invitation_key_hash(key))
        .first()
    )
    return invitation if invitation is not None and invitation.is_open() else None


def invitation_accept(*, key: str, username: str, password: str) -> Any:
    """Create the colleague's enterprise account from an open invitation (once). The password
    passes the project's password validators; the user name must be free."""
    username = (username or "").strip()
    with transaction.atomic():
        invitation = invitation_for_key(key)
        if invitation is None:
            raise ValidationError(
                {"key": [_("This invitation link is not valid any more. Ask for a new one.")]}
            )
        invitation = EnterpriseInvitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.is_open():
            raise ValidationError(
                {"key": [_("This invitation link is not valid any more. Ask for a new one.")]}
            )
        errors: dict[str, list[str]] = {}
        User = get_user_model()
        if not username:
            errors["username"] = [_("Choose a user name.")]
        else:
            try:
                User.username_validator(username)
                validate_single_line(username)
            except ValidationError as exc:
                errors["username"] = exc.messages
            if len(username) > 150:
                errors.setdefault("username", []).append(_("At most 150 characters."))
            if User.objects.filter(username__iexact=username).exists():
                errors.setdefault("username", []).append(_("This user name is taken."))
        try:
            validate_password(password, User(username=username, email=invitation.email))
        except ValidationError as exc:
            errors["password"] = exc.messages
        if errors:
            raise ValidationError(errors)
        user = user_create(
            username=username,
            password=password,
            role=Role.ENTERPRISE,
            display_name=invitation.name,
            enterprise=invitation.enterprise,
        )
        if invitation.email:
            user.email = invitation.email
            user.save(update_fields=["email"])
        membership = EnterpriseMembership(
            user=user, enterprise=invitation.enterprise, invited_by=invitation.created_by
        )
        _history_user(membership, user)
        membership.save()
        invitation.accepted_at = timezone.now()
        invitation.accepted_user = user
        _history_user(invitation, user)
        invitation.save()
    return user


def colleague_deactivate(*, user: Any, colleague: Any) -> EnterpriseMembership:
    """Deactivate a colleague of the administrator's enterprise: the account can no longer sign
    in. The administrator cannot deactivate itself."""
    enterprise = _require_admin(user)
    if _own_enterprise_id(colleague) != enterprise.pk or user_role(colleague) != Role.ENTERPRISE:
        raise PermissionDenied(_("You may not change this record."))
    if colleague.pk == user.pk:
        raise ValidationError({"user": [_("You cannot deactivate your own account.")]})
    with transaction.atomic():
        membership, _created = EnterpriseMembership.objects.get_or_create(
            user=colleague, defaults={"enterprise": enterprise}
        )
        membership.is_active = False
        membership.deactivated_at = timezone.now()
        _history_user(membership, user)
        membership._change_reason = _("Deactivated by the enterprise's administrator")  # type: ignore[attr-defined]
        membership.save()
        colleague.is_active = False
        colleague.save(update_fields=["is_active"])
    return membership
