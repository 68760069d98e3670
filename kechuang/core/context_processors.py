"""Template context shared by every page: the navigation the user's role may use."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .permissions import user_role
from .roles import READ_ALL_ROLES, STAFF_ROLES, Role

# (url name, label, roles that see it). Later apps append their entries.
NAVIGATION = [
    ("dashboard:home", _("Dashboard"), READ_ALL_ROLES | {Role.TOWN_OFFICER}),
    ("enterprises:enterprise_list", _("Enterprises"), STAFF_ROLES | {Role.TOWN_OFFICER}),
    ("enterprises:qualification_list", _("Qualifications"), STAFF_ROLES | {Role.TOWN_OFFICER}),
    ("platforms:institution_list", _("R&D institutions"), STAFF_ROLES | {Role.TOWN_OFFICER}),
    ("qualifications:ladder", _("Cultivation ladder"), READ_ALL_ROLES | {Role.TOWN_OFFICER}),
    ("qualifications:reserve_pool", _("Reserve pool"), STAFF_ROLES | {Role.TOWN_OFFICER}),
    ("rnd:rd_overview", _("R&D investment"), STAFF_ROLES | {Role.TOWN_OFFICER}),
    (
        "campaigns:campaign_list",
        _("Visits and services"),
        STAFF_ROLES | {Role.TOWN_OFFICER, Role.AGENCY},
    ),
    ("indicators:leadership", _("Indicators"), READ_ALL_ROLES),
    ("reports:report_home", _("Reports"), READ_ALL_ROLES),
    ("imports:import_list", _("Import"), STAFF_ROLES),
]


def navigation(request):
    """The navigation entries for the current user, and their role."""
    user = getattr(request, "user", None)
    role = user_role(user)
    items = []
    if role:
        for url_name, label, roles in NAVIGATION:
            if role in roles:
                url = reverse(url_name)
                items.append(
                    {
                        "url": url,
                        "label": label,
                        "active": request.path.startswith(url) and url != "/",
                    }
                )
        if role == Role.ENTERPRISE and user.profile.enterprise_id:
            url = reverse("enterprises:enterprise_detail", args=[user.profile.enterprise_id])
            items.append({"url": url, "label": _("My enterprise"), "active": request.path == url})
    return {
        "nav_items": items,
        "user_role": role,
        "is_staff_role": role in STAFF_ROLES,
        "home_region_name": _home_region_name(),
    }


def _home_region_name() -> str:
    from kechuang.regions.selectors import home_region

    region = home_region()
    return region.name if region else ""
