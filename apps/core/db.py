"""Database session settings that differ between web requests and background jobs, the
planner statistics refreshed after bulk loads, and instants read by psycopg's C code.

Web connections get ``statement_timeout = DB_STATEMENT_TIMEOUT_MS`` from the connection
options (``config.settings.base.with_database_timeouts``). Celery jobs (auto-assign,
publication e-mails, sweeps) legitimately run longer statements: the worker calls
``use_job_statement_timeout`` at start-up, and every connection it opens then sets
``DB_JOB_STATEMENT_TIMEOUT_MS`` instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.db.migrations.operations import RunPython, RunSQL
from django.db.models import Model
from psycopg._cmodule import _psycopg  # psycopg's C implementation; None in pure Python
from psycopg.adapt import Loader

_DISPATCH_UID = "crewplan.job_statement_timeout"


class UtcInstantLoader(Loader):
    """``timestamptz`` read by psycopg's C loader, as aware datetimes in UTC.

    Django registers its own loader (``BaseTzLoader``: psycopg's pure Python one, then
    ``replace(tzinfo=...)``) so that instants come back in the connection's time zone.
    Under ``make loadtest`` it was 3 % of the service's CPU (a page of 50 shifts holds
    200 instants): 3 µs an instant, against 0.45 µs through the C loader. With the session
    in UTC (Django sets ``TIME ZONE 'UTC'`` when ``USE_TZ``) the C loader gives the same
    datetimes, ``tzinfo`` ``datetime.timezone.utc`` included. ``timezone`` is what
    Django's ``create_cursor`` compares with its own before registering its loader again.
    """

    timezone = UTC

    def __init__(self, oid: int, context: Any = None) -> None:
        super().__init__(oid, context)
        self._load = _psycopg.TimestamptzLoader(oid, context).load

    def load(self, data: Any) -> Any:
        return self._load(data)


def read_instants_in_c(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """On a new PostgreSQL connection in UTC, register ``UtcInstantLoader``."""
    if (
        _psycopg is None
        or connection.vendor != "postgresql"
        or getattr(connection, "timezone", None) != UTC
        or not hasattr(connection.connection, "adapters")  # psycopg2
    ):
        return
    connection.connection.adapters.register_loader("timestamptz", UtcInstantLoader)


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
