"""Template filters that show figures through kechuang.core.formatting (the same rounding as
the charts): {% load formatting_tags %} … {{ yuan|fmt_wan:0 }} 万元, {{ pct|fmt_pct:2 }} %."""

from django import template

from kechuang.core import formatting

register = template.Library()


@register.filter
def fmt_num(value, places=0):
    """A count or amount with thousands separators, rounded half up (default: whole)."""
    return formatting.format_number(value, None if places in (None, "") else int(places))


@register.filter
def fmt_wan(value, places=2):
    """Yuan → 万元."""
    return formatting.format_wan(value, int(places))


@register.filter
def fmt_yi(value, places=2):
    """Yuan → 亿元."""
    return formatting.format_yi(value, int(places))


@register.filter
def fmt_pct(value, places=1):
    """A number of percent with `places` decimals (no "%" sign)."""
    return formatting.format_pct(value, int(places))
