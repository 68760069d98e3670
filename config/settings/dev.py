"""Local development and the demo: base settings, DEBUG only when asked.

Static files are served straight from static/ (no collectstatic step, no manifest), so
`runserver` works right after a checkout; production (prod.py) keeps the hashed manifest.
"""

from .base import *  # noqa: F401,F403
from .base import INSTALLED_APPS

# The demo region (`kechuang demo`) exists only under these settings and the test settings.
INSTALLED_APPS = [*INSTALLED_APPS, "kechuang.demo"]

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
KECHUANG_DEMO_ENABLED = True
