"""Template helpers of the access policy: `{% load access %}{% if user|can:"reports.generate" %}`."""

from django import template

from kechuang.core.access import can as _can

register = template.Library()


@register.filter
def can(user, capability: str) -> bool:
    """Whether the user holds `capability` of the access policy."""
    return bool(user) and _can(user, capability)
