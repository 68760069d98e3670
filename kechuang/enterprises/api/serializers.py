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

from kechuang.core.years import validate_year
from kechuang.enterprises import policy
from kechuang.enterprises.logic.credit_code import CreditCodeError, validate_credit_code
from kechuang.enterprises.models import (
    AnnualFigure,
    Enterprise,
    FigureSubmission,
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
    "FigureSubmissionSerializer",
    "FieldPolicyMixin",
    "PROVENANCE_READ_ONLY",
    "YEAR_KWARGS",
]

# The reporting-year window (kechuang.core.years), one message for every out-of-window year.
YEAR_KWARGS = {"validators": [validate_year]}
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


class FieldPolicyMixin:
    """Refuses (400, one message per field) the fields that the requesting user's role may not
    set (policy.py), instead of silently ignoring them.

    `policy_model` is the model whose policy applies (default: Meta.model); `policy_guarded`
    the field names checked (default: every writable field of the serializer).
    """

    policy_model = None
    policy_guarded: frozenset[str] | None = None

    def validate(self, attrs):
        attrs = super().validate(attrs)
        request = self.context.get("request")
        data = getattr(self, "initial_data", None)
        if request is None or not hasattr(data, "keys"):
            return attrs
        guarded = self.policy_guarded
        if guarded is None:
            guarded = {name for name, f in self.fields.items() if not f.read_only}
        model = self.policy_model or self.Meta.model
        bad = policy.forbidden_fields(request.user, model, [k for k in data if k in guarded])
        if bad:
            raise serializers.ValidationError({name: [policy.field_message()] for name in bad})
        return attrs


# ------------------------------------------------------------------ Enterprise


class EnterpriseSerializer(FieldPolicyMixin, serializers.ModelSerializer):
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


class AnnualFigureSerializer(FieldPolicyMixin, serializers.ModelSerializer):
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


class IntellectualPropertySerializer(FieldPolicyMixin, serializers.ModelSerializer):
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


class QualificationSerializer(FieldPolicyMixin, serializers.ModelSerializer):
    """A held qualification; a high-tech certificate without `expiry_date` gets issue + 3 years − 1 day."""

    enterprise = EnterpriseByCreditCodeField()
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = Qualification
        exclude = ["import_batch", "source_row", "updated_by"]
        read_only_fields = PROVENANCE_READ_ONLY
        extra_kwargs = {"year": YEAR_KWARGS}


# ------------------------------------------------------------------ FigureSubmission

SUBMISSION_READ_ONLY = (
    "id",
    "enterprise",
    "enterprise_name",
    "status",
    "reason",
    "returned_stage",
    "official_confirmed",
    "figure",
    "created_at",
    "updated_at",
    "submitted_at",
    "town_reviewed_at",
    "reviewed_at",
)


class FigureSubmissionSerializer(FieldPolicyMixin, serializers.ModelSerializer):
    """An enterprise's proposed yearly figures (money in yuan) and their review status.

    The enterprise is the requesting account's own; fields the enterprise may not set (e.g. the
    above-scale classification) are refused with a field message.
    """

    enterprise = serializers.SlugRelatedField(slug_field="credit_code", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    # Guard every registry figure name: official ones sent here are refused, not ignored.
    policy_guarded = frozenset(
        {"year", *policy.ENTERPRISE_FIGURE_FIELDS, *policy.OFFICIAL_FIGURE_FIELDS}
    )

    class Meta:
        model = FigureSubmission
        fields = [*SUBMISSION_READ_ONLY, "year", *policy.ENTERPRISE_FIGURE_FIELDS]
        read_only_fields = SUBMISSION_READ_ONLY
        extra_kwargs = {
            "employees_avg": {"min_value": 0},
            "tech_staff_avg": {"min_value": 0},
            **{name: MONEY_KWARGS for name in ANNUAL_FIGURE_MONEY_FIELDS},
        }

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if self.instance is not None and "year" in attrs and attrs["year"] != self.instance.year:
            raise serializers.ValidationError(
                {"year": [_("The year of a submission cannot be changed.")]}
            )
        return attrs


class SubmissionReturnSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text=_("Why the submission is returned"))


class SubmissionNoteSerializer(serializers.Serializer):
    note = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        help_text=_("An optional note of the town's review"),
    )


class SubmissionAcceptSerializer(serializers.Serializer):
    confirm_official = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("Confirm that submitted values replace differing official figures"),
    )
