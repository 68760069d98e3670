"""FilterSets of campaigns and visit tasks, shared by the HTML lists and the API query strings.

FilterSets never scope: views pass a queryset that already went through `for_user`.
"""

from __future__ import annotations

import datetime as dt

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kechuang.core.filters import BaseFilterSet, BoundedModelChoiceFilter, IdFilter
from kechuang.enterprises.filters import YearFilter, town_filter

from .choices import CampaignKind, TaskState
from .models import Campaign, VisitRecord, VisitTask

__all__ = ["CampaignFilterSet", "VisitTaskFilterSet", "VisitRecordFilterSet"]


class CampaignFilterSet(BaseFilterSet):
    year = YearFilter(field_name="year")
    kind = django_filters.ChoiceFilter(choices=CampaignKind.choices, label=_("kind"))

    class Meta:
        model = Campaign
        fields = ["year", "kind"]


class VisitTaskFilterSet(BaseFilterSet):
    """Task list filters: campaign, state, town, overdue, unassigned, mine, enterprise name."""

    q = django_filters.CharFilter(method="filter_q", label=_("enterprise contains"))
    campaign = BoundedModelChoiceFilter(queryset=Campaign.objects.all(), label=_("campaign"))
    state = django_filters.ChoiceFilter(choices=TaskState.choices, label=_("state"))
    town = town_filter("enterprise__town")
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("overdue"))
    unassigned = django_filters.BooleanFilter(
        field_name="assignee", lookup_expr="isnull", label=_("unassigned")
    )
    mine = django_filters.BooleanFilter(method="filter_mine", label=_("assigned to me"))
    ordering = django_filters.OrderingFilter(
        fields=(("due_date", "due_date"), ("enterprise__name", "enterprise"), ("state", "state"))
    )

    class Meta:
        model = VisitTask
        fields = ["q", "campaign", "state", "town", "overdue", "unassigned", "mine"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = kwargs.get("request") or getattr(self, "request", None)
        if request is not None:
            from .selectors import campaign_list

            self.filters["campaign"].queryset = campaign_list(request.user)

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(enterprise__name__icontains=value) | Q(enterprise__credit_code__icontains=value)
        )

    def filter_overdue(self, queryset, name, value):
        condition = ~Q(state=TaskState.CLOSED) & Q(due_date__lt=dt.date.today())
        return queryset.filter(condition) if value else queryset.exclude(condition)

    def filter_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        if user is None:
            return queryset
        return queryset.filter(assignee=user) if value else queryset.exclude(assignee=user)


class VisitRecordFilterSet(BaseFilterSet):
    enterprise = IdFilter(field_name="enterprise_id", label=_("enterprise"))
    task = IdFilter(field_name="tasks__id", label=_("visit task"))

    class Meta:
        model = VisitRecord
        fields = ["enterprise", "task"]
