"""Two writes that each recompute the whole organization's stored conflicts at once.

Each used to read the upkeep state ``FOR SHARE`` and then ask for it ``FOR UPDATE``: with
both holding the shared lock, PostgreSQL broke the deadlock by failing one (a 503 found by
the API fuzzing on two role deletions). The barrier below holds each write just after its
first lock, so the old order deadlocks every time; the exclusive lock taken at once makes
the second write wait for the first instead.
"""

from __future__ import annotations

import contextlib
import threading
from typing import Any

import pytest
from django.db import connection, transaction

from apps.planning.models import ConflictUpkeep
from apps.planning.rules import stored
from apps.planning.rules.stored import FRESH, Touched, recompute_organization, upkeep
from tests.factories import OrganizationFactory


@pytest.mark.django_db(transaction=True)
def test_two_writes_recomputing_everything_at_once_both_succeed(monkeypatch: Any) -> None:
    organization = OrganizationFactory()
    recompute_organization(organization)
    barrier = threading.Barrier(2)
    real_state = stored._shared_state

    def state_then_meet(organization_id: Any, **kwargs: Any) -> str | None:
        state = real_state(organization_id, **kwargs)
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=1)  # the other write holds or waits for the lock
        return state

    monkeypatch.setattr(stored, "_shared_state", state_then_meet)
    failures: list[BaseException] = []

    def write() -> None:
        try:
            with transaction.atomic():
                upkeep(organization, Touched(everything=True, sync=True))
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert failures == []
    assert ConflictUpkeep.objects.get(organization=organization).status == FRESH
