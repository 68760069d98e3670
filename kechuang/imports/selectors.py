"""Reads of import batches for the import pages."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import ImportBatch, ImportStatus

__all__ = ["recent_batches", "batches_awaiting_commit"]


def recent_batches(limit: int = 30) -> QuerySet:
    """The latest import batches, newest first, with who uploaded them."""
    return ImportBatch.objects.select_related("created_by")[:limit]


def batches_awaiting_commit() -> QuerySet:
    """Checked dry runs whose file is still stored and that nobody has committed yet (the
    commit claims its check once: `services.import_batch_create`), newest first."""
    return ImportBatch.objects.filter(
        status=ImportStatus.VALIDATED,
        dry_run=True,
        commit_batch__isnull=True,
        file_removed_at__isnull=True,
    ).select_related("created_by")
