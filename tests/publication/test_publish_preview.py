"""``POST /api/v1/planning/publish/preview``: what publishing would change, nothing written."""

from __future__ import annotations

from typing import Any

import pytest

from apps.audit.models import AuditEntry
from apps.planning.models import PlanningVersion, Shift
from tests.conftest import Scenario, assert_error
from tests.publication.conftest import PUBLISH, World, assign, local, make_shift

pytestmark = pytest.mark.django_db
PREVIEW = "/api/v1/planning/publish/preview"


def test_it_shows_the_diff_and_the_crew_to_notify_without_writing(
    scenario: Scenario, world: World
) -> None:
    shift = make_shift(world.own, local(24, 18))
    assign(shift, world.own.ana, "accepted")
    assign(shift, world.own.bruno, "proposed")
    audit_before = AuditEntry.objects.count()

    response = scenario.client("manager").post(
        PREVIEW, {"project_id": str(world.own.project.pk)}, format="json"
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["conflicts"] == []
    assert body["previous_number"] is None
    assert body["summary"]["shifts_published"] == 1
    # Bruno's proposal will be invited by the publication: he is concerned too.
    assert [a["name"] for a in body["affected_artists"]] == [
        world.own.ana.full_name,
        world.own.bruno.full_name,
    ]
    assert body["summary"]["invitations_to_send"] == 1
    assert len(body["diff"]["shifts"]["added"]) == 1
    assert PlanningVersion.objects.count() == 0
    assert AuditEntry.objects.count() == audit_before
    assert Shift.objects.get(pk=shift.pk).status == "draft"


def test_after_a_publication_an_unchanged_scope_previews_an_empty_diff(
    scenario: Scenario, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    shift = make_shift(world.own, local(24, 18))
    assign(shift, world.own.ana, "accepted")
    body = {"project_id": str(world.own.project.pk)}
    with django_capture_on_commit_callbacks(execute=True):
        assert scenario.client("manager").post(PUBLISH, body, format="json").status_code == 201

    preview = scenario.client("manager").post(PREVIEW, body, format="json").json()

    assert preview["previous_number"] == 1
    assert preview["affected_artists"] == []
    assert all(
        not part[kind]
        for part in preview["diff"].values()
        for kind in ("added", "removed", "changed")
    )


def test_it_lists_the_hard_conflicts_that_would_refuse_the_publication(
    scenario: Scenario, world: World
) -> None:
    first = make_shift(world.own, local(24, 18))
    second = make_shift(world.own, local(25, 3))  # one duty period of 14 h: min_rest
    assign(first, world.own.ana, "accepted")
    assign(second, world.own.ana, "accepted")

    body = (
        scenario.client("manager")
        .post(PREVIEW, {"project_id": str(world.own.project.pk)}, format="json")
        .json()
    )

    assert {c["rule"] for c in body["conflicts"]} == {"min_rest"}
    assert all(c["type"] == "hard" for c in body["conflicts"])


def test_roles_and_tenancy(scenario: Scenario, world: World) -> None:
    own = {"project_id": str(world.own.project.pk)}
    assert_error(scenario.client("tech").post(PREVIEW, own, format="json"), 403)
    assert_error(scenario.client("anonymous").post(PREVIEW, own, format="json"), 401)
    foreign = {"project_id": str(world.foreign.project.pk)}
    assert_error(scenario.client("manager").post(PREVIEW, foreign, format="json"), 404)
    assert_error(scenario.client("manager").post(PREVIEW, {}, format="json"), 400)
