"""Every migration of our apps can be unapplied to zero and applied again on PostgreSQL.

Generic on purpose: it takes every app under ``apps.`` that has migrations, so new
migrations are covered as they land. The database is left fully migrated.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def our_app_labels(executor: MigrationExecutor) -> list[str]:
    return sorted(
        label
        for label in executor.loader.migrated_apps
        if apps.get_app_config(label).name.startswith("apps.")
    )


def our_tables(labels: list[str]) -> set[str]:
    return {
        model._meta.db_table
        for label in labels
        for model in apps.get_app_config(label).get_models()
        if model._meta.managed
    }


def migrate_to_leaves() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_every_migration_unapplies_to_zero_and_applies_again() -> None:
    executor = MigrationExecutor(connection)
    labels = our_app_labels(executor)
    assert {"orgs", "audit", "crew", "planning"} <= set(labels)
    tables = our_tables(labels)
    try:
        executor.migrate([(label, None) for label in labels])
        remaining = tables & set(connection.introspection.table_names())
        applied = MigrationExecutor(connection).loader.applied_migrations
        unapplied_ok = not any(app in labels for app, _ in applied)

        migrate_to_leaves()
    finally:
        # Whatever failed above, leave the database usable for the next tests.
        migrate_to_leaves()

    assert remaining == set()
    assert unapplied_ok
    final = MigrationExecutor(connection)
    assert final.migration_plan(final.loader.graph.leaf_nodes()) == []
    assert tables <= set(connection.introspection.table_names())


@pytest.mark.django_db
def test_the_models_of_orgs_and_audit_have_their_migrations() -> None:
    out = StringIO()

    call_command("makemigrations", "orgs", "audit", "--check", "--dry-run", stdout=out)

    assert "No changes detected" in out.getvalue()
