"""API of campaigns, visit tasks and visit records, mounted at /api/v1/campaigns/.

Reads come from the scoped selectors; writes go through the same services as the HTML views,
so input errors are field-level 400s and rights are checked in one place.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from kechuang.core.access import HasCapability
from kechuang.enterprises.api.views import service_errors

from .. import selectors, services
from ..filters import CampaignFilterSet, VisitRecordFilterSet, VisitTaskFilterSet
from .serializers import (
    CampaignInputSerializer,
    CampaignSerializer,
    ReassignInputSerializer,
    TransitionInputSerializer,
    VisitRecordInputSerializer,
    VisitRecordSerializer,
    VisitTaskSerializer,
)

__all__ = ["CampaignViewSet", "VisitTaskViewSet", "VisitRecordViewSet"]


class _ReadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    lookup_value_regex = r"\d+"
    permission_classes = [HasCapability]
    capability: dict = {"get": "api.read"}


class CampaignViewSet(mixins.CreateModelMixin, _ReadViewSet):
    """Campaigns with the progress of the tasks the user may see; create: bureau staff."""

    serializer_class = CampaignSerializer
    filterset_class = CampaignFilterSet
    capability = {"get": "api.read", "create": "campaigns.manage"}

    def get_queryset(self):
        campaigns = selectors.campaign_list(self.request.user)
        if getattr(self, "swagger_fake_view", False):
            return campaigns.none()
        return campaigns.order_by("-created_at", "-id")

    @extend_schema(request=CampaignInputSerializer, responses={201: CampaignSerializer})
    def create(self, request, *args, **kwargs):
        data = CampaignInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            campaign = services.campaign_create(user=request.user, **data.validated_data)
        out = self.get_queryset().get(pk=campaign.pk)
        return Response(CampaignSerializer(out).data, status=status.HTTP_201_CREATED)


class VisitTaskViewSet(_ReadViewSet):
    """Visit tasks in the user's scope; `transition` moves one, `reassign` (staff) gives it away."""

    serializer_class = VisitTaskSerializer
    filterset_class = VisitTaskFilterSet
    capability = {"get": "api.read", "transition": "campaigns.work", "reassign": "campaigns.manage"}

    def get_queryset(self):
        tasks = selectors.task_list(self.request.user)
        if getattr(self, "swagger_fake_view", False):
            return tasks.none()
        return tasks.order_by("due_date", "id")

    @extend_schema(request=TransitionInputSerializer, responses=VisitTaskSerializer)
    @action(detail=True, methods=["post"], serializer_class=TransitionInputSerializer)
    def transition(self, request, pk=None):
        task = self.get_object()
        data = TransitionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            services.task_transition(task=task, user=request.user, **data.validated_data)
        return Response(VisitTaskSerializer(task).data)

    @extend_schema(request=ReassignInputSerializer, responses=VisitTaskSerializer)
    @action(detail=True, methods=["post"], serializer_class=ReassignInputSerializer)
    def reassign(self, request, pk=None):
        task = self.get_object()
        data = ReassignInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            services.task_reassign(task=task, user=request.user, **data.validated_data)
        return Response(VisitTaskSerializer(task).data)


class VisitRecordViewSet(mixins.CreateModelMixin, _ReadViewSet):
    """Visit records of tasks the user may see; create records a visit on one task (and any
    open same-month tasks of the enterprise listed in also_task_ids)."""

    serializer_class = VisitRecordSerializer
    filterset_class = VisitRecordFilterSet
    capability = {"get": "api.read", "create": "campaigns.work"}

    def get_queryset(self):
        records = selectors.visit_records(self.request.user)
        if getattr(self, "swagger_fake_view", False):
            return records.none()
        return records

    @extend_schema(request=VisitRecordInputSerializer, responses={201: VisitRecordSerializer})
    def create(self, request, *args, **kwargs):
        data = VisitRecordInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        task_id = values.pop("task")
        task = selectors.visible_task(request.user, task_id)
        if task is None:  # a body field: a field message, like any unknown related id
            message = serializers.PrimaryKeyRelatedField.default_error_messages["does_not_exist"]
            raise serializers.ValidationError({"task": [message.format(pk_value=task_id)]})
        with service_errors():
            record = services.visit_record_create(user=request.user, task=task, **values)
        return Response(VisitRecordSerializer(record).data, status=status.HTTP_201_CREATED)
