"""Celery application.

Tasks are thin: they take ids, load, call a service. Settings come from Django's
``CELERY_*`` namespace, so the embedded default (no ``REDIS_URL``) runs them eagerly.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("crewplan")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Each app's ``tasks`` module; ``apps.planning.publication.tasks`` gathers its features' tasks.
app.autodiscover_tasks()
