"""Instants are read by psycopg's C loader (``apps.core.db.UtcInstantLoader``) and come
back exactly as Django's own loader gives them: same instant, to the microsecond, and the
same ``tzinfo`` (``datetime.timezone.utc``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.db.backends.postgresql.psycopg_any import register_tzloader
from psycopg.adapt import Loader
from psycopg.pq import Format

from apps.core.db import UtcInstantLoader
from apps.planning.models import Shift
from tests.factories import ShiftFactory

pytestmark = pytest.mark.django_db

INSTANTS = [
    datetime(2026, 3, 29, 0, 59, 59, 999999, tzinfo=UTC),  # Paris springs forward at 01:00 UTC
    datetime(2026, 10, 25, 1, 0, 0, 1, tzinfo=UTC),  # and falls back
    datetime(1970, 1, 1, tzinfo=UTC),
    datetime(1901, 12, 13, 20, 45, 52, 123456, tzinfo=UTC),
    datetime(2999, 12, 31, 23, 59, 59, 500000, tzinfo=UTC),
]
SELECT = "SELECT unnest(%s::timestamptz[])"


def loader_class() -> type[Loader]:
    connection.ensure_connection()
    oid = connection.connection.adapters.types["timestamptz"].oid
    return connection.connection.adapters.get_loader(oid, Format.TEXT)  # type: ignore[return-value]


def test_new_connections_read_instants_in_c() -> None:
    assert loader_class() is UtcInstantLoader


def test_it_reads_what_django_s_loader_reads() -> None:
    with connection.cursor() as cursor:
        cursor.execute(SELECT, [INSTANTS])
        ours = [row[0] for row in cursor.fetchall()]
    with connection.cursor() as cursor:
        register_tzloader(UTC, cursor.cursor)  # Django's own, on this cursor only
        cursor.execute(SELECT, [INSTANTS])
        django_s = [row[0] for row in cursor.fetchall()]

    assert ours == django_s == INSTANTS
    assert all(value.tzinfo is UTC for value in [*ours, *django_s])


def test_a_model_s_instants_come_back_as_written() -> None:
    start = datetime(2026, 7, 14, 18, 30, 15, 250001, tzinfo=UTC)
    shift = ShiftFactory(start_at=start, end_at=start + timedelta(hours=5, microseconds=3))

    read = Shift.objects.values_list("start_at", "end_at").get(pk=shift.pk)

    assert read == (start, start + timedelta(hours=5, microseconds=3))
    assert read[0].tzinfo is UTC
