"""Deployment checks (`manage.py check --deploy`) beyond Django's own."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def static_manifest_collected(app_configs, **kwargs):
    """Hashed static files need their manifest, or every page fails: collect them first."""
    backend = settings.STORAGES.get("staticfiles", {}).get("BACKEND", "")
    if "Manifest" not in backend:
        return []
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.exists():
        return []
    return [
        Error(
            f"Static files are not collected ({manifest} is missing).",
            hint="Run `manage.py collectstatic --noinput` (`kechuang serve` does it on start).",
            id="kechuang.E001",
        )
    ]


@register(Tags.security, deploy=True)
def demo_not_installed(app_configs, **kwargs):
    """The demo region and its published password never exist under production settings."""
    if "kechuang.demo" in settings.INSTALLED_APPS and not settings.DEBUG:
        return [
            Warning(
                "The demo app is installed.",
                hint="Use config.settings.prod in production; it does not install the demo.",
                id="kechuang.W001",
            )
        ]
    return []
