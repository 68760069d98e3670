"""FilterSets of objections (staff list and API)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from kechuang.core.filters import BaseFilterSet, BoundedModelChoiceFilter

from .choices import NoticeKind, NoticeStatus, ObjectionStatus
from .models import Notice, Objection

__all__ = ["ObjectionFilterSet", "NoticeFilterSet"]


class ObjectionFilterSet(BaseFilterSet):
    notice = BoundedModelChoiceFilter(queryset=Notice.objects.all(), label=_("notice"))
    status = django_filters.ChoiceFilter(choices=ObjectionStatus.choices, label=_("status"))

    class Meta:
        model = Objection
        fields = ["notice", "status"]


class NoticeFilterSet(BaseFilterSet):
    kind = django_filters.ChoiceFilter(choices=NoticeKind.choices, label=_("kind"))
    status = django_filters.ChoiceFilter(choices=NoticeStatus.choices, label=_("status"))

    class Meta:
        model = Notice
        fields = ["kind", "status"]
