"""Project configuration: settings, URLs, Celery, WSGI/ASGI entry points."""

from config.celery import app as celery_app

__all__ = ("celery_app",)
