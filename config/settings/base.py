"""Settings shared by every environment.

Values come from the environment (12-factor) through django-environ. With no
``DATABASE_URL`` and no ``REDIS_URL`` the service runs on the embedded default: SQLite,
a local-memory cache and Celery tasks executed eagerly, so a quick start needs nothing
installed. ``production.py`` removes every default that would be unsafe there.
"""

import ipaddress
from datetime import timedelta
from pathlib import Path
from typing import Any

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS: list[str] = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS: list[str] = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "apps.orgs.admin_config.CrewAdminConfig",  # django.contrib.admin, organization-aware
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_prometheus",
    "axes",
    "apps.core",
    "apps.orgs",
    "apps.audit",
    "apps.crew",
    "apps.planning",
    "apps.web",
]

MIDDLEWARE = [
    "apps.core.middleware.RequestContextMiddleware",
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "apps.core.middleware.InFlightMiddleware",
    "apps.core.middleware.RequestGuardMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    # Last, so its process_exception is the first to see a view's database outage.
    "apps.core.middleware.ServiceUnavailableMiddleware",
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
            ],
        },
    },
]

# --- Data stores -------------------------------------------------------------------
# Timeouts, so a database outage answers 503 quickly instead of holding workers:
# connecting gives up after DB_CONNECT_TIMEOUT seconds; a web request's statement after
# DB_STATEMENT_TIMEOUT_MS; a Celery job's after DB_JOB_STATEMENT_TIMEOUT_MS (set on each
# worker connection by ``apps.core.db``). 0 disables a statement timeout (e.g. to run a
# long ``migrate``: ``DB_STATEMENT_TIMEOUT_MS=0 manage.py migrate``).
DB_CONNECT_TIMEOUT = env.int("DB_CONNECT_TIMEOUT", default=5)
DB_STATEMENT_TIMEOUT_MS = env.int("DB_STATEMENT_TIMEOUT_MS", default=30_000)
DB_JOB_STATEMENT_TIMEOUT_MS = env.int("DB_JOB_STATEMENT_TIMEOUT_MS", default=600_000)
# Seconds a 503 ``service_unavailable`` asks clients to wait (``Retry-After``).
SERVICE_UNAVAILABLE_RETRY_AFTER = env.int("SERVICE_UNAVAILABLE_RETRY_AFTER", default=10)


def with_database_timeouts(database: dict[str, Any]) -> dict[str, Any]:
    """PostgreSQL: the connect timeout and the web statement timeout, in every settings module."""
    if database["ENGINE"] == "django.db.backends.postgresql":
        # psycopg 3 is the driver; django-environ picks the generic postgresql engine.
        options = database.setdefault("OPTIONS", {})
        options.setdefault("connect_timeout", DB_CONNECT_TIMEOUT)
        statement = f"-c statement_timeout={DB_STATEMENT_TIMEOUT_MS}"
        options["options"] = " ".join(filter(None, [options.get("options", ""), statement]))
    return database


DATABASES = {
    "default": with_database_timeouts(
        env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
    ),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
CACHE_TTL_SECONDS = env.int("CACHE_TTL_SECONDS", default=60)

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "TIMEOUT": CACHE_TTL_SECONDS,
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                # A cache outage must degrade to the database, never to a 500.
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="crewplan"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "crewplan",
            "TIMEOUT": CACHE_TTL_SECONDS,
        }
    }
DJANGO_REDIS_IGNORE_EXCEPTIONS = True
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
# Throttles do not ignore a Redis outage: they keep their history in process memory for
# this many seconds, then try Redis again (``apps.core.throttling``).
THROTTLE_FAILOVER_SECONDS = env.int("THROTTLE_FAILOVER_SECONDS", default=10)

# --- Celery ------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
# A slow or unreachable broker must never make a request hang: publishing gives up
# quickly and the periodic sweep re-enqueues what was left queued.
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=1.0)
# A broker that accepts the connection but does not answer (hung, not refused): a
# publish gives up after BROKER_PUBLISH_TIMEOUT seconds, so ``auto-assign/start`` still
# answers 202 at once and the job stays queued for the beat sweep. Workers, whose
# commands may legitimately block longer, use WORKER_BROKER_SOCKET_TIMEOUT
# (``config.celery`` sets it when a worker starts).
BROKER_PUBLISH_TIMEOUT = env.float("BROKER_PUBLISH_TIMEOUT", default=0.3)
WORKER_BROKER_SOCKET_TIMEOUT = env.float("WORKER_BROKER_SOCKET_TIMEOUT", default=5.0)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
    "socket_connect_timeout": 1,
    "socket_timeout": BROKER_PUBLISH_TIMEOUT,
    "visibility_timeout": 3600,
}
CELERY_TASK_PUBLISH_RETRY = False
# A running auto-assign job holds a lease of AUTOASSIGN_LEASE_SECONDS that its worker
# renews every third of it; the sweep (every AUTOASSIGN_SWEEP_SECONDS) re-queues a job
# whose lease lapsed. A dead worker's job is thus running again within lease + sweep
# seconds (15 s by default), well inside "time limit + 30 s".
AUTOASSIGN_LEASE_SECONDS = env.int("AUTOASSIGN_LEASE_SECONDS", default=10)
AUTOASSIGN_SWEEP_SECONDS = env.float("AUTOASSIGN_SWEEP_SECONDS", default=5.0)
# A queued job not picked up this long after its last publish is published again.
AUTOASSIGN_REQUEUE_AFTER_SECONDS = env.int("AUTOASSIGN_REQUEUE_AFTER_SECONDS", default=60)
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    # Publish auto-assign jobs left queued (broker down) and recover those a worker lost.
    "auto-assign-sweep": {
        "task": "apps.planning.autoassign.tasks.sweep_autoassign_jobs",
        "schedule": AUTOASSIGN_SWEEP_SECONDS,
        # While no worker is free, sweeps would pile up: a late one is dropped, not run.
        "options": {"expires": 2 * AUTOASSIGN_SWEEP_SECONDS},
    },
    # Crew follow-ups: each task is idempotent (a ``SentMessage`` key per message), so
    # running them often only decides how soon a due message leaves.
    "crew-invitation-reminders": {
        "task": "apps.planning.publication.tasks.send_invitation_reminders",
        "schedule": 15 * 60.0,
    },
    "crew-manager-digests": {
        "task": "apps.planning.publication.tasks.send_manager_digests",
        "schedule": 15 * 60.0,
    },
    "crew-shift-reminders": {
        "task": "apps.planning.publication.tasks.send_shift_reminders",
        "schedule": 15 * 60.0,
    },
}

# --- Authentication ----------------------------------------------------------------
AUTH_USER_MODEL = "orgs.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Permissions implied by the membership role (admin site); authenticates nobody.
    "apps.orgs.backends.MembershipRoleBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=3600)
LOGIN_URL = "/app/login"
LOGIN_REDIRECT_URL = "/app/"

ACCESS_TOKEN_MINUTES = min(env.int("ACCESS_TOKEN_MINUTES", default=15), 15)
REFRESH_TOKEN_DAYS = env.int("REFRESH_TOKEN_DAYS", default=14)
JWT_SIGNING_KEY = env.str("JWT_SIGNING_KEY", default="") or SECRET_KEY
SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=ACCESS_TOKEN_MINUTES),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=REFRESH_TOKEN_DAYS),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    "ALGORITHM": "HS256",
    "SIGNING_KEY": JWT_SIGNING_KEY,
    "USER_ID_FIELD": "id",
    "USER_ID_CLAIM": "user_id",
    "AUTH_HEADER_TYPES": ("Bearer",),
    "LEEWAY": 0,
}
REFRESH_COOKIE_NAME = "refresh_token"
REFRESH_COOKIE_PATH = "/api/v1/auth/"
REFRESH_COOKIE_SECURE = env.bool("REFRESH_COOKIE_SECURE", default=not DEBUG)

# django-axes: lock the (account, IP) pair after repeated failures. The database
# handler keeps working when Redis is down.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "email"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "apps.orgs.auth.lockout_response"
AXES_VERBOSE = False

# --- API ---------------------------------------------------------------------------
# Request bodies (JSON and forms) above this many bytes answer 413 ``payload_too_large``
# (Django's default, 2.5 MiB); JSON nested deeper than API_JSON_MAX_DEPTH answers 400
# ``invalid_json`` before it is parsed.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)
API_JSON_MAX_DEPTH = env.int("API_JSON_MAX_DEPTH", default=32)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "apps.orgs.auth.OrgJWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["apps.core.parsers.BoundedJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["apps.core.renderers.FastJSONRenderer"],
    "DEFAULT_FILTER_BACKENDS": [
        "apps.core.filters.StrictFilterBackend",
        "apps.core.filters.DocumentedSearchFilter",
        "apps.core.filters.StrictOrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "apps.core.pagination.BoundedPageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "apps.core.schema.AutoSchema",
    "EXCEPTION_HANDLER": "apps.core.errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "auth": env.str("THROTTLE_AUTH", default="20/min"),
        "invitation": env.str("THROTTLE_INVITATION", default="30/min"),
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # How many proxies stand in front: throttles then read the client's address from
    # X-Forwarded-For accordingly. 0 trusts only REMOTE_ADDR, so a forged header cannot
    # slip past a rate limit.
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0),
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Crew planning API",
    "DESCRIPTION": (
        "Multi-tenant crew planning for live entertainment: organizations, crews, "
        "shifts, labour rules and conflicts, publication, invitations and auto-assign. "
        "Every error answers the `Error` shape with a stable `code`. Request headers every "
        "operation reads: `X-Request-ID` (kept and echoed, written on the audit entries), "
        "`If-Match` on writes of a versioned row (412 when stale), and `X-Undo: true` on a "
        "write that undoes the previous one (its audit entries say `undo` as their reason)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and ReDoc served from our static files (drf-spectacular-sidecar), not a CDN:
    # /api/docs works offline and loads no third-party script.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "MemberRoleEnum": "apps.orgs.models.MemberRole",
        # Several models have a ``status``; name each choice set after its model.
        "ProjectStatusEnum": "apps.planning.models.ProjectStatus",
        "ShiftStatusEnum": "apps.planning.models.ShiftStatus",
        "AssignmentStatusEnum": "apps.planning.models.AssignmentStatus",
        "InvitationStatusEnum": "apps.planning.models.InvitationStatus",
        "JobStatusEnum": "apps.planning.models.JobStatus",
        "AvailabilityStatusEnum": "apps.crew.models.AvailabilityStatus",
        # A rule's severity and a conflict's type are the same hard/soft choice.
        "SeverityEnum": ["hard", "soft"],
        # Two fields named ``kind``: an availability's keeps its name, the publish
        # preview's readable changes get their own.
        "KindEnum": "apps.crew.models.AvailabilityKind",
        "PublishChangeKindEnum": ["added", "removed", "changed"],
    },
}

# --- Internationalisation ----------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]

# --- E-mail ------------------------------------------------------------------------
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="planning@crewplan.local")
# The public address of the site. Pages build their links (the calendar URL) on it, or on
# the request's own scheme and host when it is blank. E-mails have no request: they use
# PUBLIC_BASE_URL, which follows SITE_URL unless set on its own.
SITE_URL = env.str("SITE_URL", default="").rstrip("/")
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", default="") or SITE_URL or "http://localhost:8000"

# --- Security headers that are safe everywhere -------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# --- Logging: one JSON line per request --------------------------------------------
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "apps.core.logging.RequestContextFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "timestamp", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_context"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Our request log replaces django.server / django.request access lines.
        "django.server": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
    },
}

# --- Metrics (``/metrics``, see ``apps.core.metrics``) ------------------------------
# Scrapers authenticate with ``Authorization: Bearer $METRICS_TOKEN`` or scrape from an
# address of METRICS_ALLOWED_IPS (addresses or CIDR networks; loopback by default).
# Several gunicorn workers: set PROMETHEUS_MULTIPROC_DIR (an empty directory the workers
# share) so a scrape sums every worker.
METRICS_ENABLED = env.bool("METRICS_ENABLED", default=True)
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
METRICS_ALLOWED_IPS: list[str] = env.list("METRICS_ALLOWED_IPS", default=["127.0.0.1", "::1"])
# A typo must stop start-up, not answer 500 on every scrape.
for _network in METRICS_ALLOWED_IPS:
    ipaddress.ip_network(_network, strict=False)

# --- Invitations -------------------------------------------------------------------
INVITES_SECRET = env.str("INVITES_SECRET", default="")
INVITES_TTL_SECONDS = env.int("INVITES_TTL_SECONDS", default=7 * 24 * 3600)
# Invitations to join an organization (onboarding), signed with INVITES_SECRET too.
ORG_INVITES_TTL_SECONDS = env.int("ORG_INVITES_TTL_SECONDS", default=7 * 24 * 3600)

# --- Crew follow-ups (reminders, digests, open shifts) --------------------------------
# Organization defaults (each organization may change them: ``CrewPolicy``).
CREW_INVITATION_REMINDER_DELAY_HOURS = env.int("CREW_INVITATION_REMINDER_DELAY_HOURS", default=48)
CREW_INVITATION_REMINDER_MAX = env.int("CREW_INVITATION_REMINDER_MAX", default=2)
CREW_OPEN_SHIFT_CLAIM_MODE = env.str("CREW_OPEN_SHIFT_CLAIM_MODE", default="approval")
# Platform-wide: a manual resend reaches one person at most once in this many minutes.
CREW_RESEND_MIN_INTERVAL_MINUTES = env.int("CREW_RESEND_MIN_INTERVAL_MINUTES", default=60)
# The managers' digest: sent from this local hour; "short" shifts start within the horizon.
CREW_MANAGER_DIGEST_HOUR = env.int("CREW_MANAGER_DIGEST_HOUR", default=7)
CREW_SHORT_STAFFED_HORIZON_HOURS = env.int("CREW_SHORT_STAFFED_HORIZON_HOURS", default=72)
# The crew's day-before reminder: sent from this local hour on the eve of the shift.
CREW_DAY_BEFORE_REMINDER_HOUR = env.int("CREW_DAY_BEFORE_REMINDER_HOUR", default=17)
