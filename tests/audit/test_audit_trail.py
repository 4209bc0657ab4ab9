"""Membership and organization writes leave an audit entry in the same transaction,
carrying the actor, the state before and after, and the request id; refused writes leave
none."""

from __future__ import annotations

from apps.audit.actions import AuditAction
from apps.audit.models import AuditEntry
from apps.orgs.models import MemberRole
from tests.conftest import Scenario, assert_error
from tests.factories import UserFactory
from tests.planning_rules.world import World

MEMBERS = "/api/v1/orgs/members"
ASSIGNMENTS = "/api/v1/planning/assignments"


def only_entry(**filters: object) -> AuditEntry:
    entries = list(AuditEntry.objects.filter(**filters))
    assert len(entries) == 1, entries
    return entries[0]


def test_inviting_a_member_is_audited_with_the_request_id(scenario: Scenario) -> None:
    UserFactory(email="paul@example.test")

    response = scenario.client("admin").post(
        MEMBERS,
        {"email": "paul@example.test", "role": "manager"},
        format="json",
        headers={"X-Request-ID": "req-add-member-1"},
    )

    assert response.status_code == 202
    entry = only_entry(action=AuditAction.ORG_INVITATION_CREATE)
    assert entry.organization_id == scenario.organization.id
    assert (entry.actor_id, entry.actor_label) == (scenario.admin.id, "admin@nuits.test")
    assert (entry.entity_type, entry.entity_id) == (
        "orgs.organizationinvitation",
        response.json()["id"],
    )
    assert entry.before is None
    assert entry.after is not None
    assert (entry.after["email"], entry.after["role"], entry.after["status"]) == (
        "paul@example.test",
        "manager",
        "pending",
    )
    assert "nonce" not in entry.after  # the link's secret stays out of the audit
    assert entry.request_id == "req-add-member-1"
    assert response["X-Request-ID"] == "req-add-member-1"


def test_a_role_change_is_audited_with_before_and_after(scenario: Scenario) -> None:
    tech = scenario.memberships["tech"]

    scenario.client("owner").patch(
        f"{MEMBERS}/{tech.id}",
        {"role": "admin"},
        format="json",
        headers={"X-Request-ID": "req-role-2"},
    )

    entry = only_entry(action=AuditAction.MEMBERSHIP_CHANGE_ROLE)
    assert entry.actor_id == scenario.owner.id
    assert entry.entity_id == str(tech.id)
    assert (entry.before["role"], entry.after["role"]) == ("tech", "admin")
    assert entry.request_id == "req-role-2"


def test_removing_a_member_is_audited_with_the_removed_state(scenario: Scenario) -> None:
    manager = scenario.memberships["manager"]

    scenario.client("admin").delete(
        f"{MEMBERS}/{manager.id}", headers={"X-Request-ID": "req-remove-3"}
    )

    entry = only_entry(action=AuditAction.MEMBERSHIP_DELETE)
    assert entry.actor_id == scenario.admin.id
    assert entry.entity_id == str(manager.id)
    assert entry.before == {
        "id": str(manager.id),
        "organization_id": str(scenario.organization.id),
        "user_id": str(scenario.manager.id),
        "role": "manager",
    }
    assert entry.after is None
    assert entry.request_id == "req-remove-3"


def test_an_organization_update_is_audited(scenario: Scenario) -> None:
    scenario.client("admin").patch(
        "/api/v1/orgs/current",
        {"name": "Nuits Sonores", "timezone": "America/Montreal"},
        format="json",
        headers={"X-Request-ID": "req-org-4"},
    )

    entry = only_entry(action=AuditAction.ORGANIZATION_UPDATE)
    assert (entry.entity_type, entry.entity_id) == (
        "orgs.organization",
        str(scenario.organization.id),
    )
    assert entry.actor_id == scenario.admin.id
    assert (entry.before["name"], entry.after["name"]) == ("Les Nuits Sonores", "Nuits Sonores")
    assert (entry.before["timezone"], entry.after["timezone"]) == (
        "Europe/Paris",
        "America/Montreal",
    )
    assert entry.request_id == "req-org-4"


def test_a_request_without_an_id_gets_a_minted_one_in_the_entry(scenario: Scenario) -> None:
    response = scenario.client("owner").patch(
        "/api/v1/orgs/current", {"name": "Renamed"}, format="json"
    )

    entry = only_entry(action=AuditAction.ORGANIZATION_UPDATE)
    assert entry.request_id
    assert entry.request_id == response["X-Request-ID"]


def test_refused_writes_leave_no_entry(scenario: Scenario) -> None:
    owner = scenario.memberships["owner"]
    newcomer = UserFactory()

    refusals = [
        scenario.client("admin").post(
            MEMBERS, {"email": newcomer.email, "role": MemberRole.OWNER}, format="json"
        ),
        scenario.client("owner").patch(f"{MEMBERS}/{owner.id}", {"role": "tech"}, format="json"),
        scenario.client("owner").delete(f"{MEMBERS}/{owner.id}"),
        scenario.client("admin").patch(
            "/api/v1/orgs/current", {"timezone": "Nowhere/Town"}, format="json"
        ),
        scenario.client("manager").patch("/api/v1/orgs/current", {"name": "x"}, format="json"),
    ]

    assert [response.status_code for response in refusals] == [403, 409, 409, 400, 403]
    assert not AuditEntry.objects.exists()


def test_an_unchanged_role_writes_no_entry(scenario: Scenario) -> None:
    tech = scenario.memberships["tech"]

    response = scenario.client("admin").patch(
        f"{MEMBERS}/{tech.id}", {"role": "tech"}, format="json"
    )

    assert response.status_code == 200
    assert not AuditEntry.objects.exists()


def test_the_entries_are_readable_through_the_api(scenario: Scenario) -> None:
    tech = scenario.memberships["tech"]
    scenario.client("admin").patch(
        f"{MEMBERS}/{tech.id}",
        {"role": "manager"},
        format="json",
        headers={"X-Request-ID": "req-api-5"},
    )

    response = scenario.client("admin").get("/api/v1/audit", {"entity_id": str(tech.id)})

    rows = response.json()["results"]
    assert [(row["action"], row["request_id"]) for row in rows] == [
        ("membership.change_role", "req-api-5")
    ]
    assert rows[0]["actor"] == str(scenario.admin.id)
    assert_error(scenario.client("outsider").get(f"/api/v1/audit/{rows[0]['id']}"), 404)


def test_a_write_that_undoes_the_previous_one_is_audited_as_an_undo(scenario: Scenario) -> None:
    # The board's "Annuler" toast reverts through the API with ``X-Undo: true``.
    world = World.build(scenario.organization)
    shift = world.shift("2025-03-14 09:00", "2025-03-14 17:00")
    client = scenario.client("manager")
    created = client.post(
        ASSIGNMENTS,
        {"shift_id": str(shift.pk), "artist_id": str(world.artist().pk)},
        format="json",
    )
    assert created.status_code == 201, created.content
    assignment_id = created.json()["assignment"]["id"]

    undone = client.delete(f"{ASSIGNMENTS}/{assignment_id}", headers={"X-Undo": "true"})

    assert undone.status_code in (200, 204), undone.content
    create, undo = AuditEntry.objects.filter(entity_id=assignment_id).order_by("timestamp")
    assert (create.action, create.reason) == (AuditAction.ASSIGNMENT_CREATE, "")
    assert undo.reason == "undo"


def test_an_undo_keeps_the_reason_a_write_gives(scenario: Scenario) -> None:
    from apps.audit.services import build_entry
    from apps.core.context import undo_var

    token = undo_var.set(True)
    try:
        given = build_entry(
            organization=scenario.organization,
            actor=None,
            action=AuditAction.ASSIGNMENT_CREATE,
            reason="Tournée : repos compensateur",
        )
        plain = build_entry(
            organization=scenario.organization, actor=None, action=AuditAction.ASSIGNMENT_CREATE
        )
    finally:
        undo_var.reset(token)
    assert (given.reason, plain.reason) == ("Tournée : repos compensateur", "undo")
