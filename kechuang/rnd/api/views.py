"""R&D API: regional aggregates (staff and leader), the zero-R&D list and the diagnosis (scoped).

Thin views: parse the query string, call the same selectors as the pages, shape JSON.
Money is a number of yuan (two decimals), percentages numbers of percent.
"""

from __future__ import annotations

import logging
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from kechuang.core.access import HasCapability
from kechuang.core.years import default_year, parse_year, window_message
from kechuang.enterprises.models import Enterprise
from kechuang.enterprises.pages import enterprise_for

from ..diagnosis import enterprise_diagnosis
from ..logic.zero_rd import ZeroRdSpec
from ..selectors import DEFINITIONS, SLICE_LABELS, rd_aggregates, rd_breakdown, zero_rd_enterprises

logger = logging.getLogger(__name__)

__all__ = ["RdAggregatesView", "ZeroRdView", "DiagnosisView"]


def _json(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, Fraction):
        return float(value)
    if isinstance(value, dict):
        return {str(k): _json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json(v) for v in value]
    return value


def _year(request, required_years=None) -> int:
    """?year= checked against the reporting-year window (kechuang.core.years); absent: the
    latest year with accepted data."""
    raw = request.query_params.get("year")
    if raw in (None, ""):
        if required_years:
            return required_years[-1]
        return default_year()
    year = parse_year(raw)
    if year is None:
        raise ValidationError({"year": [window_message()]})
    return year


YEAR = OpenApiParameter("year", OpenApiTypes.INT, description="Calendar year (default: latest)")


class RdAggregatesView(APIView):
    """Headline R&D figures of above-scale industrial enterprises for a year, with their
    definitions, and optionally one breakdown (`by`=town|division|revenue_band|tier)."""

    permission_classes = [HasCapability]
    capability = "api.rnd_aggregates"

    @extend_schema(
        parameters=[
            YEAR,
            OpenApiParameter("by", OpenApiTypes.STR, enum=list(SLICE_LABELS)),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        year = _year(request)
        by = request.query_params.get("by")
        if by and by not in SLICE_LABELS:
            raise ValidationError({"by": f"one of {', '.join(SLICE_LABELS)}"})
        body = {
            "year": year,
            "figures": _json(rd_aggregates(year)),
            "definitions": DEFINITIONS,
        }
        if by:
            body["by"] = by
            body["rows"] = [{**_json(r), "label": str(r["label"])} for r in rd_breakdown(year, by)]
        return Response(body)


class ZeroRdRowSerializer(serializers.ModelSerializer):
    town = serializers.CharField(source="town.name")
    is_contradiction = serializers.BooleanField()
    holds_high_tech = serializers.BooleanField()
    holds_tech_sme = serializers.BooleanField()
    operating_revenue = serializers.DecimalField(
        source="fy_operating_revenue",
        max_digits=18,
        decimal_places=2,
        coerce_to_string=False,
        allow_null=True,
    )
    rd_expense_stat = serializers.DecimalField(
        source="fy_rd_expense_stat",
        max_digits=18,
        decimal_places=2,
        coerce_to_string=False,
        allow_null=True,
    )
    rd_deduction_scope = serializers.DecimalField(
        source="fy_rd_deduction_scope",
        max_digits=18,
        decimal_places=2,
        coerce_to_string=False,
        allow_null=True,
    )

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "name",
            "credit_code",
            "town",
            "industry_code",
            "is_contradiction",
            "holds_high_tech",
            "holds_tech_sme",
            "operating_revenue",
            "rd_expense_stat",
            "rd_deduction_scope",
        ]


class ZeroRdPageSerializer(serializers.Serializer):
    """One limit/offset page of the zero-R&D list, with the filter it was read with."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ZeroRdRowSerializer(many=True)
    filter_spec = serializers.DictField()


class ZeroRdView(APIView):
    """Above-scale enterprises declaring zero R&D (scoped to the user), contradictions first.
    Query: year, town, industry, contradiction_only; paginated with limit/offset."""

    permission_classes = [HasCapability]
    capability = "rnd.list"

    @extend_schema(
        parameters=[
            YEAR,
            OpenApiParameter("town", OpenApiTypes.INT),
            OpenApiParameter("industry", OpenApiTypes.STR),
            OpenApiParameter("contradiction_only", OpenApiTypes.BOOL),
            OpenApiParameter("limit", OpenApiTypes.INT, description="Rows per page"),
            OpenApiParameter("offset", OpenApiTypes.INT, description="Rows to skip"),
        ],
        responses=ZeroRdPageSerializer,
    )
    def get(self, request):
        raw = {
            "year": _year(request),
            "town": request.query_params.get("town"),
            "industry": request.query_params.get("industry"),
            "contradiction_only": request.query_params.get("contradiction_only", False),
        }
        try:
            spec = ZeroRdSpec.from_dict(raw)
        except ValueError as exc:
            logger.info("Refused zero-R&D filter %r: %s", raw, exc)
            raise ValidationError(
                {
                    "filter": [
                        _(
                            "The filter is not valid: the town must be a town of this region "
                            "and the industry a two-digit division code (GB/T 4754-2017)."
                        )
                    ]
                }
            ) from exc
        rows = zero_rd_enterprises(spec, request.user)
        paginator = LimitOffsetPagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        response = paginator.get_paginated_response(ZeroRdRowSerializer(page, many=True).data)
        response.data["filter_spec"] = spec.to_dict()
        return response


class DiagnosisView(APIView):
    """The diagnosis of one enterprise for a year: findings, recommendations, the three R&D
    figures, peers, structure and the tax at stake (scoped like the page: 404 outside)."""

    permission_classes = [HasCapability]
    capability = "rnd.diagnosis"

    @extend_schema(parameters=[YEAR], responses=OpenApiTypes.OBJECT)
    def get(self, request, pk: int):
        enterprise = enterprise_for(request.user, pk)
        years = list(enterprise.annual_figures.order_by("year").values_list("year", flat=True))
        year = _year(request, years)
        d = enterprise_diagnosis(enterprise, year)
        return Response(
            {
                "enterprise": {
                    "id": enterprise.pk,
                    "name": enterprise.name,
                    "credit_code": enterprise.credit_code,
                },
                "year": year,
                "findings": _json(
                    [
                        {k: f[k] for k in ("code", "severity", "title", "detail", "figures")}
                        for f in d["findings"]
                    ]
                ),
                "recommendations": d["recommendations"],
                "scopes": _json(d["scopes"]),
                "peer": _json(d["peer"]),
                "structure": _json(d["structure"]),
                "tax": _json(d["tax"]),
                "figures": _json(
                    {y: {k: v for k, v in f.items()} for y, f in d["figures"].items()}
                ),
            }
        )
