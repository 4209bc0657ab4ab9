"""Planner statistics are fresh after every bulk load (issue 14, item 4).

On tables PostgreSQL never analysed, the publish preview of a 300-assignment project
chose nested loops and took 14-30 s (0.06 s after ``ANALYZE``). Bulk loads now analyse
at once instead of waiting for autovacuum: the demo seed and migrations that move data.
"""

from __future__ import annotations

from datetime import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)

LOADED_TABLES = (
    "planning_assignment",
    "planning_shift",
    "planning_mission",
    "crew_artist",
    "crew_availability",
)


def database_now() -> datetime:
    with connection.cursor() as cursor:
        cursor.execute("SELECT now()")
        return cursor.fetchone()[0]


def analysed_since(moment: datetime) -> set[str]:
    """Tables whose last manual ``ANALYZE`` ran after ``moment`` (autovacuum's not counted)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname FROM pg_stat_user_tables WHERE last_analyze >= %s", [moment])
        return {name for (name,) in cursor.fetchall()}


def test_the_demo_seed_leaves_its_tables_analysed() -> None:
    before = database_now()

    call_command("seed_demo", stdout=StringIO())

    assert set(LOADED_TABLES) <= analysed_since(before)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples FROM pg_class WHERE relname = ANY(%s)", [list(LOADED_TABLES)]
        )
        rows = dict(cursor.fetchall())
    assert rows["planning_assignment"] > 0, "the planner knows the real row count"


def test_a_migration_that_moves_data_is_followed_by_analyze() -> None:
    """``crew.0004`` backfills a column (RunPython): applying it analyses the database."""
    call_command("migrate", "crew", "0003", verbosity=0)
    before = database_now()

    call_command("migrate", verbosity=0)

    assert set(LOADED_TABLES) <= analysed_since(before)


def test_a_migrate_with_nothing_to_apply_does_not_analyse() -> None:
    before = database_now()

    call_command("migrate", verbosity=0)

    assert not analysed_since(before)
