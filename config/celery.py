"""Celery application.

Tasks are thin: they take ids, load, call a service. Settings come from Django's
``CELERY_*`` namespace, so the embedded default (no ``REDIS_URL``) runs them eagerly.
"""

import os
from typing import Any

from celery import Celery
from celery.signals import worker_init, worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("crewplan")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Each app's ``tasks`` module; ``apps.planning.publication.tasks`` gathers its features' tasks.
app.autodiscover_tasks()


@worker_init.connect
def use_worker_broker_socket_timeout(**kwargs: Any) -> None:
    """Publishers give up on a hung broker fast; a worker's broker commands may wait longer."""
    from django.conf import settings

    app.conf.broker_transport_options = {
        **app.conf.broker_transport_options,
        "socket_timeout": settings.WORKER_BROKER_SOCKET_TIMEOUT,
    }


@worker_init.connect
@worker_process_init.connect
def _job_statement_timeout(**kwargs: Any) -> None:
    """Jobs run longer statements than web requests: a longer statement timeout."""
    from apps.core.db import use_job_statement_timeout

    use_job_statement_timeout()
