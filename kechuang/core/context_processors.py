"""Template context shared by every page: the navigation the user's role may use."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .access import NAVIGATION, ScopeKind, can, navigation_items, role_scope
from .permissions import user_role

__all__ = ["NAVIGATION", "navigation"]


def navigation(request):
    """The navigation entries for the current user (from the access policy), and their role."""
    user = getattr(request, "user", None)
    role = user_role(user)
    items = navigation_items(user, request.path) if role else []
    if role and role_scope(user, "enterprise.view") == ScopeKind.OWN:
        enterprise_id = getattr(getattr(user, "profile", None), "enterprise_id", None)
        if enterprise_id:
            url = reverse("enterprises:enterprise_detail", args=[enterprise_id])
            items.append({"url": url, "label": _("My enterprise"), "active": request.path == url})
    return {
        "nav_items": items,
        "user_role": role,
        "is_staff_role": bool(role) and can(user, "enterprise.change"),
    }
