"""Treem settings. Deployments differ only by TREEM_* environment variables."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_int, env_secret, env_str

SRC_DIR = Path(__file__).resolve().parents[2]  # src/treem
BASE_DIR = Path(env_str("TREEM_HOME", str(SRC_DIR.parents[1])))  # repository root by default
VAR_DIR = Path(env_str("TREEM_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("TREEM_DEBUG", False)
SECRET_KEY = env_secret("TREEM_SECRET_KEY")
if not SECRET_KEY:
    # A stable per-installation key kept under var/, so a laptop install (and `make demo`) needs no configuration
    # and never runs with a key anyone can read in the source.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    _key_file = VAR_DIR / "secret_key"
    if not _key_file.exists():
        import secrets

        _key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        _key_file.chmod(0o600)
    SECRET_KEY = _key_file.read_text(encoding="utf-8").strip()

ALLOWED_HOSTS = [h for h in env_str("TREEM_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in env_str("TREEM_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "simple_history",
    "django_tasks_db",
    "ninja",
    "treem.core",
    "treem.units",
    "treem.accounts",
    "treem.registry",
    "treem.imports",
    "treem.matching",
    "treem.audit",
    "treem.directory",
    "treem.cases",
    "treem.finance",
    "treem.support",
    "treem.staff",
    "treem.indicators",
    "treem.quality",
    "treem.plans",
    "treem.activities",
    "treem.assessments",
    "treem.reporting",
    "treem.api",
    "treem.dashboards",
    "treem.ui",
    "treem.demo",
]

MIDDLEWARE = [
    "treem.core.health.HealthCheckMiddleware",  # first: /healthz answers for any Host, no session, no redirect
    "treem.core.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files under `treem serve` (collected into STATIC_ROOT)
    "treem.core.middleware.SecurityHeadersMiddleware",  # outside the CSP middleware: it takes a PDF's policy off
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "treem.core.middleware.RejectNulMiddleware",  # 400 for a NUL byte in a parameter (PostgreSQL cannot compare it)
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): a TOTP code confirmed this session
    "treem.accounts.middleware.SecondFactorMiddleware",  # after it: no page before the code (docs/security.md)
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # must stay last
]

ROOT_URLCONF = "treem.config.urls"
WSGI_APPLICATION = "treem.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "treem.accounts.context_processors.capabilities",
            ],
        },
    },
]

# --- Database: TREEM_DATABASE_URL, default an embedded SQLite file in WAL mode -----------------
DEFAULT_SQLITE = VAR_DIR / "treem.sqlite3"
DATABASE_URL = env_str("TREEM_DATABASE_URL", f"sqlite:///{DEFAULT_SQLITE}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("TREEM_DB_CONN_MAX_AGE", 0))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web server and the task worker read while one writes.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A page is a few indexed reads. Parallel workers would only multiply a page's CPU when the server is busy, and
    # its p95 with it (a province search's capped count: 1.7 s p95 for a 74 ms median at 5,000,000 children).
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _parallel = f"-c max_parallel_workers_per_gather={env_int('TREEM_PG_PARALLEL_WORKERS', 0)}"
    _options["options"] = f"{_options.get('options', '')} {_parallel}".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: one for all the server's processes (the API's rate limit, the published figures' suppression patterns),
# in the database, which every process and host of a deployment already shares. The table comes with the migrations.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "treem_cache",
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    }
}

# --- Accounts and security ---------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "ui:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AXES_FAILURE_LIMIT = env_int("TREEM_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("TREEM_LOGIN_COOLOFF_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

# Two-factor authentication (django-otp, TOTP) for the roles flagged `requires_otp` and every superuser; a wrong code
# counts as a failed login (django-axes), and the device itself slows guessing (1 s, 2 s, 4 s ... after each miss).
TREEM_OTP_REQUIRED = env_bool("TREEM_OTP_REQUIRED", True)
OTP_TOTP_ISSUER = env_str("TREEM_OTP_ISSUER", "Treem")
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the Django admin never shows a device's key or QR code again

SECURE_HTTPS = env_bool("TREEM_HTTPS", False)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("TREEM_SESSION_HOURS", 8) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "treem.core.views.csrf_failure"
SECURE_SSL_REDIRECT = SECURE_HTTPS
SECURE_HSTS_SECONDS = 31536000 if SECURE_HTTPS else 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HTTPS
SECURE_HSTS_PRELOAD = SECURE_HTTPS
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"


def _proxy_ssl_header(raw: str) -> tuple[str, str] | None:
    """TREEM_PROXY_SSL_HEADER: the header a TLS-terminating proxy sets, "X-Forwarded-Proto" (value https) or
    "X-Forwarded-Proto=https"; without it, TREEM_HTTPS=true behind such a proxy redirects for ever."""
    if not raw.strip():
        return None
    name, _sep, value = raw.partition("=")
    name, value = name.strip(), value.strip() or "https"
    if not name or any(c.isspace() for c in name):
        raise ImproperlyConfigured(f"TREEM_PROXY_SSL_HEADER must be a header name like X-Forwarded-Proto, not {raw!r}")
    key = name.upper().replace("-", "_")
    return (key if key.startswith("HTTP_") else f"HTTP_{key}"), value


SECURE_PROXY_SSL_HEADER = _proxy_ssl_header(env_str("TREEM_PROXY_SSL_HEADER"))

# Content-Security-Policy (Django's own): scripts and styles from Treem's static files only; the printable forms'
# <style> carries the request's nonce. No inline script anywhere.
SECURE_CSP: dict[str, list[str]] = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# The dashboards' map: an optional tile server drawn under the points (e.g. a province's own,
# https://tiles.example.vn/{z}/{x}/{y}.png), off by default: no tile is fetched from the internet unless set.
TREEM_MAP_TILE_URL = env_str("TREEM_MAP_TILE_URL", "")
TREEM_MAP_TILE_ATTRIBUTION = env_str("TREEM_MAP_TILE_ATTRIBUTION", "")
if TREEM_MAP_TILE_URL:
    SECURE_CSP["img-src"].append("/".join(TREEM_MAP_TILE_URL.split("/")[:3]))  # the tile server's origin

# --- API: requests per token (per user for a browser session), Django's cache keeps the counts ----
TREEM_API_RATE = env_str("TREEM_API_RATE", "600/m")

# --- Internationalisation: Vietnamese first, English available ---------------------------------

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [SRC_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "treem_language"

MEDIA_ROOT = Path(env_str("TREEM_MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "media/"  # never served directly: uploads are private and read by the import code only
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# --- E-mail (report reminders): SMTP where TREEM_SMTP_HOST is set, else none (the demo prints it on the console) ----
_SMTP_HOST = env_str("TREEM_SMTP_HOST")
_SMTP = {
    "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "OPTIONS": {"host": _SMTP_HOST, "port": env_int("TREEM_SMTP_PORT", 587), "username": env_str("TREEM_SMTP_USER"),
                "password": env_secret("TREEM_SMTP_PASSWORD"), "use_tls": env_bool("TREEM_SMTP_TLS", True)},
}  # fmt: skip
if _SMTP_HOST:  # left undefined otherwise: no mailer, and `check --deploy` has nothing to warn about
    MAILERS = {"default": _SMTP}
DEFAULT_FROM_EMAIL = env_str("TREEM_EMAIL_FROM", "treem@localhost")
TREEM_IMPORT_MAX_BYTES = env_int("TREEM_IMPORT_MAX_MB", 200) * 1024 * 1024
# a running import renews its lease this often (a third of it); a job whose lease ran out is stale and recovered
TREEM_IMPORT_LEASE_SECONDS = env_int("TREEM_IMPORT_LEASE_SECONDS", 300)
TREEM_IMPORT_RETENTION_DAYS = env_int("TREEM_IMPORT_RETENTION_DAYS", 30)  # uploaded files are deleted after this
# worker processes that clean a large import file besides the task (0: none; -1: one per CPU but one, ≤ 4)
TREEM_IMPORT_WORKERS = env_int("TREEM_IMPORT_WORKERS", -1)
# An abuse case with no legal outcome this many days after its intake is "unresolved": docs/cases-legal-outcomes.md
TREEM_UNRESOLVED_ABUSE_DAYS = env_int("TREEM_UNRESOLVED_ABUSE_DAYS", 90)

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("TREEM_STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [SRC_DIR / "static"]
# A deployment serves STATIC_ROOT by WhiteNoise (middleware above): `treem serve` runs `collectstatic` first, which
# writes hashed, compressed copies (gzip, Brotli where installed) and the manifest the {% static %} tag reads.
STORAGES = {
    "default": {"BACKEND": "treem.core.storage.MediaStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Source maps (11 MB of the API docs' scripts) are served as they are: compressing them took most of collectstatic's
# time. The rest: WhiteNoise's own list of already compressed formats.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [
    "map", "jpg", "jpeg", "png", "gif", "webp", "zip", "gz", "tgz", "bz2", "tbz", "xz", "br",
    "woff", "woff2", "mp4", "webm",
]  # fmt: skip
# The demo's embedded server (settings.local) serves the static files itself with DEBUG off; a deployment leaves this
# off (WhiteNoise serves the collected files).
SERVE_STATIC = env_bool("TREEM_SERVE_STATIC", False)

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Logs on standard error: TREEM_LOG_FORMAT=json writes one JSON object per line (treem.core.logs) ----------
TREEM_LOG_FORMAT = env_str("TREEM_LOG_FORMAT", "text")
if TREEM_LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"TREEM_LOG_FORMAT must be text or json, not {TREEM_LOG_FORMAT!r}")
TREEM_LOG_LEVEL = env_str("TREEM_LOG_LEVEL", "WARNING")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "treem.core.logs.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "treem.core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": TREEM_LOG_FORMAT, "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": TREEM_LOG_LEVEL},
    # Django's own "django" logger prints to the console only with DEBUG on; here its records go to the root's handler.
    "loggers": {
        "django": {"handlers": [], "level": TREEM_LOG_LEVEL, "propagate": True},
    },
}
