"""One base FilterSet for every list: bad query-string values are form errors, never a 500.

The database bounds integers (SQLite and PostgreSQL `bigint`: -2**63 … 2**63-1; SQLite raises
OverflowError beyond it, PostgreSQL DataError), so every number filter is bounded to that range
and every model choice checks the key is such an integer before it queries. Dates are bounded
to a plausible window (a year 1 or 9999 is a typing error, not a date a register holds).
A bound form with an error gives the HTML list its field message and the API a 400 naming the
field (django-filter's DjangoFilterBackend raises a ValidationError with `form.errors`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData, mark_safe
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]  # not in the stubs
from django.utils.translation import gettext_lazy as _
from django_filters import fields as filter_fields

__all__ = [
    "DB_INT_MIN",
    "DB_INT_MAX",
    "DATE_MIN",
    "DATE_MAX",
    "BoundedModelChoiceMixin",
    "SafeModelChoiceField",
    "BoundedModelChoiceFilter",
    "IdFilter",
    "BoundedDateFilter",
    "BaseFilterSet",
    "FastSelect",
    "db_int_or_none",
]

# 64-bit signed integers: SQLite's INTEGER and PostgreSQL's bigint.
DB_INT_MIN = -(2**63)
DB_INT_MAX = 2**63 - 1
# Dates a register can hold; outside is a typing error.
DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2199, 12, 31)

_INTEGER_FIELDS = (models.AutoField, models.IntegerField)


def db_int_or_none(value, *, minimum: int = 1, maximum: int = DB_INT_MAX) -> int | None:
    """`value` as an integer within [minimum, maximum] (default: a primary key), else None.

    Accepts what a query string carries ("12", " 12 "); refuses "1e30", "NaN", "²", "1.5" and
    anything the database could not compare with an integer column.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip()
        if not text or not text.lstrip("+-").isascii() or not text.lstrip("+-").isdigit():
            return None
        if len(text) > 20:  # longer than any 64-bit integer
            return None
        number = int(text)
    return number if minimum <= number <= maximum else None


class BoundedModelChoiceMixin:
    """A model choice whose integer key is checked before the lookup (no query for "1e30")."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        key = self.to_field_name or "pk"
        field = self.queryset.model._meta.pk if key == "pk" else None
        if field is None:
            field = self.queryset.model._meta.get_field(key)
        if isinstance(field, _INTEGER_FIELDS) and not isinstance(value, self.queryset.model):
            if db_int_or_none(value, minimum=DB_INT_MIN) is None:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": str(value)[:50]},
                )
        return super().to_python(value)


class SafeModelChoiceField(BoundedModelChoiceMixin, forms.ModelChoiceField):
    """forms.ModelChoiceField for plain forms (e.g. a page's own filter form)."""


class _BoundedFilterModelChoiceField(BoundedModelChoiceMixin, filter_fields.ModelChoiceField):
    pass


class BoundedModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = _BoundedFilterModelChoiceField


class IdFilter(django_filters.NumberFilter):
    """A primary or foreign key: a whole number from 1 to the database's largest integer."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", DB_INT_MAX)
        super().__init__(*args, **kwargs)


class BoundedDateFilter(django_filters.DateFilter):
    """A date between DATE_MIN and DATE_MAX (0001-01-01 or 9999-12-31 are refused)."""

    def __init__(self, *args, **kwargs):
        kwargs["validators"] = [*kwargs.get("validators", []), _date_in_window]
        super().__init__(*args, **kwargs)


def _date_in_window(value: dt.date) -> None:
    if not DATE_MIN <= value <= DATE_MAX:
        raise ValidationError(
            _("Enter a date between %(min)s and %(max)s."),
            code="date_out_of_range",
            params={"min": DATE_MIN.isoformat(), "max": DATE_MAX.isoformat()},
        )


class BaseFilterSet(django_filters.FilterSet):
    """FilterSet whose generated filters are bounded (see the module docstring).

    Declared filters are bounded too: any NumberFilter without its own limits gets the
    database's integer range, any ModelChoiceFilter the integer-key check, any DateFilter the
    date window.
    """

    FILTER_DEFAULTS = {
        **django_filters.FilterSet.FILTER_DEFAULTS,
        models.ForeignKey: {
            "filter_class": BoundedModelChoiceFilter,
            "extra": lambda f: {"queryset": f.remote_field.model._default_manager.all()},
        },
        models.OneToOneField: {
            "filter_class": BoundedModelChoiceFilter,
            "extra": lambda f: {"queryset": f.remote_field.model._default_manager.all()},
        },
        models.DateField: {"filter_class": BoundedDateFilter},
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.filters.values():
            _bound(f)
            _plain_labels(f)

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            for field in form.fields.values():
                if type(field.widget) is forms.Select:
                    field.widget.__class__ = FastSelect
        return super().form


# ------------------------------------------------------------------ selects rendered in Python


def _text(value) -> str:
    """`{{ value }}` as a template prints it."""
    return conditional_escape(localize(template_localtime(value)))


def _formatted(value) -> str:
    """`{{ value|stringformat:'s' }}` as a template prints it."""
    return str(value) if isinstance(value, SafeData) else escape(str(value))


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(" " + _text(name))
        if value is not True:
            out.append(f'="{_formatted(value)}"')
    return "".join(out)


def select_html(widget: dict) -> str:
    """django/forms/widgets/select.html (with select_option.html) for a widget context."""
    out = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            out.append(
                f'\n  <option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_text(option['label'])}</option>\n"
            )
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out).strip()


class FastSelect(forms.Select):
    """A select whose markup is built in Python, the same as Django's templates print it: a
    filter form's industry select has about a hundred options, and three template renders per
    option were a large part of a list page's CPU (docs/performance.md#list-pages)."""

    def _render(self, template_name, context, renderer=None):
        if (
            template_name != forms.Select.template_name
            or self.option_template_name != forms.Select.option_template_name
        ):
            return super()._render(template_name, context, renderer)
        return mark_safe(select_html(context["widget"]))


# "Any value" is 全部 in every select of a filter form (never "---------" or 未知).
ANY_LABEL = _("All")


def boolean_choices():
    return [("", ANY_LABEL), ("true", _("Yes")), ("false", _("No"))]


def _plain_labels(f) -> None:
    """Selects say 全部 for "any"; a yes/no filter offers 全部 / 是 / 否; a year filter whose
    `year_choices` is set offers those years (a picker instead of a free number)."""
    if isinstance(f, (django_filters.ChoiceFilter, django_filters.ModelChoiceFilter)):
        f.extra["empty_label"] = ANY_LABEL
    elif isinstance(f, django_filters.BooleanFilter) and "widget" not in f.extra:
        f.extra["widget"] = forms.Select(choices=boolean_choices())
    years = getattr(f, "year_choices", None)
    if years is not None and "widget" not in f.extra:
        f.extra["widget"] = forms.Select(choices=[("", ANY_LABEL), *years()])


def _bound(f) -> None:
    f.__dict__.pop("_field", None)  # a field built before the bounds were set
    if isinstance(f, django_filters.NumberFilter):
        # NumberFilter's field is a DecimalField: it already refuses NaN and Infinity.
        f.extra.setdefault("min_value", Decimal(DB_INT_MIN))
        f.extra.setdefault("max_value", Decimal(DB_INT_MAX))
    elif isinstance(f, django_filters.ModelChoiceFilter) and not isinstance(
        f, BoundedModelChoiceFilter
    ):
        f.field_class = _BoundedFilterModelChoiceField
    elif isinstance(f, django_filters.DateFilter) and not isinstance(f, BoundedDateFilter):
        validators = list(f.extra.get("validators", []))
        if _date_in_window not in validators:
            f.extra["validators"] = [*validators, _date_in_window]
