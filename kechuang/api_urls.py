"""REST API v1: one include per app, mounted by config/urls.py at /api/v1/."""

from django.urls import include, path

urlpatterns = [
    path("enterprises/", include("kechuang.enterprises.api.urls")),
    path("platforms/", include("kechuang.platforms.api.urls")),
    path("campaigns/", include("kechuang.campaigns.api.urls")),
    path("qualifications/", include("kechuang.qualifications.api.urls")),
    path("rnd/", include("kechuang.rnd.api.urls")),
    path("indicators/", include("kechuang.indicators.api.urls")),
]
