"""FilterSets of the cooperation lists, shared by the HTML pages and the API query strings.
They never scope: views pass querysets that already went through `for_user`."""

from __future__ import annotations

import datetime as dt

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kechuang.core.filters import BaseFilterSet, BoundedModelChoiceFilter
from kechuang.enterprises.filters import YearFilter, town_filter
from kechuang.experts.models import Organisation

from .choices import (
    BrokeringStage,
    CompetitionStage,
    ContractType,
    CooperationMode,
    DemandSource,
    DemandStatus,
    EventKind,
    Maturity,
    RegistrationStatus,
)
from .models import (
    Achievement,
    BrokeringRecord,
    CompetitionEntrant,
    CooperationEvent,
    TechContract,
    TechDemand,
)
from .selectors import events_of_year

__all__ = [
    "DemandFilterSet",
    "AchievementFilterSet",
    "BrokeringFilterSet",
    "ContractFilterSet",
    "EventFilterSet",
    "EntrantFilterSet",
]


class DemandFilterSet(BaseFilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("title or enterprise contains"))
    status = django_filters.ChoiceFilter(choices=DemandStatus.choices, label=_("status"))
    origin = django_filters.ChoiceFilter(choices=DemandSource.choices, label=_("source"))
    mode = django_filters.ChoiceFilter(choices=CooperationMode.choices, label=_("cooperation mode"))
    town = town_filter("enterprise__town")
    matched_at_events = YearFilter(
        method="filter_matched_at_events",
        label=_("matched at the year's 千企百校万里行 events"),
        data_years=False,
    )

    class Meta:
        model = TechDemand
        fields = ["q", "status", "origin", "mode", "town", "matched_at_events"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(enterprise__name__icontains=value))

    def filter_matched_at_events(self, queryset, name, value):
        return queryset.filter(
            brokering__event__in=events_of_year(value), brokering__supplier__isnull=False
        ).distinct()


class AchievementFilterSet(BaseFilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("title or keyword contains"))
    organisation = BoundedModelChoiceFilter(
        queryset=Organisation.objects.all(), label=_("institution")
    )
    maturity = django_filters.ChoiceFilter(choices=Maturity.choices, label=_("maturity"))
    active = django_filters.BooleanFilter(label=_("offered"))

    class Meta:
        model = Achievement
        fields = ["q", "organisation", "maturity", "active"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(keywords__icontains=value))


class BrokeringFilterSet(BaseFilterSet):
    stage = django_filters.ChoiceFilter(choices=BrokeringStage.choices, label=_("stage"))
    event = BoundedModelChoiceFilter(queryset=CooperationEvent.objects.all(), label=_("event"))
    supplier = BoundedModelChoiceFilter(queryset=Organisation.objects.all(), label=_("supplier"))

    class Meta:
        model = BrokeringRecord
        fields = ["stage", "event", "supplier"]


class ContractFilterSet(BaseFilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("title, seller or buyer contains"))
    status = django_filters.ChoiceFilter(choices=RegistrationStatus.choices, label=_("status"))
    registered_type = django_filters.ChoiceFilter(
        choices=ContractType.choices, label=_("type registered")
    )
    year = YearFilter(field_name="decided_on__year", label=_("year registered"), data_years=False)
    town = town_filter("town")
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("overdue"))
    near_limit = django_filters.BooleanFilter(
        method="filter_near_limit", label=_("near the time limit")
    )

    class Meta:
        model = TechContract
        fields = ["q", "status", "registered_type", "year", "town", "overdue", "near_limit"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value) | Q(seller__icontains=value) | Q(buyer__icontains=value)
        )

    def filter_overdue(self, queryset, name, value):
        from .selectors import contracts_overdue

        late = [c.pk for c in contracts_overdue(queryset, dt.date.today())]
        return queryset.filter(pk__in=late) if value else queryset.exclude(pk__in=late)

    def filter_near_limit(self, queryset, name, value):
        from .selectors import contracts_near_limit

        near = [c.pk for c in contracts_near_limit(queryset, dt.date.today())]
        return queryset.filter(pk__in=near) if value else queryset.exclude(pk__in=near)


class EventFilterSet(BaseFilterSet):
    year = YearFilter(field_name="date__year", data_years=False, label=_("year"))
    kind = django_filters.ChoiceFilter(choices=EventKind.choices, label=_("kind"))

    class Meta:
        model = CooperationEvent
        fields = ["year", "kind"]


class EntrantFilterSet(BaseFilterSet):
    stage = django_filters.ChoiceFilter(
        choices=CompetitionStage.choices, method="filter_stage", label=_("reached stage")
    )

    class Meta:
        model = CompetitionEntrant
        fields = ["stage", "group", "track"]

    def filter_stage(self, queryset, name, value):
        return queryset.filter(results__stage=value).distinct()
