"""The enterprise portal's own records (docs/portal.md): the documents attached to a yearly-figure
submission, the colleagues of an enterprise account and the invitations that add them.

Imported at the end of models.py so Django registers them with the enterprises app.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kechuang.core.models import ScopedQuerySet
from kechuang.core.validators import validate_single_line

from .choices import AttachmentKind

__all__ = ["SubmissionAttachment", "EnterpriseMembership", "EnterpriseInvitation"]


class AttachmentQuerySet(ScopedQuerySet):
    enterprise_path = "submission__enterprise__"


class SubmissionAttachment(models.Model):
    """A document kept with a yearly-figure submission (financial statements, the R&D expense
    auxiliary ledger); its size and content are checked on upload (docs/portal.md#attachments)."""

    submission = models.ForeignKey(
        "enterprises.FigureSubmission",
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("figure submission"),
    )
    kind = models.CharField(
        _("document"), max_length=32, choices=AttachmentKind.choices, default=AttachmentKind.OTHER
    )
    file = models.FileField(_("file"), upload_to="submissions/%Y/%m/")
    name = models.CharField(_("file name"), max_length=255, validators=[validate_single_line])
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    history = HistoricalRecords()
    objects = AttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["submission_id", "kind", "pk"]
        verbose_name = _("submission attachment")
        verbose_name_plural = _("submission attachments")

    def __str__(self) -> str:
        return self.name


class EnterpriseOwnedRows(ScopedQuerySet):
    enterprise_path = "enterprise__"


class EnterpriseMembership(models.Model):
    """The binding of an enterprise account to its enterprise with its standing there: the
    enterprise's administrator invites and deactivates colleagues (docs/portal.md#colleagues).
    An enterprise account without a membership row was created by the bureau and counts as its
    enterprise's administrator."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="enterprise_membership",
        verbose_name=_("user"),
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("enterprise"),
    )
    is_admin = models.BooleanField(_("enterprise administrator"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("joined at"), auto_now_add=True)
    deactivated_at = models.DateTimeField(_("deactivated at"), null=True, blank=True)
    history = HistoricalRecords()
    objects = EnterpriseOwnedRows.as_manager()

    class Meta:
        ordering = ["enterprise_id", "-is_admin", "created_at"]
        verbose_name = _("enterprise colleague")
        verbose_name_plural = _("enterprise colleagues")

    def __str__(self) -> str:
        return f"{self.enterprise_id} · {self.user_id}"


class EnterpriseInvitation(models.Model):
    """A one-time link with which a colleague creates an enterprise account of the same
    enterprise. Only the SHA-256 hash of the link's key is stored; the link is shown once."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("enterprise"),
    )
    name = models.CharField(_("colleague's name"), max_length=64, validators=[validate_single_line])
    email = models.EmailField(_("e-mail"), blank=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("valid until"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("account created"),
    )
    revoked_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["key_hash"])
    objects = EnterpriseOwnedRows.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("colleague invitation")
        verbose_name_plural = _("colleague invitations")

    def __str__(self) -> str:
        return f"{self.name} ({self.enterprise_id})"

    def is_open(self, now=None) -> bool:
        """Not used, not withdrawn and not expired."""
        now = now or timezone.now()
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > now
