"""Ruta's settings: one file, driven by environment variables (see README)."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.conf.locale import LANG_INFO

from ruta.lib import keys
from ruta.lib.env import envbool, envint, envlist, envstr
from ruta.lib.instance import private_home

BASE_DIR = Path(__file__).resolve().parent.parent
RUTA_HOME = private_home(Path(envstr("RUTA_HOME", str(BASE_DIR / "var"))).resolve())

DEBUG = envbool("DEBUG", False)
# Demo mode seeds example data and lets `demo_credentials` print the demo logins.
RUTA_DEMO = envbool("RUTA_DEMO", False)
# Adds a constant view at /_bench/bare/ for `python -m bench foundation` (never in production).
RUTA_BENCH_BARE_VIEW = envbool("RUTA_BENCH_BARE_VIEW", False)

# Keys are only read here. `manage.py init_keys` creates them (on a database without
# encrypted data); the key check (ruta.keys.checks) stops every process that lacks one.
SECRET_KEY = keys.read_key(keys.SECRET_KEY, RUTA_HOME)
# Comma-separated "id:base64key" entries; the first one encrypts, all of them decrypt.
RUTA_ENCRYPTION_KEYS = keys.read_key(keys.ENCRYPTION_KEYS, RUTA_HOME)
# Key for the keyed hashes that let Ruta find a document number without decrypting.
RUTA_SEARCH_KEY = keys.read_key(keys.SEARCH_KEY, RUTA_HOME)
# Comma-separated "id:base64key" entries that sign access events; the first signs, all verify.
RUTA_AUDIT_KEYS = keys.read_key(keys.AUDIT_KEYS, RUTA_HOME)

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])
PORT = envint("PORT", 8000, minimum=1, maximum=65535)
SITE_URL = envstr("SITE_URL", f"http://127.0.0.1:{PORT}").rstrip("/")

INSTALLED_APPS = [
    "ruta.accounts.apps.RutaAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "django_zxcvbn_password_validator",  # for its translations of zxcvbn's advice
    "ruta.accounts",
    "ruta.geo",
    "ruta.audit",
    "ruta.keys",
    "ruta.directory",
    "ruta.pathway",
    "ruta.cases",
    "ruta.program",
    "ruta.learning",
    "ruta.stats",
    "ruta.reports",
    "ruta.portal",
    "ruta.questions",
    "ruta.api",
    "ruta.jobs",
    "ruta.backups",
    "ruta.exports",
    "ruta.retention",
]

# Long work (big imports, report PDFs, alerts, the schedule's jobs) runs as tasks queued in the
# database and run by `manage.py run_worker` (see docs/architecture.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ruta.accounts.middleware.SessionRefreshMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "ruta.portal.middleware.QuechuaCrisisPagesOnly",
    "ruta.accounts.middleware.SameOriginNullOriginMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "ruta.accounts.middleware.SessionLimitMiddleware",
    "ruta.accounts.middleware.KeepFormMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "ruta.accounts.middleware.StaffCacheControlMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ruta.urls"
WSGI_APPLICATION = "ruta.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "ruta" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ruta.accounts.context_processors.shell",
                "ruta.accounts.context_processors.session_keep",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", f"sqlite:///{RUTA_HOME / 'ruta.sqlite3'}"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN, so concurrent writers wait instead of
        # failing half-way; WAL lets readers go on while one writes.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        # secure_delete: the bytes of an erased name or a deleted row are overwritten with zeros,
        # not left in the file's free space (retention and erasure, docs/operations.md).
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA secure_delete=ON;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Staff passwords: at least 12 characters, zxcvbn strength 3 of 4 ("safe unless the
# database is stolen"), and none of the words everyone around Ruta knows.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "django_zxcvbn_password_validator.ZxcvbnPasswordValidator"},
    {"NAME": "ruta.accounts.validators.RutaWordsValidator"},
]
PASSWORD_MINIMAL_STRENGTH = 3
PASSWORD_EXTRA_DICTIONARY = ["Ruta", "PROMSEX", "Madre de Dios", "Puerto Maldonado"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Staff sessions end after 30 idle minutes. Requests push the expiry forward, but the session
# is written at most once a minute (ruta.accounts.middleware.SessionRefreshMiddleware): on
# SQLite every write waits for the one write lock.
SESSION_COOKIE_AGE = envint("SESSION_IDLE_MINUTES", 30, minimum=5, maximum=480) * 60
SESSION_SAVE_EVERY_REQUEST = False
if RUTA_DEMO and envint("SESSION_IDLE_SECONDS", 0, minimum=0, maximum=28800):
    # A demo instance may end sessions sooner, down to one minute (the browser test of lost work).
    SESSION_COOKIE_AGE = envint("SESSION_IDLE_SECONDS", 0, minimum=60, maximum=28800)
SESSION_REFRESH_SECONDS = min(60, SESSION_COOKIE_AGE // 10)
# Whatever the activity, a staff session ends this long after its login (enforced by
# ruta.accounts.middleware.SessionLimitMiddleware). A staff form posted after its session ended
# is kept encrypted for its user for RUTA_KEPT_FORM_MINUTES (ruta/accounts/keep.py).
RUTA_SESSION_ABSOLUTE_HOURS = 12
RUTA_KEPT_FORM_MINUTES = 60
# The page pings the server while someone types, at most this often (ruta/static/ruta/ruta.js).
RUTA_SESSION_PING_SECONDS = 300
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "ruta.accounts.views.csrf_failure"  # keeps a form, else ruta.lib.errors
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = envbool("SECURE_COOKIES", not DEBUG and not RUTA_DEMO)

# Lock an account out after repeated failures (django-axes).
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5, minimum=3, maximum=20)
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_MINUTES", 15, minimum=1) / 60  # hours
# Lock the pair (username, client address), never either alone: locking a username would
# let anyone block a named case worker, locking an address would let one client behind a
# shared proxy or NAT block everyone's login.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "ruta.accounts.views.locked_out"
AXES_VERBOSE = False
# django-axes keeps each login (and failed login) with the client's address and browser; the
# schedule deletes those records after this many days (ruta.accounts.actions.prune_login_records).
RUTA_LOGIN_RECORD_DAYS = envint("RUTA_LOGIN_RECORD_DAYS", 90, minimum=1, maximum=730)
AXES_CLIENT_IP_CALLABLE = "ruta.lib.clientip.client_address"
# X-Forwarded-For is believed only behind a proxy, from the RUTA_PROXY_COUNT-th entry from the
# right (ruta/lib/clientip.py): each proxy appends the address it saw.
RUTA_BEHIND_PROXY = envbool("BEHIND_PROXY", False)
RUTA_PROXY_COUNT = envint("BEHIND_PROXY_COUNT", 1, minimum=1, maximum=5)

# Requests per minute from one client address to the public API, in each gunicorn worker.
RUTA_API_RATE_LIMIT = envint("API_RATE_LIMIT", 60, minimum=1)
# Live tests (/t/), per client address and gunicorn worker: a whole class behind one school
# router joins within a minute; a 6-character code from 23 letters is not guessable at this rate.
RUTA_LEARNING_JOIN_LIMIT = envint("LEARNING_JOIN_LIMIT", 120, minimum=1)
RUTA_LEARNING_ANSWER_LIMIT = envint("LEARNING_ANSWER_LIMIT", 1200, minimum=1)

OTP_TOTP_ISSUER = "Ruta"

LANGUAGE_CODE = "es-pe"
LANGUAGES = [("es-pe", "Español (Perú)"), ("en", "English"), ("qu", "Runasimi")]
# Southern Quechua (Cusco–Collao) only for the public crisis pages at /qu/ (ruta/portal/middleware.py);
# strings without a Quechua translation fall back to Spanish (LANGUAGE_CODE), never English.
LANG_INFO.setdefault("qu", {"bidi": False, "code": "qu", "name": "Quechua", "name_local": "Runasimi"})
LOCALE_PATHS = [BASE_DIR / "ruta" / "locale"]
TIME_ZONE = "America/Lima"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = RUTA_HOME / "static"
STATICFILES_DIRS = [BASE_DIR / "ruta" / "static"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": RUTA_HOME / "uploads"},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and envbool("RUTA_MANIFEST_STATIC", True)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_MAX_AGE = 3600
# Django chmods what its storages write (0644 by default); keep uploads and exports owner-only.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# Security headers. The policy allows nothing from other origins and no inline code.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "no-referrer"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG and not RUTA_DEMO)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG or RUTA_DEMO else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", SECURE_HSTS_SECONDS >= 31536000)
if RUTA_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
    }
}

# E-mail: console in development, SMTP when EMAIL_HOST is set.
EMAIL_HOST = envstr("EMAIL_HOST", "")
EMAIL_PORT = envint("EMAIL_PORT", 587, minimum=1, maximum=65535)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "Ruta <ruta@localhost>")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)

# Where the quick-exit button sends a visitor: a neutral, everyday page.
RUTA_QUICK_EXIT_URL = envstr("RUTA_QUICK_EXIT_URL", "https://www.google.com/search?q=clima+hoy")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "WARNING")},
    # Request logs carry URLs only; Ruta never puts personal data in a URL.
    "loggers": {"django.security": {"handlers": ["console"], "level": "WARNING", "propagate": False}},
}
