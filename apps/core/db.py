"""Database session settings that differ between web requests and background jobs, and
the planner statistics refreshed after bulk loads.

Web connections get ``statement_timeout = DB_STATEMENT_TIMEOUT_MS`` from the connection
options (``config.settings.base.with_database_timeouts``). Celery jobs (auto-assign,
publication e-mails, sweeps) legitimately run longer statements: the worker calls
``use_job_statement_timeout`` at start-up, and every connection it opens then sets
``DB_JOB_STATEMENT_TIMEOUT_MS`` instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.db.migrations.operations import RunPython, RunSQL
from django.db.models import Model

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


def analyze(models: Iterable[type[Model]] = (), *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Refresh the planner's statistics after a bulk load (``ANALYZE``; all tables by default).

    A table PostgreSQL never analysed is planned as if it held a handful of rows: the
    publish preview of a 300-assignment project took 14-30 s on such tables (nested loops
    over an ``IN (SELECT …)``) and 0.06 s after ``ANALYZE``. Autovacuum analyses a loaded
    table only up to a minute later, so every bulk load (the demo seed, the bench month,
    a migration that moves data) analyses at once. ANALYZE samples each table (30,000
    rows at most), so this costs well under a second at this application's sizes.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in models)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}".strip())


def analyze_after_data_migrations(
    plan: Any = None, using: str = DEFAULT_DB_ALIAS, **kwargs: Any
) -> None:
    """``post_migrate``: ``ANALYZE`` when the migrations just applied ran code or SQL on data."""
    moved_data = any(
        isinstance(operation, RunPython | RunSQL)
        for migration, backwards in plan or ()
        if not backwards
        for operation in migration.operations
    )
    if moved_data:
        analyze(using=using)
