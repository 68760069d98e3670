"""Serializers of the R&D institution API (enterprise by credit code, as elsewhere)."""

from __future__ import annotations

from rest_framework import serializers

from kechuang.enterprises.api.serializers import (
    PROVENANCE_READ_ONLY,
    YEAR_KWARGS,
    EnterpriseByCreditCodeField,
)
from kechuang.platforms.models import Platform, RDInstitution

__all__ = ["RDInstitutionSerializer", "PlatformSerializer"]


class RDInstitutionSerializer(serializers.ModelSerializer):
    enterprise = EnterpriseByCreditCodeField()
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = RDInstitution
        exclude = ["import_batch", "source_row", "updated_by"]
        read_only_fields = PROVENANCE_READ_ONLY
        extra_kwargs = {"year_recognised": YEAR_KWARGS}


class PlatformSerializer(serializers.ModelSerializer):
    """A platform with its type, level, stage and town (the facts are the operator's figures)."""

    town_name = serializers.CharField(source="town.name", read_only=True, default=None)

    class Meta:
        model = Platform
        fields = [
            "id",
            "name",
            "kind",
            "level",
            "stage",
            "town",
            "town_name",
            "host_city",
            "address",
            "industry",
            "professional",
            "remote_area",
            "facts",
        ]
        read_only_fields = fields
