"""Template filters for figures: money in 万元/亿元, percentages, deltas (all through
kechuang.core.formatting, the rounding the charts use)."""

from urllib.parse import urlencode

from django import template

from kechuang.core import formatting

register = template.Library()


@register.filter
def wan(value, places=2):
    """Yuan → 万元 with thousands separators (empty for None)."""
    return formatting.format_wan(value, int(places))


@register.filter
def yi(value, places=2):
    """Yuan → 亿元."""
    return formatting.format_yi(value, int(places))


@register.filter
def pct(value, places=1):
    """A number of percent, rounded for display (never before comparing)."""
    return formatting.format_pct(value, int(places))


@register.filter
def num(value):
    """A count (or any number, decimals kept) with thousands separators."""
    return formatting.format_number(value, None)


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
