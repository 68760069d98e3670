"""API of the indicator system: catalogue, sets, values, index and targets.

Leaders and bureau staff read; only bureau staff write (values and targets). Other roles 403.
Values written here are recorded with their user like imported ones (source "api").
"""

from __future__ import annotations

from drf_spectacular.plumbing import build_array_type, build_basic_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from kechuang.core.access import HasCapability

from ..pages import indicators_in_order, sets_with_members, targets_in_order, values_in_order
from ..selectors import indicator_table, ranking_summary, target_progress
from .serializers import (
    IndicatorSerializer,
    IndicatorSetSerializer,
    IndicatorValueSerializer,
    TargetSerializer,
)

# Reads: leader and bureau staff; writes: bureau staff only (the access policy).
CAPABILITY = {"get": "indicators.view", "*": "indicators.manage"}


def _year(request) -> int:
    try:
        return int(request.query_params["year"])
    except (KeyError, ValueError) as exc:
        raise ValidationError({"year": ["A year is required, e.g. ?year=2024."]}) from exc


class IndicatorViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasCapability]
    capability = CAPABILITY
    serializer_class = IndicatorSerializer
    queryset = indicators_in_order()
    lookup_field = "code"


class IndicatorSetViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasCapability]
    capability = CAPABILITY
    serializer_class = IndicatorSetSerializer
    queryset = sets_with_members()
    lookup_field = "code"

    @extend_schema(
        parameters=[OpenApiParameter("year", int, required=True)],
        responses=OpenApiTypes.OBJECT,
    )
    @action(detail=True, methods=["get"])
    def index(self, request, code=None):
        """The set's index table for ?year=: values, index, ranks, contributions per region."""
        table = indicator_table(self.get_object(), _year(request))
        table["set"] = table["set"].code
        return Response(table)


class IndicatorValueViewSet(viewsets.ModelViewSet):
    permission_classes = [HasCapability]
    capability = CAPABILITY
    serializer_class = IndicatorValueSerializer
    filterset_fields = {"year": ["exact"], "indicator__code": ["exact"], "region__code": ["exact"]}

    def get_queryset(self):
        return values_in_order()

    def perform_create(self, serializer):
        serializer.save(source="api", updated_by=self.request.user)

    def perform_update(self, serializer):
        serializer.save(source="api", updated_by=self.request.user)


class TargetViewSet(viewsets.ModelViewSet):
    permission_classes = [HasCapability]
    capability = CAPABILITY
    serializer_class = TargetSerializer
    queryset = targets_in_order()
    filterset_fields = ["year"]

    @extend_schema(
        parameters=[OpenApiParameter("year", int, required=True)],
        responses={200: build_array_type(build_basic_type(OpenApiTypes.OBJECT))},
    )
    @action(detail=False, methods=["get"])
    def progress(self, request):
        """Progress towards the targets of ?year= (actual, progress %, pending, records)."""
        return Response(target_progress(_year(request)))


class RankingViewSet(viewsets.ViewSet):
    permission_classes = [HasCapability]
    capability = CAPABILITY

    @extend_schema(
        parameters=[OpenApiParameter("year", int, required=True)],
        responses=OpenApiTypes.OBJECT,
    )
    def list(self, request):
        """The home region's ranks, sensitivity and top contributors per ranked set."""
        return Response(ranking_summary(_year(request)))
