"""API viewsets of the enterprise registry: list (filtered), detail, create, update; no delete.

Reads start from `Model.objects.for_user(request.user)`, so rows outside the user's scope are
absent from lists and answer 404 on detail and update. Writes go through the services, which
check the role again, validate, record history and re-check the scope.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response
from rest_framework.settings import api_settings

from kechuang.core.access import HasCapability
from kechuang.enterprises import services, submissions
from kechuang.enterprises.filters import (
    AnnualFigureFilterSet,
    EnterpriseFilterSet,
    IntellectualPropertyFilterSet,
    QualificationFilterSet,
)
from kechuang.enterprises.models import (
    AnnualFigure,
    Enterprise,
    FigureSubmission,
    IntellectualProperty,
    Qualification,
)
from kechuang.enterprises.pages import own_enterprise, scoped_rows
from kechuang.enterprises.policy import FieldPolicyError

from .serializers import (
    AnnualFigureSerializer,
    EnterpriseSerializer,
    FigureSubmissionSerializer,
    IntellectualPropertySerializer,
    QualificationSerializer,
    SubmissionAcceptSerializer,
    SubmissionNoteSerializer,
    SubmissionReturnSerializer,
)

__all__ = [
    "RoleWritePermission",
    "ScopedServiceViewSet",
    "service_errors",
    "EnterpriseViewSet",
    "AnnualFigureViewSet",
    "IntellectualPropertyViewSet",
    "QualificationViewSet",
    "FigureSubmissionViewSet",
]


# ------------------------------------------------------------------ shared pieces


class RoleWritePermission(BasePermission):
    """Reads: any authenticated user (the queryset scopes). Writes: what the services allow.

    Create is refused (403) before the input is parsed when the role may not create this model.
    Update is decided on the object, after the scoped lookup, so out-of-scope rows stay 404.
    """

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS or view.action != "create":
            return True
        return services.user_can_create(request.user, view.model)

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS:
            return True
        enterprise_id = obj.pk if isinstance(obj, Enterprise) else obj.enterprise_id
        return services.user_can_write(request.user, view.model, enterprise_id=enterprise_id)


@contextmanager
def service_errors():
    """Turn a service's Django ValidationError into DRF's field-level 400."""
    try:
        yield
    except FieldPolicyError as exc:
        raise serializers.ValidationError(exc.errors) from exc
    except DjangoValidationError as exc:
        if hasattr(exc, "error_dict"):
            detail = {
                (
                    api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field
                ): messages
                for field, messages in exc.message_dict.items()
            }
        else:
            detail = {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}
        raise serializers.ValidationError(detail) from exc


class ScopedServiceViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """List, detail, create and (partial) update of a model scoped by `for_user`; no delete."""

    model = None
    select_related: tuple[str, ...] = ()
    permission_classes = [HasCapability, RoleWritePermission]
    capability = {"list": "api.read", "retrieve": "api.read", "*": "records.write"}
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        rows = scoped_rows(self.model, self.request.user)
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return rows.none()
        return rows.select_related(*self.select_related)


# ------------------------------------------------------------------ viewsets


class EnterpriseViewSet(ScopedServiceViewSet):
    """Enterprises of the home region (write: bureau admin/staff)."""

    model = Enterprise
    select_related = ("town",)
    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilterSet

    def perform_create(self, serializer):
        with service_errors():
            serializer.instance = services.enterprise_create(
                user=self.request.user, **serializer.validated_data
            )

    def perform_update(self, serializer):
        with service_errors():
            serializer.instance = services.enterprise_update(
                enterprise=serializer.instance, user=self.request.user, **serializer.validated_data
            )


class AnnualFigureViewSet(ScopedServiceViewSet):
    """Yearly figures of the registry (write: bureau admin/staff). An enterprise account reads
    its own and proposes changes through figure submissions."""

    model = AnnualFigure
    select_related = ("enterprise",)
    serializer_class = AnnualFigureSerializer
    filterset_class = AnnualFigureFilterSet

    def perform_create(self, serializer):
        with service_errors():
            serializer.instance = services.annual_figure_create(
                user=self.request.user, **serializer.validated_data
            )

    def perform_update(self, serializer):
        with service_errors():
            serializer.instance = services.annual_figure_update(
                figure=serializer.instance, user=self.request.user, **serializer.validated_data
            )


class IntellectualPropertyViewSet(ScopedServiceViewSet):
    """IP items of enterprises (write: bureau admin/staff)."""

    model = IntellectualProperty
    select_related = ("enterprise",)
    serializer_class = IntellectualPropertySerializer
    filterset_class = IntellectualPropertyFilterSet

    def perform_create(self, serializer):
        with service_errors():
            serializer.instance = services.ip_create(
                user=self.request.user, **serializer.validated_data
            )

    def perform_update(self, serializer):
        with service_errors():
            serializer.instance = services.ip_update(
                ip=serializer.instance, user=self.request.user, **serializer.validated_data
            )


class QualificationViewSet(ScopedServiceViewSet):
    """Held qualifications (write: bureau admin/staff)."""

    model = Qualification
    select_related = ("enterprise",)
    serializer_class = QualificationSerializer
    filterset_class = QualificationFilterSet

    def perform_create(self, serializer):
        with service_errors():
            serializer.instance = services.qualification_create(
                user=self.request.user, **serializer.validated_data
            )

    def perform_update(self, serializer):
        with service_errors():
            serializer.instance = services.qualification_update(
                qualification=serializer.instance,
                user=self.request.user,
                **serializer.validated_data,
            )


class FigureSubmissionViewSet(ScopedServiceViewSet):
    """Yearly-figure submissions (docs/portal.md#workflow): an enterprise account creates and
    edits its own drafts and submits them; the town officer of the enterprise's town passes or
    returns them (with a reason); then bureau staff accept or return them (with a reason).
    Accepting writes the registry's yearly figures. Each role sees only its scope's rows."""

    model = FigureSubmission
    select_related = ("enterprise",)
    serializer_class = FigureSubmissionSerializer
    filterset_fields = ["status", "year"]
    capability = {
        **ScopedServiceViewSet.capability,
        "submit": "figure_submissions.fill",
        "town_pass": "figure_submissions.town_review",
        "town_return": "figure_submissions.town_review",
        "return_": "figure_submissions.review",
        "accept": "figure_submissions.review",
    }

    def get_serializer_class(self):
        if self.action in ("return_", "town_return"):
            return SubmissionReturnSerializer
        if self.action == "town_pass":
            return SubmissionNoteSerializer
        if self.action == "accept":
            return SubmissionAcceptSerializer
        return super().get_serializer_class()

    def perform_create(self, serializer):
        enterprise = own_enterprise(self.request.user)
        if enterprise is None:
            from rest_framework.exceptions import PermissionDenied

            raise PermissionDenied
        with service_errors():
            serializer.instance = submissions.submission_save(
                user=self.request.user, enterprise=enterprise, **serializer.validated_data
            )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("year", None)
        with service_errors():
            serializer.instance = submissions.submission_update(
                submission=serializer.instance, user=self.request.user, **data
            )

    def _done(self, submission):
        return Response(
            FigureSubmissionSerializer(submission, context={"request": self.request}).data
        )

    def _reason(self, request) -> str:
        body = SubmissionReturnSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return body.validated_data["reason"]

    @extend_schema(request=None, responses=FigureSubmissionSerializer)
    @action(detail=True, methods=["post"], permission_classes=[HasCapability])
    def submit(self, request, pk=None):
        """Send a draft or returned submission to the town's review (the enterprise)."""
        with service_errors():
            submission = submissions.submission_submit(
                submission=self.get_object(), user=request.user
            )
        return self._done(submission)

    @extend_schema(request=SubmissionNoteSerializer, responses=FigureSubmissionSerializer)
    @action(
        detail=True,
        methods=["post"],
        url_path="town-pass",
        url_name="town-pass",
        permission_classes=[HasCapability],
    )
    def town_pass(self, request, pk=None):
        """Pass a submitted submission on to the bureau (the town officer of its town)."""
        submission = self.get_object()
        body = SubmissionNoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with service_errors():
            submission = submissions.submission_town_pass(
                submission=submission, user=request.user, note=body.validated_data.get("note", "")
            )
        return self._done(submission)

    @extend_schema(request=SubmissionReturnSerializer, responses=FigureSubmissionSerializer)
    @action(
        detail=True,
        methods=["post"],
        url_path="town-return",
        url_name="town-return",
        permission_classes=[HasCapability],
    )
    def town_return(self, request, pk=None):
        """Return a submitted submission to the enterprise with a reason (the town officer)."""
        submission = self.get_object()
        reason = self._reason(request)
        with service_errors():
            submission = submissions.submission_town_return(
                submission=submission, user=request.user, reason=reason
            )
        return self._done(submission)

    @extend_schema(request=SubmissionReturnSerializer, responses=FigureSubmissionSerializer)
    @action(
        detail=True,
        methods=["post"],
        url_path="return",
        url_name="return",
        permission_classes=[HasCapability],
    )
    def return_(self, request, pk=None):
        """Return a submission the town passed to the enterprise with a reason (bureau staff)."""
        submission = self.get_object()
        reason = self._reason(request)
        with service_errors():
            submission = submissions.submission_return(
                submission=submission, user=request.user, reason=reason
            )
        return self._done(submission)

    @extend_schema(request=SubmissionAcceptSerializer, responses=FigureSubmissionSerializer)
    @action(detail=True, methods=["post"], permission_classes=[HasCapability])
    def accept(self, request, pk=None):
        """Accept a submission the town passed: its values become the registry's yearly
        figures. Values differing from official figures need `confirm_official: true`."""
        submission = self.get_object()
        body = SubmissionAcceptSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with service_errors():
            submission = submissions.submission_accept(
                submission=submission,
                user=request.user,
                confirm_official=body.validated_data.get("confirm_official", False),
            )
        return self._done(submission)
