"""REST API v1: one include per app, mounted by config/urls.py at /api/v1/."""

from django.urls import include, path

urlpatterns = [
    path("enterprises/", include("kechuang.enterprises.api.urls")),
    path("platforms/", include("kechuang.platforms.api.urls")),
]
