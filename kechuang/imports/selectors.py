"""Reads of import batches for the import pages."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import ImportBatch

__all__ = ["recent_batches"]


def recent_batches(limit: int = 30) -> QuerySet:
    """The latest import batches, newest first, with who uploaded them."""
    return ImportBatch.objects.select_related("created_by")[:limit]
