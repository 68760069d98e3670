"""The console's user list filter: role, town (the officer's or the enterprise's), status."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kechuang.core.filters import ANY_LABEL, BaseFilterSet, BoundedModelChoiceFilter
from kechuang.core.roles import Role
from kechuang.regions.selectors import home_towns

__all__ = ["UserFilterSet"]


def _towns(request):
    return home_towns()


class UserFilterSet(BaseFilterSet):
    q = django_filters.CharFilter(label=_("User name or name"), method="filter_q", max_length=64)
    role = django_filters.ChoiceFilter(label=_("Role"), choices=Role.choices, method="filter_role")
    town = BoundedModelChoiceFilter(label=_("Town/street"), queryset=_towns, method="filter_town")
    active = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[("yes", _("Active")), ("no", _("Deactivated"))],
        method="filter_active",
        empty_label=ANY_LABEL,
    )

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            Q(username__icontains=value) | Q(profile__display_name__icontains=value)
        )

    def filter_role(self, queryset, name, value):
        if value == Role.BUREAU_ADMIN:
            return queryset.filter(Q(groups__name=value) | Q(is_superuser=True)).distinct()
        return queryset.filter(groups__name=value)

    def filter_town(self, queryset, name, value):
        return queryset.filter(Q(profile__town=value) | Q(profile__enterprise__town=value))

    def filter_active(self, queryset, name, value):
        return queryset.filter(is_active=value == "yes")
