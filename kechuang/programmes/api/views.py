"""API of the programme cycle, mounted at /api/v1/programmes/. Reads come from the same scoped
selectors as the pages (an expert reaches only applications of declared seats, never a
conflicted one); writes go through the services."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from kechuang.core.access import HasCapability, can
from kechuang.core.permissions import user_role
from kechuang.core.roles import Role
from kechuang.enterprises.api.views import service_errors

from .. import selectors, services
from ..models import ConflictRecord, Notification, ReviewAssignment
from .serializers import (
    ApplicationSerializer,
    AssignmentSerializer,
    CallSerializer,
    ConflictSerializer,
    DeclareInputSerializer,
    InvestmentSerializer,
    NotificationSerializer,
    ProjectSerializer,
    ReportSerializer,
    ScoreInputSerializer,
    TrancheSerializer,
)

__all__ = [
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
        if _fake(self):
            return selectors.Application.objects.none()
        user = self.request.user
        if user_role(user) == Role.EXPERT:
            return selectors.expert_visible_applications(user).order_by("pk")
        return selectors.applications_for(user).order_by("pk")

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
        if _fake(self):
            return ReviewAssignment.objects.none()
        user = self.request.user
        if user_role(user) == Role.EXPERT:
            return selectors.expert_assignments(user)
        if can(user, "programmes.manage"):
            return ReviewAssignment.objects.select_related("application").order_by("pk")
        return ReviewAssignment.objects.none()

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
        return ConflictRecord.objects.order_by("pk")


class ProjectViewSet(_Read):
    serializer_class = ProjectSerializer
    capability = {"get": "programmes.applications"}

    def get_queryset(self):
        if _fake(self):
            return selectors.Project.objects.none()
        return selectors.projects_for(self.request.user).order_by("number")


class TrancheViewSet(_Read):
    serializer_class = TrancheSerializer
    capability = {"get": "programmes.applications"}

    def get_queryset(self):
        if _fake(self):
            return selectors.Tranche.objects.none()
        return selectors.Tranche.objects.for_user(self.request.user).order_by("project", "seq")


class InvestmentViewSet(_Read):
    serializer_class = InvestmentSerializer
    capability = {"get": "programmes.applications"}

    def get_queryset(self):
        if _fake(self):
            return selectors.Investment.objects.none()
        return selectors.investments_for(self.request.user).order_by("pk")


class ReportViewSet(_Read):
    serializer_class = ReportSerializer
    capability = {"get": "programmes.applications"}

    def get_queryset(self):
        if _fake(self):
            return selectors.ProgressReport.objects.none()
        return selectors.ProgressReport.objects.for_user(self.request.user).order_by("due_on", "pk")


class NotificationViewSet(_Read):
    """The user's own in-app reminders."""

    serializer_class = NotificationSerializer
    capability = {"get": "programmes.notifications"}

    def get_queryset(self):
        if _fake(self):
            return Notification.objects.none()
        return Notification.objects.filter(user=self.request.user).order_by("-created_at", "pk")
