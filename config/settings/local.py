"""Local development: the embedded default unless ``DATABASE_URL``/``REDIS_URL`` are set."""

from config.settings.base import *
from config.settings.base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env.str(
    "SECRET_KEY", default="local-development-only-secret-key-not-for-production-use"
)
SIMPLE_JWT["SIGNING_KEY"] = env.str("JWT_SIGNING_KEY", default="") or SECRET_KEY
INVITES_SECRET = env.str("INVITES_SECRET", default="local-development-invites-secret")
REFRESH_COOKIE_SECURE = env.bool("REFRESH_COOKIE_SECURE", default=False)
