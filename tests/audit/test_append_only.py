"""Audit entries are append-only: no code path updates or deletes one."""

from __future__ import annotations

import pytest

from apps.audit.actions import AuditAction
from apps.audit.models import AppendOnlyError, AuditEntry
from apps.audit.services import record, snapshot
from tests.conftest import Scenario
from tests.factories import AuditEntryFactory


@pytest.fixture
def entry(scenario: Scenario) -> AuditEntry:
    return AuditEntryFactory(
        organization=scenario.organization, action=AuditAction.MEMBERSHIP_CREATE
    )  # type: ignore[no-any-return]


def test_saving_an_existing_entry_again_is_refused(entry: AuditEntry) -> None:
    entry.action = AuditAction.MEMBERSHIP_DELETE

    with pytest.raises(AppendOnlyError):
        entry.save()

    assert AuditEntry.objects.get(pk=entry.pk).action == "membership.create"


def test_deleting_an_entry_is_refused(entry: AuditEntry) -> None:
    with pytest.raises(AppendOnlyError):
        entry.delete()

    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_bulk_update_and_delete_are_refused(entry: AuditEntry) -> None:
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="tampered")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()

    assert AuditEntry.objects.get(pk=entry.pk).action == "membership.create"


def test_an_organization_with_a_trail_cannot_be_deleted(entry: AuditEntry) -> None:
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        entry.organization.delete()


def test_record_stores_a_json_safe_snapshot(scenario: Scenario) -> None:
    membership = scenario.memberships["tech"]

    entry = record(
        organization=scenario.organization,
        actor=scenario.admin,
        action=AuditAction.MEMBERSHIP_CHANGE_ROLE,
        entity=membership,
        before=snapshot(membership, ("id", "role")),
        after={"role": "manager"},
        reason="promotion",
    )

    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.before == {"id": str(membership.id), "role": "tech"}
    assert (stored.entity_type, stored.entity_id) == ("orgs.membership", str(membership.id))
    assert (stored.actor_label, stored.reason) == ("admin@nuits.test", "promotion")
    assert stored.request_id == ""


def test_record_without_an_actor_is_labelled_system(scenario: Scenario) -> None:
    entry = record(
        organization=scenario.organization,
        actor=None,
        action=AuditAction.AUTOASSIGN_REQUEUE,
        entity_type="planning.job",
        entity_id="job-1",
    )

    assert (entry.actor_id, entry.actor_label, entry.entity_id) == (None, "system", "job-1")


def test_deleting_a_user_keeps_the_entries_under_the_actor_label(scenario: Scenario) -> None:
    entry = record(
        organization=scenario.organization,
        actor=scenario.tech,
        action=AuditAction.AVAILABILITY_REQUEST,
    )

    scenario.tech.delete()

    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.actor_id is None
    assert stored.actor_label == "tech@nuits.test"
