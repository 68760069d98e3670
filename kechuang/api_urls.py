"""REST API v1: one include per app, mounted by config/urls.py at /api/v1/."""

from django.urls import include, path, re_path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.exceptions import NotFound


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@authentication_classes([])
@permission_classes([])
def not_found(request, rest=""):
    """Any other URL under /api/v1/ (e.g. /enterprises/abc/ where an id is expected): the API's
    JSON 404, never the HTML error page."""
    raise NotFound(_("Not found."))


urlpatterns = [
    path("enterprises/", include("kechuang.enterprises.api.urls")),
    path("platforms/", include("kechuang.platforms.api.urls")),
    path("campaigns/", include("kechuang.campaigns.api.urls")),
    path("qualifications/", include("kechuang.qualifications.api.urls")),
    path("rnd/", include("kechuang.rnd.api.urls")),
    path("indicators/", include("kechuang.indicators.api.urls")),
    path("experts/", include("kechuang.experts.api.urls")),
    path("notices/", include("kechuang.notices.api.urls")),
    path("notifications/", include("kechuang.notifications.api.urls")),
    path("programmes/", include("kechuang.programmes.api.urls")),
    path("cooperation/", include("kechuang.cooperation.api.urls")),
    path("workbench/", include("kechuang.workbench.api.urls")),
    path("console/", include("kechuang.console.api.urls")),
    re_path(r"^(?P<rest>.*)$", not_found),
]
