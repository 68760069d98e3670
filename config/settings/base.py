"""Base settings: everything is read from the environment (modelled on Healthchecks' hc/settings.py).

SQLite under var/ is the default so a fresh checkout runs at once; DATABASE_URL=postgres://...
switches to PostgreSQL.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("KECHUANG_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    """Read a boolean from the environment ("1", "true", "yes", "on" are true)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    """Read an integer from the environment."""
    value = os.environ.get(name)
    return int(value) if value else default


def env_secret(name: str) -> str:
    """Read a secret from the environment, or from (and on first use, into) var/<name>.

    The generated file is under var/, which is git-ignored, so nothing secret is committed.
    """
    value = os.environ.get(name)
    if value:
        return value
    path = VAR_DIR / name.lower()
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env_secret("SECRET_KEY")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "http://127.0.0.1:8000").split(",") if o
]

DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]
THIRD_PARTY_APPS = [
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks",
    "django_tasks_db",
]
LOCAL_APPS = [
    "kechuang.core",
    "kechuang.accounts",
    "kechuang.regions",
    "kechuang.enterprises",
    "kechuang.platforms",
    "kechuang.qualifications",
    "kechuang.imports",
    "kechuang.rnd",
    "kechuang.campaigns",
    "kechuang.indicators",
    "kechuang.experts",
    "kechuang.notices",
    "kechuang.notifications",
    "kechuang.programmes",
    "kechuang.cooperation",
    "kechuang.reports",
    "kechuang.dashboard",
    "kechuang.workbench",
    "kechuang.console",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kechuang.core.middleware.ChineseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "kechuang.core.middleware.VaryOnHtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "kechuang.accounts.middleware.AccountPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "kechuang.core.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "kechuang.core.context_processors.navigation",
                "kechuang.regions.context_processors.home_region_name",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'kechuang.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + IMMEDIATE transactions + a busy timeout: background tasks and requests can share
    # one SQLite file without "database is locked" errors.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }


def _postgres_options(database: dict) -> None:
    """Web requests run short queries: PostgreSQL's JIT compiler (on by default since 12) spent
    15–45 ms compiling some single page queries at province scale, more than they took to run
    (docs/deployment.md#postgresql). DB_JIT=on turns it back on."""
    if database["ENGINE"] == "django.db.backends.postgresql" and os.environ.get("DB_JIT") != "on":
        database.setdefault("OPTIONS", {})["options"] = "-c jit=off"


_postgres_options(DATABASES["default"])

# A streaming replica for the reads of web requests (docs/deployment.md#read-replica): the
# router and its middleware are installed only when one is configured.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=env_int("DB_CONN_MAX_AGE", 0)
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    _postgres_options(DATABASES["replica"])
    DATABASE_ROUTERS = ["kechuang.core.dbrouter.ReplicaRouter"]
    MIDDLEWARE.insert(1, "kechuang.core.dbrouter.ReplicaReadsMiddleware")
KECHUANG_REPLICA_PIN_SECONDS = env_int("KECHUANG_REPLICA_PIN_SECONDS", 5)
# PostgreSQL connections that write one assessment run's results side by side
# (docs/performance.md#batch); 1 writes them in the run's own transaction.
KECHUANG_ASSESSMENT_WRITERS = env_int("KECHUANG_ASSESSMENT_WRITERS", 2)


def cache_settings(url: str) -> dict:
    """The "default" cache from CACHE_URL (docs/deployment.md#shared-cache): unset or db:// →
    the database cache (table kechuang_cache, made by migrate); redis:// or rediss:// →
    Django's Redis cache (needs the optional redis package); locmem:// → this process only."""
    from django.core.exceptions import ImproperlyConfigured

    if not url or url.startswith("db://"):
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "kechuang_cache",
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    if url.startswith(("redis://", "rediss://", "unix://")):
        try:
            import redis  # noqa: F401
        except ImportError as exc:
            raise ImproperlyConfigured(
                "CACHE_URL names a Redis server, but the optional redis package is not "
                "installed: install it (pip install redis) or unset CACHE_URL to keep the "
                "database cache."
            ) from exc
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if url.startswith("locmem://"):
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    raise ImproperlyConfigured(
        f"CACHE_URL {url.split('://')[0]}:// is not supported (use db://, redis:// or locmem://)."
    )


# One store of derived data all processes share (kechuang.core.datacache).
CACHES = {"default": cache_settings(os.environ.get("CACHE_URL", ""))}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# GB/T 22239-2019 (MLPS 2.0) level 3, 8.1.4.1 a: complex passwords, changed periodically.
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {
        "NAME": "kechuang.accounts.validators.CharacterClassesValidator",
        "OPTIONS": {"min_classes": 3},
    },
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "kechuang.accounts.validators.PasswordHistoryValidator", "OPTIONS": {"keep": 5}},
]
# Days before a password must be changed (0: never).
KECHUANG_PASSWORD_MAX_AGE_DAYS = env_int("KECHUANG_PASSWORD_MAX_AGE_DAYS", 90)
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard:landing"
LOGOUT_REDIRECT_URL = "accounts:login"

# 8.1.4.1 b: lock after repeated failures. Per account + IP at AXES_FAILURE_LIMIT, per account
# across IPs at KECHUANG_LOCKOUT_USERNAME_LIMIT (kechuang.accounts.lockout); attempts during a
# lockout (even with the right password) neither count nor extend it.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
KECHUANG_LOCKOUT_USERNAME_LIMIT = env_int("KECHUANG_LOCKOUT_USERNAME_LIMIT", 20)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_HANDLER = "kechuang.accounts.lockout.LockoutHandler"
AXES_LOCKOUT_CALLABLE = "kechuang.accounts.lockout.lockout_response"
AXES_COOLOFF_TIME = timedelta(minutes=env_int("KECHUANG_LOCKOUT_COOLOFF_MINUTES", 30))
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True

# 8.1.4.1 b: sessions end after idle minutes and after an absolute lifetime.
KECHUANG_SESSION_IDLE_MINUTES = env_int("KECHUANG_SESSION_IDLE_MINUTES", 30)
KECHUANG_SESSION_MAX_HOURS = env_int("KECHUANG_SESSION_MAX_HOURS", 12)
SESSION_COOKIE_AGE = KECHUANG_SESSION_MAX_HOURS * 3600
SESSION_COOKIE_HTTPONLY = True

# 8.1.4.1 d: a second factor (TOTP) for bureau staff and admins; forced when this is on.
KECHUANG_REQUIRE_2FA_FOR_STAFF = env_bool("KECHUANG_REQUIRE_2FA_FOR_STAFF", False)
OTP_TOTP_ISSUER = "Kechuang"
# The Django admin never shows a device's secret key or its QR code.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# API tokens: days until a new token expires.
KECHUANG_API_TOKEN_DAYS = env_int("KECHUANG_API_TOKEN_DAYS", 90)
# Demo accounts (one per role, a shared password) exist only where this is on (dev, test).
KECHUANG_DEMO_ENABLED = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Source maps are fetched only by developer tools; compressing them took most of the time
# `kechuang serve` spends collecting static files on start.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = tuple(
    "jpg jpeg png gif webp zip gz tgz bz2 tbz xz br woff woff2 mp4 webm map".split()
)
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
MEDIA_ROOT = VAR_DIR / "media"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "kechuang.accounts.authentication.ApiTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "kechuang.core.api.AutoSchema",
    "EXCEPTION_HANDLER": "kechuang.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kechuang API",
    "DESCRIPTION": "Enterprise registry, yearly figures, IP, qualifications and R&D institutions.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    # Nothing from another host: the favicon from the sidecar, no online validator badge.
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per shared choice set (fields called kind/source/outcome exist in several models).
    "ENUM_NAME_OVERRIDES": {
        "DataSourceEnum": "kechuang.core.models.DataSource",
        "CampaignKindEnum": "kechuang.campaigns.choices.CampaignKind",
        "TaskStateEnum": "kechuang.campaigns.choices.TaskState",
        "ContractTypeEnum": "kechuang.cooperation.choices.ContractType",
        "BrokeringStageEnum": "kechuang.cooperation.choices.BrokeringStage",
        "CompetitionStageEnum": "kechuang.cooperation.choices.CompetitionStage",
        "PlatformStageEnum": "kechuang.platforms.models.PlatformStage",
        "ReviewStageEnum": "kechuang.programmes.choices.Stage",
        "VisitOutcomeEnum": [
            ("visited", "visited"),
            ("follow_up", "follow_up"),
            ("closed", "closed"),
        ],
    },
}

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Security headers on every response (see docs/operations.md). Every script and stylesheet is
# vendored and served by the app, so scripts are limited to our own origin; inline style
# attributes remain allowed (the templates and the chart library set element styles).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), "
    "bluetooth=(), magnetometer=(), gyroscope=(), accelerometer=(), interest-cohort=()"
)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

DJANGO_TABLES2_TEMPLATE = "django_tables2/kc_table.html"
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# The home region this install serves (see docs and demo-region.md).
KECHUANG_HOME_REGION_CODE = os.environ.get("KECHUANG_HOME_REGION_CODE", "330282")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
