"""API of the workbench, mounted at /api/v1/workbench/ (docs/workbench.md#api)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from kechuang.core.access import HasCapability

from ..todos import todos_for
from .serializers import TodoSerializer

__all__ = ["TodoListView"]


class TodoListView(APIView):
    """The signed-in user's to-dos, in the user's scope: each with its count and the list URL."""

    permission_classes = [HasCapability]
    capability = "workbench.view"

    @extend_schema(responses=TodoSerializer(many=True), operation_id="workbench_todos")
    def get(self, request):
        return Response(TodoSerializer(todos_for(request.user), many=True).data)
