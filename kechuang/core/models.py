"""Base pieces shared by domain models: role-scoped querysets and row provenance."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .permissions import user_scope

__all__ = ["DataSource", "ScopedQuerySet", "ProvenanceMixin"]


class DataSource(models.TextChoices):
    """Where a row's current values came from."""

    IMPORT = "import", _("Import")
    FORM = "form", _("Form / API")
    ENTERPRISE = "enterprise", _("Submitted by the enterprise")
    GENERATOR = "generator", _("Demo generator")


class ScopedQuerySet(models.QuerySet):
    """A queryset that can narrow itself to what a user may see (like NetBox's `restrict`).

    `enterprise_path` is the lookup prefix from this model to its Enterprise ("" for Enterprise
    itself, "enterprise__" for rows that belong to one).
    """

    enterprise_path = ""

    def for_user(self, user):
        return self.in_scope(user_scope(user))

    def in_scope(self, scope):
        """The rows of the enterprises of `scope` (a `kechuang.core.permissions.Scope`)."""
        if scope.all:
            return self
        if scope.none:
            return self.none()
        pk_field = f"{self.enterprise_path}pk" if self.enterprise_path else "pk"
        condition = Q()
        if scope.town_ids:
            condition |= Q(**{f"{self.enterprise_path}town_id__in": scope.town_ids})
        if scope.enterprise_ids:
            condition |= Q(**{f"{pk_field}__in": scope.enterprise_ids})
        return self.filter(condition)


# Provenance keys that no history query looks up: their history tables need no index on them
# (HistoricalRecords(no_db_index=...)), which keeps bulk imports' history writes lighter.
UNINDEXED_HISTORY_PROVENANCE = ["import_batch", "updated_by"]


class ProvenanceMixin(models.Model):
    """Where a row came from: an import batch (file and row), a form/API user, or the generator."""

    source = models.CharField(
        _("source"), max_length=16, choices=DataSource.choices, default=DataSource.FORM
    )
    import_batch = models.ForeignKey(
        "imports.ImportBatch",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("import batch"),
    )
    source_row = models.PositiveIntegerField(_("source row"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True
