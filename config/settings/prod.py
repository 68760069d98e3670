"""Production: never DEBUG, HTTPS only, strict security headers, hashed static files.

The operator sets at least SECRET_KEY (or lets it be generated into var/), ALLOWED_HOSTS,
CSRF_TRUSTED_ORIGINS (https://…) and DATABASE_URL, then runs
`DJANGO_SETTINGS_MODULE=config.settings.prod kechuang serve` (see docs/operations.md).
`manage.py check --deploy` is clean under these settings.
"""

import os

from .base import *  # noqa: F401,F403
from .base import env_bool, env_int

DEBUG = False

# HTTPS: redirect plain HTTP, tell browsers to insist on HTTPS for a year (HSTS).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
# Behind a reverse proxy that terminates TLS and sets X-Forwarded-Proto (nginx: proxy_set_header).
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Static files: hashed names and a manifest, collected by `kechuang serve` on start (or by
# `manage.py collectstatic` at install); a missing manifest is a deploy-check error.
STATIC_ROOT = os.environ.get("STATIC_ROOT", str(BASE_DIR / "staticfiles"))  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
