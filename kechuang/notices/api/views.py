"""API of notices and objections, mounted at /api/v1/notices/.

Notices: every signed-in user reads what the public page shows (bureau staff also drafts).
Objections: bureau staff only; `handle` takes one handling step through the service.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from kechuang.core.access import HasCapability, can
from kechuang.core.api import service_errors

from .. import selectors, services
from ..filters import NoticeFilterSet, ObjectionFilterSet
from .serializers import HandleInputSerializer, NoticeSerializer, ObjectionSerializer

__all__ = ["NoticeViewSet", "ObjectionViewSet"]


class _ReadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    lookup_value_regex = r"\d+"
    permission_classes = [HasCapability]


class NoticeViewSet(_ReadViewSet):
    serializer_class = NoticeSerializer
    filterset_class = NoticeFilterSet
    capability = "api.read"

    def get_queryset(self):
        rows = selectors.api_notices(include_drafts=can(self.request.user, "notices.manage"))
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return rows.none()
        return rows


class ObjectionViewSet(_ReadViewSet):
    serializer_class = ObjectionSerializer
    filterset_class = ObjectionFilterSet
    capability = "notices.manage"

    def get_queryset(self):
        rows = selectors.api_objections()
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return rows.none()
        return rows

    @extend_schema(request=HandleInputSerializer, responses=ObjectionSerializer)
    @action(detail=True, methods=["post"], serializer_class=HandleInputSerializer)
    def handle(self, request, pk=None):
        objection = self.get_object()
        data = HandleInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            services.objection_handle(objection=objection, user=request.user, **data.validated_data)
        return Response(ObjectionSerializer(self.get_queryset().get(pk=objection.pk)).data)
