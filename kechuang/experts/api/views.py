"""API of the expert pool, mounted at /api/v1/experts/.

Reads are scoped (`for_user`): bureau staff see every row, an expert their own record, a
university user its organisation's experts. Writes go through the services.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import mixins, serializers, viewsets

from kechuang.core.access import HasCapability, can
from kechuang.enterprises.api.views import service_errors

from .. import selectors, services
from ..filters import ExpertFilterSet, OrganisationFilterSet
from ..models import Expert, ExpertRelationship, Organisation
from .serializers import ExpertSerializer, OrganisationSerializer, RelationshipSerializer

__all__ = ["OrganisationViewSet", "ExpertViewSet", "RelationshipViewSet"]


class _ViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    model = Organisation
    lookup_value_regex = r"\d+"
    permission_classes = [HasCapability]

    def get_queryset(self):
        rows = selectors.api_rows(self.model, self.request.user)
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return rows.none()
        return rows


class OrganisationViewSet(_ViewSet):
    """Organisations (write: bureau staff)."""

    model = Organisation
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilterSet
    capability = {"list": "api.read", "retrieve": "api.read", "*": "organisations.manage"}

    def perform_create(self, serializer):
        with service_errors():
            serializer.instance = services.organisation_save(
                user=self.request.user, data=serializer.validated_data
            )

    def perform_update(self, serializer):
        with service_errors():
            serializer.instance = services.organisation_save(
                user=self.request.user, data=serializer.validated_data, instance=serializer.instance
            )


class ExpertViewSet(_ViewSet):
    """Experts; phone and e-mail only for bureau staff and the expert themself (write: staff)."""

    model = Expert
    serializer_class = ExpertSerializer
    filterset_class = ExpertFilterSet
    capability = {"list": "api.read", "retrieve": "api.read", "*": "experts.manage"}

    def get_queryset(self):
        return super().get_queryset().select_related("organisation").prefetch_related("fields")

    def _save(self, serializer, instance=None):
        data = dict(serializer.validated_data)
        fields = data.pop("fields", None)
        with service_errors():
            serializer.instance = services.expert_save(
                user=self.request.user, data=data, fields=fields, instance=instance
            )

    def perform_create(self, serializer):
        self._save(serializer)

    def perform_update(self, serializer):
        self._save(serializer, serializer.instance)


class RelationshipViewSet(_ViewSet):
    """Declared relationships of the experts in scope; an expert declares on their own record."""

    model = ExpertRelationship
    serializer_class = RelationshipSerializer
    capability = {
        "list": "api.read",
        "retrieve": "api.read",
        "create": "experts.declare",
        "*": "experts.manage",
    }

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        expert = data.pop("expert")
        if not selectors.expert_in_scope(self.request.user, expert) or not (
            can(self.request.user, "experts.manage") or expert.user_id == self.request.user.pk
        ):
            raise serializers.ValidationError({"expert": [_("Choose your own expert record.")]})
        with service_errors():
            serializer.instance = services.relationship_save(
                user=self.request.user, data=data, expert=expert
            )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("expert", None)
        with service_errors():
            serializer.instance = services.relationship_save(
                user=self.request.user,
                data=data,
                expert=serializer.instance.expert,
                instance=serializer.instance,
            )
