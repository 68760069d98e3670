"""The OpenAPI schema and its Swagger UI, for logged-in users only.

Separate from kechuang.core.api: drf-spectacular's views import the schema class defined there.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import IsAuthenticated
from rest_framework.settings import api_settings

__all__ = ["SchemaView", "SwaggerView", "docs_view"]


def _challenge_first(classes):
    """Authentication classes with those naming a WWW-Authenticate scheme first, so that a
    request without a login is answered 401 rather than 403."""
    return sorted(classes, key=lambda c: not c().authenticate_header(None))


class SchemaView(SpectacularAPIView):
    """The OpenAPI document, for logged-in users only (session or API token)."""

    permission_classes = [IsAuthenticated]
    authentication_classes = _challenge_first(api_settings.DEFAULT_AUTHENTICATION_CLASSES)


class SwaggerView(SpectacularSwaggerSplitView):
    """Swagger UI from the vendored sidecar assets; its script is served by this view too
    (the split view), so the page runs under a script-src 'self' policy."""

    permission_classes = [IsAuthenticated]


def docs_view(url_name: str):
    """The Swagger UI page: anonymous users are sent to the login page."""
    return login_required(SwaggerView.as_view(url_name=url_name))
