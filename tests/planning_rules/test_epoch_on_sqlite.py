"""``Epoch`` on the embedded default (SQLite) reads instants to the microsecond.

The board sends each row's version (its ``updated_at``, read through ``Epoch``) back as
``If-Match``; a version read to the millisecond only never matched the row's ``ETag`` on
SQLite, so every edit from the board there answered 412. The suite runs on PostgreSQL, so
this compiles the real query for an in-memory SQLite database and runs it there.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.db.backends.sqlite3.base import DatabaseWrapper, SQLiteCursorWrapper
from django.db.models import F

from apps.core.versions import version_of_micros
from apps.planning.models import Shift
from apps.planning.rules.selectors import Epoch, instant

STORED = ("2026-12-03 09:41:27.123457", "2026-12-03 09:41:27", "1999-12-31 23:59:59.999999")


def test_epoch_reads_stored_instants_to_the_microsecond_on_sqlite() -> None:
    sqlite = DatabaseWrapper(
        {
            "NAME": ":memory:",
            "OPTIONS": {},
            "TIME_ZONE": None,
            "AUTOCOMMIT": True,
            "ATOMIC_REQUESTS": False,
            "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": False,
            "TEST": {},
        },
        alias="embedded",
    )
    query = Shift.objects.order_by().annotate(at=Epoch(F("updated_at"))).values_list("at").query
    sql, params = query.get_compiler(connection=sqlite).as_sql()
    # Django's own SQLite connection and cursor (its functions, its placeholder rewriting),
    # opened by hand: the suite's guard allows the configured databases only.
    raw = sqlite.get_new_connection(sqlite.get_connection_params())
    try:
        cursor = raw.cursor(factory=SQLiteCursorWrapper)
        cursor.execute('CREATE TABLE "planning_shift" ("updated_at" text)')
        for text in STORED:
            cursor.execute('INSERT INTO "planning_shift" VALUES (%s)', [text])
        cursor.execute(sql, params)
        read = [instant(row[0]) for row in cursor.fetchall()]
    finally:
        raw.close()

    expected = [datetime.fromisoformat(text).replace(tzinfo=UTC) for text in STORED]
    assert read == expected
    versions = [version_of_micros(round(seconds.timestamp() * 1_000_000)) for seconds in read]
    assert versions == [version_of_micros(round(at.timestamp() * 1_000_000)) for at in expected]
