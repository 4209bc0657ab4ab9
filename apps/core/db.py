"""Database session settings that differ between web requests and background jobs.

Web connections get ``statement_timeout = DB_STATEMENT_TIMEOUT_MS`` from the connection
options (``config.settings.base.with_database_timeouts``). Celery jobs (auto-assign,
publication e-mails, sweeps) legitimately run longer statements: the worker calls
``use_job_statement_timeout`` at start-up, and every connection it opens then sets
``DB_JOB_STATEMENT_TIMEOUT_MS`` instead.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created

_DISPATCH_UID = "crewplan.job_statement_timeout"


def set_job_statement_timeout(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('statement_timeout', %s, false)",
            [str(settings.DB_JOB_STATEMENT_TIMEOUT_MS)],
        )


def use_job_statement_timeout() -> None:
    """From now on, every new connection of this process uses the job statement timeout."""
    connection_created.connect(set_job_statement_timeout, dispatch_uid=_DISPATCH_UID)


def stop_job_statement_timeout() -> None:
    connection_created.disconnect(dispatch_uid=_DISPATCH_UID)
