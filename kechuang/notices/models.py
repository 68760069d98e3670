"""Public notices (公示) with their items and objections (异议).

A notice publishes items that belong to another app (a programme project, a platform's
evaluation result) through a generic link; the owner passes the fields to show, already
redacted, so this app never reads the owner's model. Objections are filed by the public within
the window, handled by bureau staff with a log; an item is held while it has open objections.
Every model keeps its history (django-simple-history).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kechuang.core.validators import validate_plain_text, validate_single_line

from .choices import (
    ItemOutcome,
    NoticeKind,
    NoticeStatus,
    ObjectionAction,
    ObjectionStatus,
    WindowKind,
)

__all__ = ["Notice", "NoticeItem", "Objection", "ObjectionEvent"]


class NoticeQuerySet(models.QuerySet):
    def public(self):
        """Notices anyone may read: published, ended or with the final list out."""
        return self.exclude(status=NoticeStatus.DRAFT).filter(published_at__isnull=False)


class Notice(models.Model):
    """One public notice: a title, a body, the items and the objection window."""

    title = models.CharField(_("title"), max_length=200, validators=[validate_single_line])
    kind = models.CharField(_("kind"), max_length=32, choices=NoticeKind.choices)
    body = models.TextField(
        _("body"), max_length=10000, blank=True, validators=[validate_plain_text]
    )
    status = models.CharField(
        _("status"), max_length=16, choices=NoticeStatus.choices, default=NoticeStatus.DRAFT
    )
    window_kind = models.CharField(
        _("window counted in"),
        max_length=16,
        choices=WindowKind.choices,
        default=WindowKind.CALENDAR,
    )
    window_length = models.PositiveSmallIntegerField(_("window length (days)"), default=8)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    window_last_day = models.DateField(_("last day of the window"), null=True, blank=True)
    window_ends_at = models.DateTimeField(
        _("window ends at"), null=True, blank=True, help_text=_("The first moment after the window")
    )
    window_note = models.CharField(_("window note"), max_length=255, blank=True)
    final_body = models.TextField(
        _("final list note"), max_length=10000, blank=True, validators=[validate_plain_text]
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    finalised_at = models.DateTimeField(_("final list published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("notices:notice_detail", kwargs={"pk": self.pk})

    def window_open(self, now=None) -> bool:
        """Objections are accepted: published and the window has not ended."""
        now = now or timezone.now()
        return (
            self.status == NoticeStatus.PUBLISHED
            and self.published_at is not None
            and self.window_ends_at is not None
            and self.published_at <= now < self.window_ends_at
        )


class NoticeItem(models.Model):
    """One published object: a generic link to the owner's row and the fields it shows (an
    ordered list of [label, value] pairs, redacted by the owner)."""

    notice = models.ForeignKey(
        Notice, on_delete=models.CASCADE, related_name="items", verbose_name=_("notice")
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("object type")
    )
    object_id = models.PositiveBigIntegerField(_("object id"))
    owner = GenericForeignKey("content_type", "object_id")
    label = models.CharField(_("label"), max_length=200, validators=[validate_single_line])
    fields = models.JSONField(_("published fields"), default=list)
    held = models.BooleanField(_("held by objections"), default=False)
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=ItemOutcome.choices, default=ItemOutcome.PENDING
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["notice", "position", "pk"]
        verbose_name = _("notice item")
        verbose_name_plural = _("notice items")
        indexes = [models.Index(fields=["content_type", "object_id"], name="notices_item_owner")]

    def __str__(self) -> str:
        return self.label

    @property
    def field_pairs(self) -> list[tuple[str, str]]:
        return [(str(label), str(value)) for label, value in self.fields]


def evidence_path(instance: Objection, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    stamp = timezone.now()
    return f"notices/objections/{stamp:%Y/%m}/{instance.receipt_no or 'pending'}.{ext}"


class Objection(models.Model):
    """An objection filed by a member of the public against one item, within the window. The
    contact data are for the bureau only."""

    notice = models.ForeignKey(
        Notice, on_delete=models.PROTECT, related_name="objections", verbose_name=_("notice")
    )
    item = models.ForeignKey(
        NoticeItem, on_delete=models.PROTECT, related_name="objections", verbose_name=_("item")
    )
    receipt_no = models.CharField(_("receipt number"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64, validators=[validate_single_line])
    organisation = models.CharField(
        _("organisation"), max_length=128, blank=True, validators=[validate_single_line]
    )
    contact = models.CharField(_("contact"), max_length=128, validators=[validate_single_line])
    reasons = models.TextField(
        _("reasons and facts"), max_length=5000, validators=[validate_plain_text]
    )
    evidence = models.FileField(_("evidence"), upload_to=evidence_path, blank=True, max_length=200)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ObjectionStatus.choices,
        default=ObjectionStatus.RECEIVED,
    )
    reply = models.TextField(
        _("reply"), max_length=5000, blank=True, validators=[validate_plain_text]
    )
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")

    def __str__(self) -> str:
        return self.receipt_no

    def get_absolute_url(self) -> str:
        return reverse("notices:objection_detail", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status in (ObjectionStatus.RECEIVED, ObjectionStatus.INVESTIGATING)


class ObjectionEvent(models.Model):
    """The handling log of an objection: who did what, when (an explicit audit record)."""

    objection = models.ForeignKey(
        Objection, on_delete=models.CASCADE, related_name="events", verbose_name=_("objection")
    )
    action = models.CharField(_("action"), max_length=16, choices=ObjectionAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.TextField(_("note"), max_length=5000, blank=True)

    class Meta:
        ordering = ["objection", "at", "pk"]
        verbose_name = _("objection log entry")
        verbose_name_plural = _("objection log entries")

    def __str__(self) -> str:
        return f"{self.objection} · {self.get_action_display()}"
