"""FilterSets of the expert pool, shared by the HTML lists and the API query strings."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kechuang.core.filters import BaseFilterSet, BoundedModelChoiceFilter

from .choices import Availability, OrganisationKind
from .models import Expert, Field, Organisation

__all__ = ["ExpertFilterSet", "OrganisationFilterSet"]


class ExpertFilterSet(BaseFilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("name or summary contains"))
    field = BoundedModelChoiceFilter(
        field_name="fields", queryset=Field.objects.filter(active=True), label=_("field")
    )
    organisation = BoundedModelChoiceFilter(
        queryset=Organisation.objects.all(), label=_("organisation")
    )
    availability = django_filters.ChoiceFilter(
        choices=Availability.choices, label=_("availability")
    )
    active = django_filters.BooleanFilter(label=_("active"))

    class Meta:
        model = Expert
        fields = ["q", "field", "organisation", "availability", "active"]

    def filter_q(self, queryset, name, value):
        value = value.strip()[:64]
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(summary__icontains=value) | Q(title__icontains=value)
        )

    @property
    def qs(self):
        return super().qs.distinct()


class OrganisationFilterSet(BaseFilterSet):
    q = django_filters.CharFilter(
        field_name="name", lookup_expr="icontains", label=_("name contains")
    )
    kind = django_filters.ChoiceFilter(choices=OrganisationKind.choices, label=_("kind"))

    class Meta:
        model = Organisation
        fields = ["q", "kind"]
