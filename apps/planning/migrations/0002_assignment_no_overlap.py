"""No artist in two overlapping active assignments, enforced by PostgreSQL.

An exclusion constraint over (artist, [start_at, end_at)) for proposed, invited and
accepted assignments: it holds for every path that writes (API, admin, bulk,
auto-assign) and serializes concurrent bookings, so exactly one of several simultaneous
overlapping bookings commits.
"""

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations

from apps.core.migration_ops import PostgresOnlySQL

CONSTRAINT = "planning_assignment_no_overlap"


class Migration(migrations.Migration):
    dependencies = [("planning", "0001_initial")]

    operations = [
        BtreeGistExtension(),
        PostgresOnlySQL(
            sql=f"""
                ALTER TABLE planning_assignment ADD CONSTRAINT {CONSTRAINT}
                EXCLUDE USING gist (
                    artist_id WITH =,
                    tstzrange(start_at, end_at, '[)') WITH &&
                ) WHERE (status IN ('proposed', 'invited', 'accepted'))
            """,
            reverse_sql=f"ALTER TABLE planning_assignment DROP CONSTRAINT {CONSTRAINT}",
        ),
    ]
