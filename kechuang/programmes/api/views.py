"""API of the programme cycle, mounted at /api/v1/programmes/. Reads come from the same scoped
selectors as the pages (an expert reaches only applications of declared seats, never a
conflicted one); writes go through the services."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from kechuang.core.access import HasCapability, can
from kechuang.enterprises.api.views import service_errors

from .. import selectors, services
from ..models import ProgrammeType
from .serializers import (
    ApplicationSerializer,
    AssignmentSerializer,
    CallSerializer,
    ConflictSerializer,
    DeclareInputSerializer,
    InvestmentSerializer,
    NotificationSerializer,
    ProgrammeTypeSerializer,
    ProjectSerializer,
    ReportSerializer,
    ScoreInputSerializer,
    TrancheSerializer,
)

__all__ = [
    "ProgrammeTypeViewSet",
    "CallViewSet",
    "ApplicationViewSet",
    "AssignmentViewSet",
    "ConflictViewSet",
    "ProjectViewSet",
    "TrancheViewSet",
    "InvestmentViewSet",
    "ReportViewSet",
    "NotificationViewSet",
]


class _Read(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    lookup_value_regex = r"\d+"
    permission_classes = [HasCapability]


def _fake(view) -> bool:
    return getattr(view, "swagger_fake_view", False)


class ProgrammeTypeViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, _Read):
    """Programme types as configuration (bureau staff): list, read, create, update."""

    serializer_class = ProgrammeTypeSerializer
    capability = {
        "get": "programmes.manage",
        "post": "programmes.manage",
        "put": "programmes.manage",
        "patch": "programmes.manage",
    }

    def get_queryset(self):
        return selectors.programme_types()

    def perform_create(self, serializer):
        with service_errors():
            serializer.instance = services.programme_type_save(
                programme_type=ProgrammeType(),
                values=dict(serializer.validated_data),
                user=self.request.user,
            )

    def perform_update(self, serializer):
        with service_errors():
            serializer.instance = services.programme_type_save(
                programme_type=serializer.instance,
                values=dict(serializer.validated_data),
                user=self.request.user,
            )


class CallViewSet(_Read):
    """Published calls (the public call list)."""

    serializer_class = CallSerializer
    capability = {"get": "api.read"}

    def get_queryset(self):
        return selectors.public_calls().prefetch_related("topics")


class ApplicationViewSet(_Read):
    """Applications in the user's scope; an expert only those of declared seats."""

    serializer_class = ApplicationSerializer
    capability = {"get": "programmes.view", "submit": "programmes.apply"}

    def get_queryset(self):
        user = self.request.user
        rows = selectors.api_applications(user, reviewer=can(user, "programmes.review"))
        return rows.none() if _fake(self) else rows

    @extend_schema(request=None, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        app = self.get_object()
        with service_errors():
            app = services.application_submit(application=app, user=request.user)
        return Response(ApplicationSerializer(app).data)


class AssignmentViewSet(_Read):
    """Review seats: an expert's own (never a conflicted one); the bureau's all."""

    serializer_class = AssignmentSerializer
    capability = {
        "get": "programmes.view",
        "declare": "programmes.review",
        "score": "programmes.review",
    }

    def get_queryset(self):
        user = self.request.user
        if not _fake(self) and can(user, "programmes.review"):  # an expert: their own seats
            return selectors.expert_assignments(user)
        rows = selectors.assignments_managed()
        return rows if not _fake(self) and can(user, "programmes.manage") else rows.none()

    @extend_schema(request=DeclareInputSerializer, responses=AssignmentSerializer)
    @action(detail=True, methods=["post"])
    def declare(self, request, pk=None):
        seat = self.get_object()
        data = DeclareInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            seat = services.assignment_declare(
                assignment=seat, user=request.user, **data.validated_data
            )
        return Response(AssignmentSerializer(seat).data)

    @extend_schema(request=ScoreInputSerializer, responses=AssignmentSerializer)
    @action(detail=True, methods=["post"])
    def score(self, request, pk=None):
        seat = self.get_object()
        data = ScoreInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            seat = services.score_submit(assignment=seat, user=request.user, **data.validated_data)
        return Response(AssignmentSerializer(seat).data)


class ConflictViewSet(_Read):
    """Recorded conflicts of interest with their reasons (bureau)."""

    serializer_class = ConflictSerializer
    capability = {"get": "programmes.manage"}

    def get_queryset(self):
        return selectors.conflict_records()


class ProjectViewSet(_Read):
    serializer_class = ProjectSerializer
    capability = {"get": "programmes.applications"}

    def get_queryset(self):
        rows = selectors.projects_for(self.request.user).order_by("number")
        return rows.none() if _fake(self) else rows


class TrancheViewSet(_Read):
    serializer_class = TrancheSerializer
    capability = {"get": "programmes.applications"}

    def get_queryset(self):
        rows = selectors.tranches_for(self.request.user)
        return rows.none() if _fake(self) else rows


class InvestmentViewSet(_Read):
    serializer_class = InvestmentSerializer
    capability = {"get": "programmes.applications"}

    def get_queryset(self):
        rows = selectors.investments_for(self.request.user).order_by("pk")
        return rows.none() if _fake(self) else rows


class ReportViewSet(_Read):
    serializer_class = ReportSerializer
    capability = {"get": "programmes.applications"}

    def get_queryset(self):
        rows = selectors.reports_for(self.request.user)
        return rows.none() if _fake(self) else rows


class NotificationViewSet(_Read):
    """The user's own in-app reminders."""

    serializer_class = NotificationSerializer
    capability = {"get": "programmes.notifications"}

    def get_queryset(self):
        if _fake(self):  # schema generation: no signed-in user
            return selectors.notifications_of(None).none()
        return selectors.notifications_of(self.request.user)
