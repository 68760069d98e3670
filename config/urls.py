"""URL configuration: one include per app; the API lives under /api/v1/<app>/."""

from django.contrib import admin
from django.urls import include, path

from kechuang.core.apidocs import SchemaView, docs_view

urlpatterns = [
    path("", include("kechuang.dashboard.urls")),
    path("accounts/", include("kechuang.accounts.urls")),
    path("enterprises/", include("kechuang.enterprises.urls")),
    path("institutions/", include("kechuang.platforms.urls")),
    path("platforms/", include("kechuang.platforms.platform_urls")),
    path("imports/", include("kechuang.imports.urls")),
    path("qualifications/", include("kechuang.qualifications.urls")),
    path("rnd/", include("kechuang.rnd.urls")),
    path("campaigns/", include("kechuang.campaigns.urls")),
    path("indicators/", include("kechuang.indicators.urls")),
    path("experts/", include("kechuang.experts.urls")),
    path("notices/", include("kechuang.notices.urls")),
    path("notifications/", include("kechuang.notifications.urls")),
    path("programmes/", include("kechuang.programmes.urls")),
    path("cooperation/", include("kechuang.cooperation.urls")),
    path("reports/", include("kechuang.reports.urls")),
    path("workbench/", include("kechuang.workbench.urls")),
    path("console/", include("kechuang.console.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("kechuang.api_urls")),
    # The schema and its docs are for logged-in users only.
    path("api/schema/", SchemaView.as_view(), name="api_schema"),
    path("api/docs/", docs_view("api_schema"), name="api_docs"),
]
