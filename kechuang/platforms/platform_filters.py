"""FilterSets of the platform pages (and the API query string); the event and valid-at filters
are the same filters the catalogue figures count with, so a drill-down lists exactly the
figure's platforms."""

from __future__ import annotations

import datetime as dt

import django_filters
from django.utils.translation import gettext_lazy as _

from kechuang.core.filters import BaseFilterSet
from kechuang.enterprises.filters import YearFilter, town_filter

from .models import (
    EventKind,
    Milestone,
    MilestoneStatus,
    Platform,
    PlatformLevel,
    PlatformStage,
    PlatformType,
    ThreeReturns,
)
from .platform_selectors import (
    event_filter,
    level_at_filter,
    overdue_milestones,
    valid_at_filter,
)

__all__ = ["PlatformFilterSet", "MilestoneFilterSet", "ThreeReturnsFilterSet"]


class PlatformFilterSet(BaseFilterSet):
    """Type, current level and stage, town, name; a dated step in a year (at a level); valid at
    the end of a year."""

    name = django_filters.CharFilter(lookup_expr="icontains", label=_("name"), max_length=64)
    kind = django_filters.ChoiceFilter(choices=PlatformType.choices, label=_("type"))
    level = django_filters.ChoiceFilter(choices=PlatformLevel.choices, label=_("level"))
    stage = django_filters.ChoiceFilter(choices=PlatformStage.choices, label=_("stage"))
    town = town_filter("town")
    event = django_filters.ChoiceFilter(
        choices=EventKind.choices, label=_("step"), method="filter_noop"
    )
    event_year = YearFilter(label=_("year of the step"), data_years=False, method="filter_noop")
    event_level = django_filters.ChoiceFilter(
        choices=PlatformLevel.choices, label=_("level of the step"), method="filter_noop"
    )
    valid_at = YearFilter(
        label=_("valid at the end of year"), data_years=False, method="filter_valid_at"
    )
    level_at = django_filters.ChoiceFilter(
        choices=PlatformLevel.choices,
        label=_("level at the end of that year"),
        method="filter_noop",
    )

    class Meta:
        model = Platform
        fields = ["name", "kind", "level", "stage", "town"]

    def filter_noop(self, queryset, name, value):
        return queryset

    def filter_valid_at(self, queryset, name, value):
        return queryset.filter(valid_at_filter(value))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        if data.get("valid_at") and data.get("level_at"):
            queryset = queryset.filter(level_at_filter(data["valid_at"], data["level_at"]))
        if data.get("event") and data.get("event_year"):
            queryset = queryset.filter(
                event_filter(
                    data["event"], data["event_year"], level=data.get("event_level") or None
                )
            )
        return queryset


class MilestoneFilterSet(BaseFilterSet):
    status = django_filters.ChoiceFilter(choices=MilestoneStatus.choices, label=_("status"))
    overdue = django_filters.BooleanFilter(label=_("overdue"), method="filter_overdue")

    class Meta:
        model = Milestone
        fields = ["status", "platform"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = overdue_milestones(dt.date.today(), queryset)
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))


class ThreeReturnsFilterSet(BaseFilterSet):
    year = YearFilter(data_years=False)

    class Meta:
        model = ThreeReturns
        fields = ["year", "enclave"]
