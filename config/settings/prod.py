"""Production: secure cookies, explicit hosts, never DEBUG."""

from .base import *  # noqa: F401,F403
from .base import env_bool

DEBUG = False
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
