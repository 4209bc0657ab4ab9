"""Helpers shared by the crew tests: the tech's own artist and audit look-ups."""

from __future__ import annotations

from typing import Any

import pytest

from apps.audit.models import AuditEntry
from apps.crew.models import Artist
from tests.conftest import Scenario
from tests.factories import ArtistFactory

WRITERS = ("owner", "admin", "manager")


def audit_actions(entity: Any) -> list[str]:
    """Actions recorded for one entity, oldest first."""
    return list(
        AuditEntry.objects.filter(entity_id=str(entity.pk))
        .order_by("timestamp", "id")
        .values_list("action", flat=True)
    )


def last_audit(entity: Any) -> AuditEntry:
    entry = AuditEntry.objects.filter(entity_id=str(entity.pk)).order_by("-timestamp").first()
    assert entry is not None, f"no audit entry for {entity!r}"
    return entry


@pytest.fixture
def tech_artist(scenario: Scenario) -> Artist:
    """The artist the ``tech`` member is when logged in."""
    return ArtistFactory(
        organization=scenario.organization,
        user=scenario.tech,
        first_name="Théo",
        last_name="Tech",
        day_rate=210,
    )
