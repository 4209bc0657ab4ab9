"""Concurrent writes: the database constraint decides, and the loser gets a clean 409."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from apps.core.errors import ConflictError
from apps.crew.models import Availability
from apps.crew.services import availabilities as services
from apps.orgs.models import MemberRole
from tests.factories import ArtistFactory, UserFactory

START = datetime(2026, 7, 14, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_declarations_of_one_window_keep_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Both requests pass the service's check before either inserts (the barrier holds
    them there), so the unique constraint is what refuses the second one."""
    artist = ArtistFactory()
    manager = UserFactory()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    check = services._require_new_window

    def check_then_wait(availability: Availability) -> None:
        check(availability)
        barrier.wait(timeout=5)

    monkeypatch.setattr(services, "_require_new_window", check_then_wait)

    def declare() -> None:
        try:
            services.availability_create(
                organization=artist.organization,
                actor=manager,
                actor_role=MemberRole.MANAGER,
                artist=artist,
                start_at=START,
                end_at=START + timedelta(days=2),
                kind="unavailable",
                reason="leave",
            )
            outcomes.append("created")
        except ConflictError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=declare) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)

    assert sorted(outcomes) == ["created", "duplicate_window"]
    assert Availability.objects.filter(artist=artist).count() == 1
