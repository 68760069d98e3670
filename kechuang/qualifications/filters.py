"""FilterSets of the stored assessment results (API query strings)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from kechuang.core.filters import BaseFilterSet, IdFilter
from kechuang.enterprises.filters import CreditCodeFilter, YearFilter

from .models import AssessmentResult, ResultStatus, Tier

__all__ = ["AssessmentResultFilterSet"]


class AssessmentResultFilterSet(BaseFilterSet):
    """Results by assessment year, tier, status, enterprise (pk or credit code), held flag."""

    year = YearFilter(field_name="run__year", label=_("assessment year"))
    tier = django_filters.ChoiceFilter(choices=Tier.choices)
    status = django_filters.ChoiceFilter(choices=ResultStatus.choices)
    enterprise = IdFilter(field_name="enterprise_id", label=_("enterprise"))
    credit_code = CreditCodeFilter(field_name="enterprise__credit_code", label=_("credit code"))
    held = django_filters.BooleanFilter(field_name="held")

    class Meta:
        model = AssessmentResult
        fields = ["year", "tier", "status", "enterprise", "credit_code", "held"]
