"""FilterSets of R&D institutions, shared by the HTML list and the API query string."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from kechuang.core.filters import BaseFilterSet
from kechuang.enterprises.filters import CreditCodeFilter, YearFilter, town_filter

from .figures import RD_INSTITUTIONS_TOTAL
from .models import InstitutionLevel, InstitutionStatus, RDInstitution
from .selectors import institution_filters

__all__ = ["RDInstitutionFilterSet"]


class RDInstitutionFilterSet(BaseFilterSet):
    """R&D institution filters: level, year recognised, status, enterprise, town."""

    level = django_filters.ChoiceFilter(choices=InstitutionLevel.choices)
    year_recognised = YearFilter(
        field_name="year_recognised", label=_("year recognised"), data_years=False
    )
    status = django_filters.ChoiceFilter(choices=InstitutionStatus.choices)
    recognised_by = YearFilter(
        method="filter_recognised_by",
        label=_("cumulative at the end of year"),
        data_years=False,
    )
    credit_code = CreditCodeFilter(field_name="enterprise__credit_code", label=_("credit code"))
    town = town_filter("enterprise__town")

    class Meta:
        model = RDInstitution
        fields = ["level", "year_recognised", "recognised_by", "status", "credit_code", "town"]

    def filter_recognised_by(self, queryset, name, value):
        """Institutions counted in the cumulative total at the end of `value` (same filter as
        platforms.selectors.institution_filters)."""
        return queryset.filter(institution_filters(value)[RD_INSTITUTIONS_TOTAL])
