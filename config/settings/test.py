"""Tests: PostgreSQL and Redis, as in production (``make test`` starts nothing itself).

``DATABASE_URL`` and ``REDIS_URL`` default to the local services; Celery runs eagerly
except in the tests that start a real worker.
"""

from config.settings.base import *
from config.settings.base import env, with_database_timeouts

DEBUG = False
SECRET_KEY = "test-secret-key-that-is-long-enough-for-hs256-signing-0123456789"
SIMPLE_JWT["SIGNING_KEY"] = SECRET_KEY
INVITES_SECRET = "test-invites-secret"
DATABASES = {
    "default": with_database_timeouts(
        env.db_url("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/crewplan")
    ),
}
DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_DATABASE_NAME", default="test_crewplan")}
REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/15")
CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "TIMEOUT": CACHE_TTL_SECONDS,
        "OPTIONS": {
            "CLIENT_CLASS": "django_redis.client.DefaultClient",
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 0.5,
            "SOCKET_TIMEOUT": 0.5,
        },
        "KEY_PREFIX": "crewplan-test",
    }
}
CELERY_BROKER_URL = REDIS_URL
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
# Real-worker tests: a short visibility timeout redelivers a killed worker's message soon,
# and a pause after the claim leaves time to kill it mid-job.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    # kombu scans for abandoned messages every interval × throttle seconds (100 by default).
    "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_INTERVAL", default=10),
    "unacked_restore_throttle": env.int("CELERY_UNACKED_RESTORE_THROTTLE", default=10),
}
AUTOASSIGN_PAUSE_AFTER_CLAIM_SECONDS = env.float("AUTOASSIGN_PAUSE_AFTER_CLAIM_SECONDS", default=0)
# Real-process tests give a worker and its beat a queue of their own (the sweep publishes
# to it too), so that they never meet another test's messages.
AUTOASSIGN_TASK_QUEUE = env.str("AUTOASSIGN_TASK_QUEUE", default="") or None
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
REFRESH_COOKIE_SECURE = True
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {"auth": "1000/min", "invitation": "1000/min"}
AXES_FAILURE_LIMIT = 5
LOGGING["root"] = {"handlers": ["console"], "level": "WARNING"}
