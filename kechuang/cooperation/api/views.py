"""API of the cooperation app, mounted at /api/v1/cooperation/: scoped reads of demands (with
their ranked suppliers), achievements, brokering records, technical contracts, events and
competition entrants; demands are posted through the same service as the HTML form."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from kechuang.core.access import HasCapability
from kechuang.enterprises.api.views import service_errors

from .. import selectors, services
from ..filters import (
    AchievementFilterSet,
    BrokeringFilterSet,
    ContractFilterSet,
    DemandFilterSet,
    EventFilterSet,
)
from .serializers import (
    AchievementSerializer,
    BrokeringSerializer,
    ContractSerializer,
    DemandInputSerializer,
    DemandSerializer,
    EntrantSerializer,
    EventSerializer,
    MatchSerializer,
)

__all__ = [
    "DemandViewSet",
    "AchievementViewSet",
    "BrokeringViewSet",
    "ContractViewSet",
    "EventViewSet",
    "EntrantViewSet",
]


class _ReadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    lookup_value_regex = r"\d+"
    permission_classes = [HasCapability]


class DemandViewSet(mixins.CreateModelMixin, _ReadViewSet):
    """Technology demands in the user's scope; create: enterprises (their own), officers and
    bureau staff."""

    serializer_class = DemandSerializer
    filterset_class = DemandFilterSet
    capability = {"get": "cooperation.demands", "create": "cooperation.demand_post"}

    def get_queryset(self):
        rows = selectors.demand_list(self.request.user)
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return rows.none()
        return rows

    @extend_schema(request=DemandInputSerializer, responses={201: DemandSerializer})
    def create(self, request, *args, **kwargs):
        data = DemandInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            demand = services.demand_save(user=request.user, data=data.validated_data)
        out = DemandSerializer(self.get_queryset().get(pk=demand.pk), context={"request": request})
        return Response(out.data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: MatchSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def suppliers(self, request, pk=None):
        """The ranked suppliers of the demand, with the reasons of each match."""
        demand = self.get_object()
        return Response(MatchSerializer(selectors.demand_matches(demand), many=True).data)


class AchievementViewSet(_ReadViewSet):
    serializer_class = AchievementSerializer
    filterset_class = AchievementFilterSet
    capability = {"get": "cooperation.achievements"}

    def get_queryset(self):
        rows = selectors.achievement_list(self.request.user)
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return rows.none()
        return rows


class BrokeringViewSet(_ReadViewSet):
    serializer_class = BrokeringSerializer
    filterset_class = BrokeringFilterSet
    capability = {"get": "cooperation.brokering"}

    def get_queryset(self):
        rows = selectors.brokering_list(self.request.user)
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return rows.none()
        return rows


class ContractViewSet(_ReadViewSet):
    serializer_class = ContractSerializer
    filterset_class = ContractFilterSet
    capability = {"get": "contracts.view"}

    def get_queryset(self):
        rows = selectors.contract_list(self.request.user)
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return rows.none()
        return rows


class EventViewSet(_ReadViewSet):
    serializer_class = EventSerializer
    filterset_class = EventFilterSet
    capability = {"get": "cooperation.events"}

    def get_queryset(self):
        rows = selectors.event_list(self.request.user)
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return rows.none()
        return rows.order_by("-date", "-id")


class EntrantViewSet(_ReadViewSet):
    serializer_class = EntrantSerializer
    capability = {"get": "competitions.view"}

    def get_queryset(self):
        rows = selectors.entrant_all()
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return rows.none()
        return rows
