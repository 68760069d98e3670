"""Template filters for figures: money in 万元/亿元, percentages, deltas."""

from decimal import Decimal
from urllib.parse import urlencode

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def wan(value, places=2):
    """Yuan → 万元 with thousands separators (empty for None)."""
    if value is None or value == "":
        return "—"
    return number_format(
        Decimal(value) / Decimal(10000), decimal_pos=int(places), force_grouping=True
    )


@register.filter
def yi(value, places=2):
    """Yuan → 亿元."""
    if value is None or value == "":
        return "—"
    return number_format(
        Decimal(value) / Decimal(10**8), decimal_pos=int(places), force_grouping=True
    )


@register.filter
def pct(value, places=1):
    """A number of percent, rounded for display (never before comparing)."""
    if value is None:
        return "—"
    return number_format(round(Decimal(str(value)), int(places)), decimal_pos=int(places))


@register.filter
def num(value):
    if value is None:
        return "—"
    return number_format(value, force_grouping=True)


@register.simple_tag(takes_context=True)
def querystring_with(context, **kwargs):
    """The current query string with some parameters replaced (None removes them)."""
    params = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + urlencode(params, doseq=True)


@register.filter
def widget(field):
    """Render a bound field's widget, marked `is-invalid` when it has errors."""
    if not field.errors:
        return field.as_widget()
    css = field.field.widget.attrs.get("class", "")
    return field.as_widget(attrs={"class": f"{css} is-invalid".strip()})
