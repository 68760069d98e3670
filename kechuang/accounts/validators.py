"""Password rules of GB/T 22239-2019 (MLPS 2.0) level 3, 8.1.4.1 a: passwords of adequate
complexity, changed periodically, not reused.

Used through AUTH_PASSWORD_VALIDATORS, so every form that sets a password applies them.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

__all__ = ["CharacterClassesValidator", "PasswordHistoryValidator"]


def _character_classes(password: str) -> int:
    """How many of the four classes (upper case, lower case, digits, symbols) the password uses."""
    return sum(
        (
            any(ch.isupper() for ch in password),
            any(ch.islower() for ch in password),
            any(ch.isdigit() for ch in password),
            any(not ch.isalnum() for ch in password),
        )
    )


class CharacterClassesValidator:
    """At least `min_classes` of: upper-case letters, lower-case letters, digits, symbols."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        if _character_classes(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return _(
            "The password must use at least %(n)d of these four kinds of characters: "
            "upper-case letters, lower-case letters, digits and symbols."
        ) % {"n": self.min_classes}


class PasswordHistoryValidator:
    """The new password is none of the user's last `keep` passwords; records each new one.

    `password_changed()` is called by Django after every save of a new password
    (django.contrib.auth.password_validation.password_changed), so the history and the
    password's age (used by the expiry policy) are kept on every path that sets a password.
    """

    def __init__(self, keep: int = 5):
        self.keep = keep

    def validate(self, password: str, user=None) -> None:
        if user is None or not getattr(user, "pk", None):
            return
        from .models import PasswordHistory

        hashes = PasswordHistory.objects.filter(user=user).values_list("password", flat=True)
        for encoded in hashes[: self.keep]:
            if check_password(password, encoded):
                raise ValidationError(self.get_help_text(), code="password_reused")

    def password_changed(self, password: str, user=None) -> None:
        if user is None or not getattr(user, "pk", None):
            return
        from .models import PasswordHistory

        PasswordHistory.objects.create(user=user, password=make_password(password))
        stale = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[self.keep :]
        PasswordHistory.objects.filter(pk__in=list(stale)).delete()

    def get_help_text(self) -> str:
        return _("The password must differ from your last %(n)d passwords.") % {"n": self.keep}


def password_max_age_days() -> int:
    return int(getattr(settings, "KECHUANG_PASSWORD_MAX_AGE_DAYS", 0) or 0)
