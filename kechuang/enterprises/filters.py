"""FilterSets of the enterprise registry, shared by the HTML lists and the API query strings.

Every filter is one SQL condition (Exists subqueries for per-year facts), so a filtered list is
still one query whatever its length. FilterSets never scope: views pass a queryset that already
went through `for_user`.
"""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from kechuang.core.filters import BaseFilterSet, BoundedDateFilter, BoundedModelChoiceFilter
from kechuang.core.years import year_choices
from kechuang.regions.models import Town

from .choices import (
    IP_CLASS_BY_KIND,
    IPClass,
    IPKind,
    IPStatus,
    QualificationKind,
    QualificationStatus,
)
from .constants import FIRST_REPORTING_YEAR, LAST_REPORTING_YEAR
from .logic.industry import DIVISIONS
from .models import AnnualFigure, Enterprise, IntellectualProperty, Qualification

__all__ = [
    "YearFilter",
    "CreditCodeFilter",
    "town_filter",
    "EnterpriseFilterSet",
    "AnnualFigureFilterSet",
    "IntellectualPropertyFilterSet",
    "QualificationFilterSet",
]

INDUSTRY_DIVISION_CHOICES = [(code, f"{code} {name}") for code, name in sorted(DIVISIONS.items())]


# ------------------------------------------------------------------ reusable filters


@extend_schema_field(OpenApiTypes.INT)
class YearFilter(django_filters.NumberFilter):
    """A calendar year within the reporting range (out-of-range input is a 400, not a 500).

    In a filter form it is a select: the years with yearly figures (`data_years=True`, the
    default), or every year of the reporting window.
    """

    field_class = forms.IntegerField

    def __init__(self, *args, data_years: bool = True, **kwargs):
        self.year_choices = lambda: year_choices(with_data=data_years)
        kwargs.setdefault("min_value", FIRST_REPORTING_YEAR)
        kwargs.setdefault("max_value", LAST_REPORTING_YEAR)
        super().__init__(*args, **kwargs)


class CreditCodeFilter(django_filters.CharFilter):
    """Exact credit code of the row's enterprise, case- and whitespace-insensitive."""

    def filter(self, qs, value):
        return super().filter(qs, value.strip().upper() if value else value)


def town_filter(field_name: str) -> BoundedModelChoiceFilter:
    return BoundedModelChoiceFilter(
        field_name=field_name, queryset=Town.objects.all(), label=_("town/street")
    )


# The yearly-figure fields a list view annotates as `fy_<field>` from its `fy` join.
JOINED_FIGURE_FIELDS = ("is_above_scale_industrial", "operating_revenue", "rd_expense_stat")


def _joins_figures_of(queryset, year: int) -> bool:
    """Whether `queryset` carries FilteredRelation("annual_figures", year=year) as `fy`."""
    relation = queryset.query._filtered_relations.get("fy")
    annotations = queryset.query.annotations
    # Django rewrites the condition to the alias once the relation is used in an annotation.
    return (
        relation is not None
        and relation.condition in (Q(annual_figures__year=year), Q(fy__year=year))
        and all(f"fy_{f}" in annotations for f in JOINED_FIGURE_FIELDS)
    )


def _end_of_year(year: int) -> dt.date:
    return dt.date(year, 12, 31)


# ------------------------------------------------------------------ Enterprise


class EnterpriseFilterSet(BaseFilterSet):
    """Enterprise list filters.

    `year` is the reference year of the per-year filters: `tier` (qualification valid on
    31 December of `year`), `above_scale` and `has_rd` (that year's figures). Without `year`,
    `tier` means valid today and the figure filters use the latest year on record.
    """

    q = django_filters.CharFilter(method="filter_q", label=_("name or credit code contains"))
    town = town_filter("town")
    industry = django_filters.ChoiceFilter(
        choices=INDUSTRY_DIVISION_CHOICES, method="filter_industry", label=_("industry division")
    )
    year = YearFilter(method="filter_noop", label=_("year"))
    tier = django_filters.ChoiceFilter(
        choices=QualificationKind.choices, method="filter_tier", label=_("qualification held")
    )
    above_scale = django_filters.BooleanFilter(method="filter_above_scale", label=_("above-scale"))
    has_rd = django_filters.BooleanFilter(method="filter_has_rd", label=_("has R&D expense"))
    ordering = django_filters.OrderingFilter(
        fields=(
            ("name", "name"),
            ("credit_code", "credit_code"),
            ("town__sort_order", "town"),
            ("industry_code", "industry_code"),
        ),
    )

    class Meta:
        model = Enterprise
        fields = ["q", "town", "industry", "year", "tier", "above_scale", "has_rd"]

    # The year the per-year filters refer to.
    def _figure_year(self) -> int | None:
        year = self.form.cleaned_data.get("year")
        if year is None:
            year = AnnualFigure.objects.order_by("-year").values_list("year", flat=True).first()
        return year

    def filter_noop(self, queryset, name, value):
        return queryset

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(credit_code__icontains=value.upper()))

    def filter_industry(self, queryset, name, value):
        return queryset.filter(industry_code__startswith=value)

    def filter_tier(self, queryset, name, value):
        year = self.form.cleaned_data.get("year")
        on = _end_of_year(year) if year else dt.date.today()
        held = Qualification.objects.filter(enterprise=OuterRef("pk"), kind=value).valid_on(on)
        return queryset.filter(Exists(held))

    def _figure_exists(self, queryset, value, condition):
        """Enterprises whose figures of the reference year meet `condition` (or not).

        condition: a function prefix -> Q over AnnualFigure fields ("" for the figures
        themselves, "fy_" for the list view's `fy_<field>` annotations), so one definition
        serves both the join of the list view and a correlated subquery elsewhere.
        """
        year = self._figure_year()
        if year is None:
            return queryset.none() if value else queryset
        if _joins_figures_of(queryset, year):
            # The list view already joined this year's figures as `fy` and annotated them as
            # `fy_<field>`: filter on those annotations — the same join, so one index serves the
            # filter and the sort — instead of a correlated subquery per enterprise.
            q = condition("fy_")
            return queryset.filter(q) if value else queryset.exclude(q)
        figures = AnnualFigure.objects.filter(condition(""), enterprise=OuterRef("pk"), year=year)
        return queryset.filter(Exists(figures) if value else ~Exists(figures))

    def filter_above_scale(self, queryset, name, value):
        return self._figure_exists(
            queryset, value, lambda p: Q(**{f"{p}is_above_scale_industrial": True})
        )

    def filter_has_rd(self, queryset, name, value):
        return self._figure_exists(queryset, value, lambda p: Q(**{f"{p}rd_expense_stat__gt": 0}))


# ------------------------------------------------------------------ AnnualFigure


class AnnualFigureFilterSet(BaseFilterSet):
    """Yearly-figure list filters: year, enterprise, town, above-scale flag, R&D declared."""

    year = YearFilter(field_name="year")
    credit_code = CreditCodeFilter(field_name="enterprise__credit_code", label=_("credit code"))
    town = town_filter("enterprise__town")
    above_scale = django_filters.BooleanFilter(
        field_name="is_above_scale_industrial", label=_("above-scale")
    )
    has_rd = django_filters.BooleanFilter(method="filter_has_rd", label=_("has R&D expense"))

    class Meta:
        model = AnnualFigure
        fields = ["year", "credit_code", "town", "above_scale", "has_rd"]

    def filter_has_rd(self, queryset, name, value):
        positive = Q(rd_expense_stat__gt=0)
        return queryset.filter(positive) if value else queryset.exclude(positive)


# ------------------------------------------------------------------ IntellectualProperty


class IntellectualPropertyFilterSet(BaseFilterSet):
    """IP list filters: enterprise, town, kind, class (I/II), status, number/title search."""

    q = django_filters.CharFilter(method="filter_q", label=_("number or title contains"))
    credit_code = CreditCodeFilter(field_name="enterprise__credit_code", label=_("credit code"))
    town = town_filter("enterprise__town")
    kind = django_filters.ChoiceFilter(choices=IPKind.choices)
    ip_class = django_filters.ChoiceFilter(
        choices=IPClass.choices, method="filter_ip_class", label=_("IP class")
    )
    status = django_filters.ChoiceFilter(choices=IPStatus.choices)

    class Meta:
        model = IntellectualProperty
        fields = ["q", "credit_code", "town", "kind", "ip_class", "status"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(number__icontains=value) | Q(title__icontains=value))

    def filter_ip_class(self, queryset, name, value):
        kinds = [k for k, c in IP_CLASS_BY_KIND.items() if c == value]
        if value == IPClass.NONE:
            return queryset.exclude(kind__in=list(IP_CLASS_BY_KIND))
        return queryset.filter(kind__in=kinds)


# ------------------------------------------------------------------ Qualification


class QualificationFilterSet(BaseFilterSet):
    """Qualification list filters: kind, year, batch, in force on a date, enterprise, town."""

    credit_code = CreditCodeFilter(field_name="enterprise__credit_code", label=_("credit code"))
    town = town_filter("enterprise__town")
    kind = django_filters.ChoiceFilter(choices=QualificationKind.choices)
    year = YearFilter(field_name="year")
    batch = django_filters.CharFilter(field_name="batch")
    status = django_filters.ChoiceFilter(choices=QualificationStatus.choices)
    valid_on = BoundedDateFilter(method="filter_valid_on", label=_("valid on"))

    class Meta:
        model = Qualification
        fields = ["credit_code", "town", "kind", "year", "batch", "status", "valid_on"]

    def filter_valid_on(self, queryset, name, value):
        return queryset.valid_on(value)
