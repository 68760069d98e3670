"""API viewsets of R&D institutions: list (filtered), detail, create, update; no delete."""

from __future__ import annotations

from kechuang.enterprises.api.views import ScopedServiceViewSet, service_errors
from kechuang.platforms import services
from kechuang.platforms.filters import RDInstitutionFilterSet
from kechuang.platforms.models import RDInstitution

from .serializers import RDInstitutionSerializer

__all__ = ["RDInstitutionViewSet"]


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
