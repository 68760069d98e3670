"""Import batches: one row per uploaded or generated file, with its outcome and error report."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["ImportBatch", "ImportStatus"]


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    VALIDATED = "validated", _("Checked (dry run)")
    COMMITTED = "committed", _("Imported")
    FAILED = "failed", _("Rejected")
    INTERRUPTED = "interrupted", _("Interrupted")


class ImportBatch(models.Model):
    """An import of one workbook (or a generated frame) for one entity.

    `summary` holds counts {created, updated, unchanged, errors}; `errors` the list of
    {sheet, row, column, value, message}. Rows written by the batch point back to it.
    A running batch updates `heartbeat_at`; one that stops beating is marked interrupted by
    `imports.recovery.sweep_stale` and can be queued again.
    """

    entity = models.CharField(_("entity"), max_length=32)
    file_name = models.CharField(_("file"), max_length=255)
    file = models.FileField(_("stored file"), upload_to="imports/%Y/%m/", blank=True)
    dry_run = models.BooleanField(_("dry run"), default=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    language = models.CharField(max_length=8, default="zh-hans")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    commit_batch = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commit started from this check"),
    )
    file_removed_at = models.DateTimeField(_("stored file removed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "heartbeat_at"], name="imports_batch_status_beat")
        ]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"
