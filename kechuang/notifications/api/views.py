"""API of the notifications app, mounted at /api/v1/notifications/: the user's own
notifications (never another's: other users' rows answer 404) and marking them read."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from kechuang.core.access import HasCapability

from .. import selectors, services
from .serializers import MarkReadSerializer, NotificationSerializer

__all__ = ["NotificationViewSet"]


class NotificationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The signed-in user's notifications, newest first; `?state=unread` or `read` filters."""

    serializer_class = NotificationSerializer
    permission_classes = [HasCapability]
    capability = "notifications.view"
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return selectors.notification_list(None)
        state = self.request.query_params.get("state", "")
        return selectors.notification_list(self.request.user, state)

    @extend_schema(
        parameters=[OpenApiParameter("state", str, enum=["unread", "read"], required=False)]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=None, responses=MarkReadSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = self.get_object()  # 404 outside the user's own
        marked = services.mark_read(request.user, [notification.pk])
        return Response({"marked": marked})

    @extend_schema(request=None, responses=MarkReadSerializer)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": services.mark_read(request.user)})
