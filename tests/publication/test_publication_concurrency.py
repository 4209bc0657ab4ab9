"""Two publications of one organization at the same instant: numbered 1 and 2, no error."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from apps.planning.models import PlanningVersion
from apps.planning.publication.services import PublicationScope, planning_publish
from tests.conftest import Scenario
from tests.publication.conftest import World, assign, local, make_shift

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_publications_are_serialized_per_organization(
    scenario: Scenario, world: World
) -> None:
    assign(make_shift(world.own, local(24, 18)), world.own.ana, "accepted")
    assign(make_shift(world.own, local(30, 18)), world.own.bruno, "accepted")
    scopes = [
        PublicationScope(start=local(24, 0), end=local(25, 0)),
        PublicationScope(start=local(30, 0), end=local(31, 0)),
    ]
    barrier = threading.Barrier(len(scopes))
    errors: list[BaseException] = []

    def publish(scope: PublicationScope) -> Any:
        try:
            barrier.wait(timeout=10)
            planning_publish(
                organization=scenario.organization, actor=scenario.manager, scope=scope
            )
        except BaseException as exc:  # noqa: BLE001 - reported to the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=publish, args=(scope,)) for scope in scopes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    numbers = sorted(PlanningVersion.objects.values_list("number", flat=True))
    assert numbers == [1, 2]
