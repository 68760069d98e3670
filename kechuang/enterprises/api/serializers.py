"""Serializers of the enterprise registry API.

Enterprises are referred to by their unified social credit code (GB 32100-2015), in both
directions; money is a decimal string in yuan. Provenance fields are read-only: the services set
them.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from kechuang.enterprises.constants import FIRST_REPORTING_YEAR, LAST_REPORTING_YEAR
from kechuang.enterprises.logic.credit_code import CreditCodeError, validate_credit_code
from kechuang.enterprises.models import (
    AnnualFigure,
    Enterprise,
    IntellectualProperty,
    Qualification,
    credit_code_message,
)
from kechuang.enterprises.services import ANNUAL_FIGURE_MONEY_FIELDS, MAX_MONEY

__all__ = [
    "CreditCodeField",
    "EnterpriseByCreditCodeField",
    "EnterpriseSerializer",
    "AnnualFigureSerializer",
    "IntellectualPropertySerializer",
    "QualificationSerializer",
    "PROVENANCE_READ_ONLY",
    "YEAR_KWARGS",
]

YEAR_KWARGS = {"min_value": FIRST_REPORTING_YEAR, "max_value": LAST_REPORTING_YEAR}
MONEY_KWARGS = {"min_value": 0, "max_value": MAX_MONEY}
# Provenance columns shown read-only; the services set them.
PROVENANCE_READ_ONLY = ("source", "updated_at")


def _normalised_credit_code(data) -> str:
    if not isinstance(data, str):
        raise serializers.ValidationError(
            _("A credit code is a string of 18 characters."), code="invalid"
        )
    try:
        return validate_credit_code(data)
    except CreditCodeError as exc:
        raise serializers.ValidationError(
            credit_code_message(exc), code=f"credit_code_{exc.code}"
        ) from exc


class CreditCodeField(serializers.CharField):
    """A unified social credit code: stripped, upper-cased and checked (GB 32100-2015).

    A wrong check character is reported with the character the code should end with.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("min_length", 18)
        kwargs.setdefault("max_length", 18)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        return _normalised_credit_code(data)


@extend_schema_field(
    {
        "type": "string",
        "minLength": 18,
        "maxLength": 18,
        "description": "Unified social credit code",
    }
)
class EnterpriseByCreditCodeField(serializers.SlugRelatedField):
    """The enterprise a row belongs to, read and written as its credit code.

    Lookups go through the requesting user's scope, so an enterprise outside it answers exactly
    as one that does not exist.
    """

    default_error_messages = {
        "does_not_exist": _("No enterprise with credit code {value} is within your records."),
        "invalid": _("A credit code is a string of 18 characters."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "credit_code")
        kwargs.setdefault("queryset", Enterprise.objects.all())
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return Enterprise.objects.for_user(getattr(request, "user", None))

    def to_internal_value(self, data):
        code = _normalised_credit_code(data)
        try:
            return self.get_queryset().get(credit_code=code)
        except Enterprise.DoesNotExist:
            self.fail("does_not_exist", slug_name=self.slug_field, value=code)


# ------------------------------------------------------------------ Enterprise


class EnterpriseSerializer(serializers.ModelSerializer):
    credit_code = CreditCodeField(
        validators=[
            UniqueValidator(
                queryset=Enterprise.objects.all(),
                message=_("An enterprise with this credit code is already registered."),
            )
        ],
        help_text=_("Unified social credit code, 18 characters (GB 32100-2015)"),
    )
    town_name = serializers.CharField(source="town.name", read_only=True)
    industry_division = serializers.CharField(read_only=True)
    industry_division_name = serializers.CharField(read_only=True)

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "credit_code",
            "name",
            "town",
            "town_name",
            "industry_code",
            "industry_division",
            "industry_division_name",
            "registration_date",
            "address",
            "tags",
            "is_resident_enterprise",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]


# ------------------------------------------------------------------ AnnualFigure


class AnnualFigureSerializer(serializers.ModelSerializer):
    """One enterprise's figures for one year; money fields are decimal strings in yuan."""

    enterprise = EnterpriseByCreditCodeField()
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = AnnualFigure
        exclude = ["import_batch", "source_row", "updated_by"]
        read_only_fields = PROVENANCE_READ_ONLY
        extra_kwargs = {
            "year": YEAR_KWARGS,
            "employees_avg": {"min_value": 0},
            "tech_staff_avg": {"min_value": 0},
            **{name: MONEY_KWARGS for name in ANNUAL_FIGURE_MONEY_FIELDS},
        }


# ------------------------------------------------------------------ IntellectualProperty


class IntellectualPropertySerializer(serializers.ModelSerializer):
    enterprise = EnterpriseByCreditCodeField()
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    ip_class = serializers.SerializerMethodField()

    class Meta:
        model = IntellectualProperty
        exclude = ["import_batch", "source_row", "updated_by"]
        read_only_fields = PROVENANCE_READ_ONLY
        extra_kwargs = {"used_in_hnte_application_year": YEAR_KWARGS}

    @extend_schema_field(OpenApiTypes.STR)
    def get_ip_class(self, obj) -> str:
        return str(obj.ip_class)


# ------------------------------------------------------------------ Qualification


class QualificationSerializer(serializers.ModelSerializer):
    """A held qualification; a high-tech certificate without `expiry_date` gets issue + 3 years − 1 day."""

    enterprise = EnterpriseByCreditCodeField()
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = Qualification
        exclude = ["import_batch", "source_row", "updated_by"]
        read_only_fields = PROVENANCE_READ_ONLY
        extra_kwargs = {"year": YEAR_KWARGS}
