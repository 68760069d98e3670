"""Notifications and the bureau's reminder rules (docs/notifications.md).

A notification is addressed to one user and carries a dedupe key unique per recipient, so a
reminder computed again the next day (or by a second run of the daily job) is never stored or
sent twice. The rules are configuration of the bureau (docs/notifications.md#rules), audited
through their history; a user's mutes are the user's own choice.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .registry import KINDS

__all__ = ["Notification", "NotificationRule", "UserMute", "NotificationQuerySet"]


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user) -> NotificationQuerySet:
        """A user's own notifications: nobody, bureau admins included, reads another's."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One reminder or event message for one user: what it is about, where to go, whether it
    has been read and whether it was also sent by e-mail."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=48, db_index=True)
    key = models.CharField(_("dedupe key"), max_length=200)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), max_length=2000, blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    target_type = models.ForeignKey(
        ContentType,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("object type"),
    )
    target_id = models.PositiveBigIntegerField(_("object id"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["key", "recipient"],  # leads with the key: the daily job's lookup
                name="%(app_label)s_%(class)s_once_per_recipient",
                violation_error_message=_("This notification was already sent to this user."),
            )
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notif_recipient_unread")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def kind_label(self):
        kind = KINDS.get(self.kind)
        return kind.label if kind else self.kind


class NotificationRule(models.Model):
    """The bureau's setting of one notification kind: on or off, how long before the date it
    reminds (in the kind's unit), and whether it is also sent by e-mail."""

    kind = models.CharField(_("kind"), max_length=48, unique=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    lead = models.PositiveSmallIntegerField(
        _("lead time"),
        default=0,
        help_text=_("How long before the date the reminder is sent, in the unit shown"),
    )
    email = models.BooleanField(_("also by e-mail"), default=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["kind"]
        verbose_name = _("notification rule")
        verbose_name_plural = _("notification rules")

    def __str__(self) -> str:
        return self.kind

    @property
    def kind_label(self):
        kind = KINDS.get(self.kind)
        return kind.label if kind else self.kind

    @property
    def lead_unit(self) -> str:
        kind = KINDS.get(self.kind)
        return kind.lead_unit if kind else ""


class UserMute(models.Model):
    """A user does not want notifications of one kind (in the list or by e-mail)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_mutes",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=48)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["user", "kind"]
        verbose_name = _("muted kind")
        verbose_name_plural = _("muted kinds")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"],
                name="%(app_label)s_%(class)s_once",
                violation_error_message=_("This kind is already muted."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.kind}"
