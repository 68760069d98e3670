"""The enterprise list filters plus the R&D page's revenue band (drill-down of the band slice)."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kechuang.enterprises.filters import EnterpriseFilterSet

from .logic.aggregates import REVENUE_BANDS, UNKNOWN_BAND
from .selectors import REVENUE_BAND_LABELS

__all__ = ["RdEnterpriseFilterSet", "revenue_band_q"]


def revenue_band_q(band: str, prefix: str = "") -> Q:
    """The operating-revenue condition of a REVENUE_BANDS key (upper bounds inclusive)."""
    field = f"{prefix}operating_revenue"
    if band == UNKNOWN_BAND:
        return Q(**{f"{field}__isnull": True})
    lower = None
    for key, upper in REVENUE_BANDS:
        if key == band:
            q = Q(**{f"{field}__isnull": False})
            if lower is not None:
                q &= Q(**{f"{field}__gt": lower})
            if upper is not None:
                q &= Q(**{f"{field}__lte": upper})
            return q
        lower = upper
    raise ValueError(band)


class RdEnterpriseFilterSet(EnterpriseFilterSet):
    """EnterpriseFilterSet + `revenue_band` (operating revenue of the `year`'s figures)."""

    revenue_band = django_filters.ChoiceFilter(
        choices=list(REVENUE_BAND_LABELS.items()),
        method="filter_revenue_band",
        label=_("Revenue band"),
    )

    class Meta(EnterpriseFilterSet.Meta):
        fields = [*EnterpriseFilterSet.Meta.fields, "revenue_band"]

    def filter_revenue_band(self, queryset, name, value):
        return self._figure_exists(queryset, True, lambda prefix: revenue_band_q(value, prefix))
