"""API viewsets of R&D institutions (list, detail, create, update; no delete) and of platforms
(read-only)."""

from __future__ import annotations

from rest_framework import mixins, viewsets

from kechuang.core.access import HasCapability
from kechuang.enterprises.api.views import ScopedServiceViewSet, service_errors
from kechuang.platforms import services
from kechuang.platforms.filters import RDInstitutionFilterSet
from kechuang.platforms.models import RDInstitution
from kechuang.platforms.platform_filters import PlatformFilterSet
from kechuang.platforms.platform_selectors import platforms_for

from .serializers import PlatformSerializer, RDInstitutionSerializer

__all__ = ["RDInstitutionViewSet", "PlatformViewSet"]


class RDInstitutionViewSet(ScopedServiceViewSet):
    """Enterprise R&D institutions (write: bureau admin/staff)."""

    model = RDInstitution
    select_related = ("enterprise",)
    serializer_class = RDInstitutionSerializer
    filterset_class = RDInstitutionFilterSet

    def perform_create(self, serializer):
        with service_errors():
            serializer.instance = services.institution_create(
                user=self.request.user, **serializer.validated_data
            )

    def perform_update(self, serializer):
        with service_errors():
            serializer.instance = services.institution_update(
                institution=serializer.instance, user=self.request.user, **serializer.validated_data
            )


class PlatformViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Innovation platforms the user sees (read-only; the registry is kept on the pages)."""

    lookup_value_regex = r"\d+"
    permission_classes = [HasCapability]
    capability = "platforms.view"
    serializer_class = PlatformSerializer
    filterset_class = PlatformFilterSet

    def get_queryset(self):
        return platforms_for(self.request.user).order_by("kind", "name")
