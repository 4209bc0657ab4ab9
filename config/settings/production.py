"""Production: every secret comes from the environment, with no default.

A missing ``SECRET_KEY``, ``DATABASE_URL``, ``REDIS_URL``, ``INVITES_SECRET`` or
``ALLOWED_HOSTS`` stops start-up with ``ImproperlyConfigured``.
"""

from config.settings.base import *
from config.settings.base import env, with_database_timeouts

DEBUG = False
SECRET_KEY = env.str("SECRET_KEY")
SIMPLE_JWT["SIGNING_KEY"] = env.str("JWT_SIGNING_KEY", default="") or SECRET_KEY
INVITES_SECRET = env.str("INVITES_SECRET")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
DATABASES = {"default": with_database_timeouts(env.db_url("DATABASE_URL"))}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
REDIS_URL = env.str("REDIS_URL")
CACHES["default"]["LOCATION"] = REDIS_URL
CACHES["default"]["BACKEND"] = "django_redis.cache.RedisCache"
CACHES["default"]["OPTIONS"] = {
    "CLIENT_CLASS": "django_redis.client.DefaultClient",
    "IGNORE_EXCEPTIONS": True,
    "SOCKET_CONNECT_TIMEOUT": 0.5,
    "SOCKET_TIMEOUT": 0.5,
}
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = False
REFRESH_COOKIE_SECURE = True

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# Probes and metrics are scraped over plain HTTP inside the cluster.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^livez$", r"^readyz$", r"^metrics$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")

# Static files (the pages' CSS and scripts, the admin) served by the app itself with
# WhiteNoise: compressed, with far-future caching of hashed names.
MIDDLEWARE = list(MIDDLEWARE)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
