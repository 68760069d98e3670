"""User profiles: the links a role needs (a town officer's town, an enterprise user's enterprise)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

__all__ = [
    "AccountEvent",
    "AccountEventKind",
    "ApiToken",
    "ListPreference",
    "PasswordHistory",
    "Profile",
    "SavedListView",
]


class Profile(models.Model):
    """Per-user links used by role scoping; the role itself is the user's group (core.roles)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField(_("display name"), max_length=64, blank=True)
    town = models.ForeignKey(
        "regions.Town",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("town/street"),
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("enterprise"),
    )
    # The bureau staff member's section (科室), e.g. 高新科; empty for other roles.
    department = models.CharField(_("department"), max_length=64, blank=True)
    # Set when an administrator resets the password: the user chooses a new one at next login.
    must_change_password = models.BooleanField(_("must change password"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return self.display_name or self.user.get_username()


class AccountEventKind(models.TextChoices):
    """The security-relevant account events kept in the audit trail (GB/T 22239-2019 8.1.4.3)."""

    PASSWORD_CHANGED = "password_changed", _("Password changed")
    LOCKOUT_RELEASED = "lockout_released", _("Login lockout released")
    TOKEN_CREATED = "token_created", _("API token created")
    TOKEN_REVOKED = "token_revoked", _("API token revoked")
    OTP_ENROLLED = "otp_enrolled", _("Two-factor authentication enabled")
    OTP_REMOVED = "otp_removed", _("Two-factor authentication disabled")
    USER_CREATED = "user_created", _("Account created")
    USER_CHANGED = "user_changed", _("Account changed")
    USER_DEACTIVATED = "user_deactivated", _("Account deactivated")
    USER_ACTIVATED = "user_activated", _("Account activated")
    PASSWORD_RESET = "password_reset", _("Password reset by an administrator")


class AccountEvent(models.Model):
    """One audit record of a write to an account's security settings: who did what, to whom, when."""

    kind = models.CharField(_("event"), max_length=32, choices=AccountEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("account"),
    )
    username = models.CharField(_("user name"), max_length=150, blank=True)
    detail = models.CharField(_("detail"), max_length=255, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("account event")
        verbose_name_plural = _("account events")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.username}"


class PasswordHistory(models.Model):
    """A salted hash of a password the user had, so it is not reused, and when it was set."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="password_history",
        verbose_name=_("user"),
    )
    password = models.CharField(_("password hash"), max_length=128)
    created_at = models.DateTimeField(_("set at"), auto_now_add=True)

    class Meta:
        verbose_name = _("password history entry")
        verbose_name_plural = _("password history")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"], name="accounts_pwhist_user_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.created_at:%Y-%m-%d}"


class ApiToken(models.Model):
    """A personal API token. Only the SHA-256 hash of the key is stored; the key is shown once.

    The prefix (first characters of the key) lets the owner tell tokens apart without the key.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=64)
    prefix = models.CharField(_("prefix"), max_length=12)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["key_hash"])

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_active(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now


# ------------------------------------------------------------------ list preferences


class ListPreference(models.Model):
    """The columns a user chose for one list page (the list's URL name is its key)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="list_preferences",
        verbose_name=_("user"),
    )
    list_key = models.CharField(_("list"), max_length=100)
    columns = models.JSONField(_("columns"), default=list, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("list preference")
        verbose_name_plural = _("list preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "list_key"],
                name="%(app_label)s_%(class)s_unique_user_list",
                violation_error_message=_("This list already has a column choice."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.list_key}"


class SavedListView(models.Model):
    """A user's named view of a list: its filters and sort (the query string) and columns."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="saved_list_views",
        verbose_name=_("user"),
    )
    list_key = models.CharField(_("list"), max_length=100)
    name = models.CharField(_("name"), max_length=64)
    query = models.CharField(_("filters and sort"), max_length=2000, blank=True)
    columns = models.JSONField(_("columns"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "list_key", "name"],
                name="%(app_label)s_%(class)s_unique_user_list_name",
                violation_error_message=_("You already have a view with this name on this list."),
            )
        ]

    def __str__(self) -> str:
        return self.name
