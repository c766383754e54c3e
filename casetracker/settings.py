"""Settings, read from environment variables with safe development defaults.

Every variable is documented in README.md. With DEBUG off (production) the site
refuses to start without a real SECRET_KEY.
"""

from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEVELOPMENT_SECRET_KEY = "dev-insecure-secret-key-never-use-in-production"

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
if not DEBUG and (SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "Set SECRET_KEY to a random string of at least 50 characters in production (DJANGO_DEBUG=0)."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "casetracker.apps.CaseTrackerAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django_filters",
    "django_countries",
    "simple_history",
    "django_celery_beat",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "django_ratelimit",
    "cases",
    "alerts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # ETag and 304s for what the next one marks cacheable (cases/http.py).
    "django.middleware.http.ConditionalGetMiddleware",
    "cases.http.HttpCachingMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions, locale, CSRF, OTP and axes: a cached anonymous page costs none of their work.
    "cases.cache.PublicCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "casetracker.replicas.ReplicaMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "casetracker.storage.UploadFailureMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so it sees the login failures of every view and answers lockouts with 429.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "casetracker.urls"
WSGI_APPLICATION = "casetracker.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cases.context_processors.public_site",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# Recover from a restarted PostgreSQL without a 500 on the first request after it.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# JIT compiling costs 50-100 ms on every large-looking query (a search over 100,000 cases) and saves less: the
# site runs short queries only. Parallel workers split one request's query across cores that other requests
# need too (a search's facet count at 100,000 cases on 2 cores: 46 ms with them, 25 ms without).
_POSTGRESQL_OPTIONS = "-c jit=off -c max_parallel_workers_per_gather=0"
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = _POSTGRESQL_OPTIONS
# Read replicas (casetracker/replicas.py): comma-separated URLs; anonymous page views read from them.
for _number, _url in enumerate(env.list("DATABASE_REPLICA_URLS", default=[]), start=1):
    DATABASES[f"replica_{_number}"] = env.db_url_config(_url) | {"CONN_MAX_AGE": 60, "CONN_HEALTH_CHECKS": True}
    DATABASES[f"replica_{_number}"]["TEST"] = {"MIRROR": "default"}
    if DATABASES[f"replica_{_number}"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES[f"replica_{_number}"].setdefault("OPTIONS", {})["options"] = _POSTGRESQL_OPTIONS
if len(DATABASES) > 1:
    DATABASE_ROUTERS = ["casetracker.replicas.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHE_URL = env.str("CACHE_URL", default="")
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": CACHE_URL,
            # A Redis outage degrades to uncached pages instead of errors.
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PUBLIC_CACHE_SECONDS = env.int("PUBLIC_CACHE_SECONDS", default=300)
# How long a web process trusts the page versions it last read from PostgreSQL (cases/cache.py): a cached page
# retired by a write in another process may still be served for this long. 0 reads them on every hit.
PUBLIC_CACHE_STALE_SECONDS = env.float("PUBLIC_CACHE_STALE_SECONDS", default=1.0)
# Facet values of at least this many published cases keep precomputed counts of every other value they occur
# with (cases.models.FacetPair); after changing it, run `manage.py rebuild_case_facets`.
FACET_PAIR_MIN_CASES = env.int("FACET_PAIR_MIN_CASES", default=1000)
# A search or date range matching more cases than this has its facet counts estimated from this many of them:
# an even sample of 5,000 is about as precise as the two significant figures the estimates are shown to.
FACET_SAMPLE_CASES = env.int("FACET_SAMPLE_CASES", default=5_000)
# Rate limits (django-ratelimit) count in the cache; a Redis outage lets requests through rather than refuse all.
RATELIMIT_FAIL_OPEN = True
if not CACHE_URL:
    # `make run` is one process, so its local-memory cache is shared by every request it serves.
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]

# Reverse proxies in front of the site that append to X-Forwarded-For; the client address is read through
# them (casetracker/clientip.py) by the API throttle, the follow form's limit and the login lockout.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# What public responses tell browsers and proxies (cases/http.py): fresh for HTTP_MAX_AGE seconds, then
# served stale for up to HTTP_STALE_SECONDS more while the proxy revalidates.
HTTP_MAX_AGE = env.int("HTTP_MAX_AGE", default=60)
HTTP_STALE_SECONDS = env.int("HTTP_STALE_SECONDS", default=300)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# A lawyer's change to a published case waits for an editor's approval (cases.actions.review).
PUBLISHED_EDITS_NEED_REVIEW = env.bool("PUBLISHED_EDITS_NEED_REVIEW", default=False)

# Two-factor login (casetracker/admin.py): editors and superusers always; every staff member when set.
REQUIRE_2FA_FOR_ALL = env.bool("REQUIRE_2FA_FOR_ALL", default=False)
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Surveillance Litigation Tracker")

# Login throttling: lock a username+address pair out after repeated failures; the lockout answers 429.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_CLIENT_IP_CALLABLE = "casetracker.clientip.client_ip"
# With Redis configured the lockout state lives in the cache, shared by every web process.
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler" if CACHE_URL else "axes.handlers.database.AxesDatabaseHandler"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ru", _("Russian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded documents live outside the static root and are served only through a
# permission-checking view, never directly by the web server.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = "/media-not-served/"
STORAGES = {
    # A full disk stores the record without its file and tells the user (see docs/operations.md).
    "default": {"BACKEND": "casetracker.storage.MediaStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=50 * 1024 * 1024)
FILE_UPLOAD_PERMISSIONS = 0o640
# Reading documents' text (cases/extraction.py): each document is read in a child process with these limits.
DOCUMENT_MAX_PAGES = env.int("DOCUMENT_MAX_PAGES", default=3000)
DOCUMENT_OCR_MAX_PAGES = env.int("DOCUMENT_OCR_MAX_PAGES", default=100)
DOCUMENT_OCR_SECONDS = env.int("DOCUMENT_OCR_SECONDS", default=600)
DOCUMENT_OCR_LANGUAGES = env.str("DOCUMENT_OCR_LANGUAGES", default="eng+rus")
DOCUMENT_OCR_DPI = env.int("DOCUMENT_OCR_DPI", default=200)
DOCUMENT_EXTRACT_SECONDS = env.int("DOCUMENT_EXTRACT_SECONDS", default=900)
DOCUMENT_EXTRACT_MEMORY_MB = env.int("DOCUMENT_EXTRACT_MEMORY_MB", default=1024)

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Surveillance Litigation Tracker <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)

# Celery. Without CELERY_BROKER_URL the broker is a folder on disk, so `make run`
# needs no server; production and CI use Redis.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "celery-queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(VAR_DIR / "celery-processed"),
        "store_processed": False,
    }
else:
    # Long enough that a slow SMTP send is never redelivered while it runs.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# One queue per kind of work, so each can get its own workers (docs/operations.md). A worker started without
# -Q consumes every queue listed here, as one worker did before the split.
CELERY_TASK_QUEUES = [Queue(name) for name in ("celery", "reminders", "alerts", "dump", "exports", "documents")]
CELERY_TASK_ROUTES = {
    "cases.tasks.write_data_dump": {"queue": "dump"},
    "cases.tasks.build_export": {"queue": "exports"},
    "cases.tasks.remove_expired_exports": {"queue": "exports"},
    # A 500-page OCR takes minutes: it must not wait in front of a reminder.
    "cases.tasks.extract_document_text": {"queue": "documents"},
    "cases.tasks.*": {"queue": "reminders"},
    "alerts.tasks.*": {"queue": "alerts"},
}

# Deadline reminders (cases/reminders/). A claimed row whose send never finished is claimed again after
# the lease; failed sends (and editors' alerts) retry with exponential backoff and jitter, from the base delay
# up to the longest delay, until the window since the first failure is used up. The longest delay stays well
# under the broker's visibility timeout, since alert retries wait in Redis. A run of identical 5xx refusals
# this long pauses sending (a configuration outage, such as a wrong SMTP password).
REMINDER_CLAIM_LEASE_SECONDS = env.int("REMINDER_CLAIM_LEASE_SECONDS", default=600)
REMINDER_RETRY_BASE_SECONDS = env.int("REMINDER_RETRY_BASE_SECONDS", default=60)
REMINDER_RETRY_MAX_DELAY_SECONDS = env.int("REMINDER_RETRY_MAX_DELAY_SECONDS", default=1800)
REMINDER_RETRY_WINDOW_SECONDS = env.int("REMINDER_RETRY_WINDOW_SECONDS", default=8 * 3600)
REMINDER_OUTAGE_THRESHOLD = env.int("REMINDER_OUTAGE_THRESHOLD", default=3)
REMINDER_SWEEP_BATCH = env.int("REMINDER_SWEEP_BATCH", default=500)
REMINDER_SEND_HOUR = env.int("REMINDER_SEND_HOUR", default=9)

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    # Throttles read the client address through casetracker.clientip; this keeps any other DRF one in step.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
# Following cases (alerts/): confirmation links expire; the follow form is rate-limited per IP and per address.
ALERTS_CONFIRM_MAX_AGE = env.int("ALERTS_CONFIRM_MAX_AGE", default=3 * 24 * 3600)
ALERTS_RATE_PER_IP = env.int("ALERTS_RATE_PER_IP", default=10)
ALERTS_RATE_PER_ADDRESS = env.int("ALERTS_RATE_PER_ADDRESS", default=3)
ALERTS_RATE_WINDOW = env.int("ALERTS_RATE_WINDOW", default=3600)
# The nightly open-data dump (cases/datadump.py), served at /data/.
DATA_DUMP_ROOT = env.path("DATA_DUMP_ROOT", default=VAR_DIR / "data")
# Downloads of /data/documents.jsonl (every public document's text) per client address and window in seconds.
DATA_DOCUMENTS_RATE = env.int("DATA_DOCUMENTS_RATE", default=5)
DATA_DOCUMENTS_RATE_WINDOW = env.int("DATA_DOCUMENTS_RATE_WINDOW", default=3600)
# Most cases one streamed export may hold: at the export rate in docs/benchmarks.md it must finish well within
# gunicorn's worker timeout, or the download would be cut off. Larger lists point to the dump.
EXPORT_MAX_CASES = env.int("EXPORT_MAX_CASES", default=2000)
# Larger exports are built by a worker (cases/exportjobs.py) into files here, kept for EXPORT_JOB_HOURS.
EXPORT_JOB_ROOT = env.path("EXPORT_JOB_ROOT", default=VAR_DIR / "exports")
EXPORT_JOB_HOURS = env.int("EXPORT_JOB_HOURS", default=24)
# Export jobs one client address may start per window in seconds, and jobs waiting or running at once site-wide:
# each one costs a worker minutes, so a script must not be able to queue thousands.
EXPORT_JOB_RATE = env.int("EXPORT_JOB_RATE", default=5)
EXPORT_JOB_RATE_WINDOW = env.int("EXPORT_JOB_RATE_WINDOW", default=3600)
EXPORT_JOBS_PENDING_MAX = env.int("EXPORT_JOBS_PENDING_MAX", default=10)
OPEN_DATA_LICENCE = env.str(
    "OPEN_DATA_LICENCE",
    default="Creative Commons Attribution 4.0 International (CC BY 4.0), https://creativecommons.org/licenses/by/4.0/",
)
# Requests per IP for anonymous API clients (cases/api/throttling.py); empty turns the limit off.
API_ANON_RATE = env.str("API_ANON_RATE", default="300/minute") or None
SPECTACULAR_SETTINGS = {
    "TITLE": "Surveillance Litigation Tracker API",
    "DESCRIPTION": f"Read-only open data on published surveillance litigation. Data licence: {OPEN_DATA_LICENCE}.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The docs pages load Swagger UI and Redoc from drf_spectacular_sidecar's static files, never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {"ResultEnum": "cases.models.base.Result.choices"},
}

# Production hardening; `check --deploy` must be clean with DJANGO_DEBUG=0.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Container and load-balancer health checks speak plain HTTP from inside.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No inline scripts or styles anywhere; a template that truly needs one uses {{ request.csp_nonce }}.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
