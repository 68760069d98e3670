"""Serializers of the R&D institution API (enterprise by credit code, as elsewhere)."""

from __future__ import annotations

from rest_framework import serializers

from kechuang.enterprises.api.serializers import (
    PROVENANCE_READ_ONLY,
    YEAR_KWARGS,
    EnterpriseByCreditCodeField,
)
from kechuang.platforms.models import RDInstitution

__all__ = ["RDInstitutionSerializer"]


class RDInstitutionSerializer(serializers.ModelSerializer):
    enterprise = EnterpriseByCreditCodeField()
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = RDInstitution
        exclude = ["import_batch", "source_row", "updated_by"]
        read_only_fields = PROVENANCE_READ_ONLY
        extra_kwargs = {"year_recognised": YEAR_KWARGS}
