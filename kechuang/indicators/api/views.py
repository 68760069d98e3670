"""API of the indicator system: catalogue, sets, values, index and targets.

Leaders and bureau staff read; only bureau staff write (values and targets). Other roles 403.
Values written here are recorded with their user like imported ones (source "api").
"""

from __future__ import annotations

from drf_spectacular.plumbing import build_array_type, build_basic_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from kechuang.core.access import HasCapability
from kechuang.core.filters import BaseFilterSet

from ..index import compute_run
from ..models import IndexRun
from ..pages import (
    indicators_in_order,
    run_scores,
    runs_in_order,
    sets_with_members,
    targets_in_order,
    values_in_order,
)
from ..selectors import indicator_table, ranking_summary, target_progress
from .serializers import (
    IndexRunCreateSerializer,
    IndexRunDetailSerializer,
    IndexRunSerializer,
    IndexScoreSerializer,
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


class IndexRunFilterSet(BaseFilterSet):
    class Meta:
        model = IndexRun
        fields = {"year": ["exact"], "indicator_set__code": ["exact"]}


class IndexRunViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):  # fmt: skip
    """Stored index computations (docs/indicators.md#methodology): each with the methodology and
    tree version it ran; `scores/` gives every region's score and rank on every node. Leaders and
    bureau staff read; bureau staff compute (POST: set code and year)."""

    permission_classes = [HasCapability]
    capability = CAPABILITY
    filterset_class = IndexRunFilterSet

    def get_queryset(self):
        return runs_in_order()

    def get_serializer_class(self):
        if self.action == "create":
            return IndexRunCreateSerializer
        return IndexRunDetailSerializer if self.action == "retrieve" else IndexRunSerializer

    @extend_schema(request=IndexRunCreateSerializer, responses={201: IndexRunDetailSerializer})
    def create(self, request, *args, **kwargs):
        data = IndexRunCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            run_ = compute_run(data.validated_data["indicator_set"], data.validated_data["year"],
                               user=request.user)  # fmt: skip
        except ValueError as exc:
            raise ValidationError({"year": [str(exc)]}) from exc
        return Response(IndexRunDetailSerializer(run_).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: IndexScoreSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def scores(self, request, pk=None):
        """Every region's score and rank on every node of the run (node "Index": the index)."""
        return Response(IndexScoreSerializer(run_scores(self.get_object()), many=True).data)
