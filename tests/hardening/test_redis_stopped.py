"""Redis stopped for real (a redis-server of the test's own, shut down mid-test).

Redis is the cache, the throttles' shared history and the broker. With it gone: no 5xx
anywhere, each answer still prompt, the auth throttle still limits (from this process's
memory) and ``auto-assign/start`` still answers 202 (the job waits for the sweep).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
import redis
from django.conf import settings
from django.test import override_settings
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle as DRFScopedRateThrottle

from apps.planning.models import AutoAssignJob
from tests.autoassign_job.conftest import make_planning
from tests.autoassign_job.test_worker import START, broker_at
from tests.conftest import Scenario
from tests.hardening.conftest import OwnRedis

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

LOGIN = "/api/v1/auth/login"
READS = (
    "/api/v1/auth/me",
    "/api/v1/missions",
    "/api/v1/planning/shifts",
    "/api/v1/planning/assignments",
    "/api/v1/planning/timeline?from=2026-06-01T00:00:00Z&to=2026-06-08T00:00:00Z",
    "/api/v1/planning/auto-assign/jobs",
    "/api/v1/audit",
)


@pytest.fixture
def redis_for_everything(
    own_redis: OwnRedis, queue: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[OwnRedis]:
    """The cache, the throttles and the broker all on the test's own Redis."""
    del queue  # publishes for real (not eagerly), to a queue of the test's own
    rates = {**DRFScopedRateThrottle.THROTTLE_RATES, "auth": "3/min"}
    monkeypatch.setattr(DRFScopedRateThrottle, "THROTTLE_RATES", rates)
    caches: dict[str, Any] = {
        **settings.CACHES,
        "default": {**settings.CACHES["default"], "LOCATION": own_redis.url},
    }
    with override_settings(CACHES=caches), broker_at(own_redis.url):
        yield own_redis


def timed(call: Any) -> tuple[int, float]:
    began = time.monotonic()
    status = call().status_code
    return status, time.monotonic() - began


def test_with_redis_stopped_nothing_answers_5xx_and_the_login_throttle_still_limits(
    scenario: Scenario, redis_for_everything: OwnRedis
) -> None:
    owner = scenario.client("owner")
    anonymous = APIClient()
    wrong = {"email": "nobody@nuits.test", "password": "x"}
    planning = make_planning(scenario.organization)
    body = {"scope": {"project_id": str(planning.project.pk)}, "options": {"time_limit": 2}}
    for url in READS:  # warm: the lists are cached in Redis, the URLconf imported
        assert owner.get(url).status_code == 200, url
    assert anonymous.post(LOGIN, wrong, format="json").status_code == 401
    own = redis.Redis.from_url(redis_for_everything.url)
    assert any(b"throttle_auth_" in key for key in own.keys("*")), "history shared in Redis"

    redis_for_everything.stop()

    reads = {url: timed(lambda url=url: owner.get(url)) for url in READS}
    start_status, start_seconds = timed(lambda: owner.post(START, body, format="json"))
    logins = [timed(lambda: anonymous.post(LOGIN, wrong, format="json")) for _ in range(4)]

    assert {url: status for url, (status, _) in reads.items()} == dict.fromkeys(READS, 200)
    assert start_status == 202
    assert [status for status, _ in logins] == [401, 401, 401, 429], "limited, not off"
    slowest = max(seconds for _, seconds in [*reads.values(), *logins, (0, start_seconds)])
    assert slowest < 2.0, f"slowest answer {slowest:.2f} s"
    job = AutoAssignJob.objects.get()
    assert (job.status, job.enqueued_at) == ("queued", None), "left for the sweep"
    print(f"redis stopped: slowest answer {slowest:.2f} s, start {start_seconds:.2f} s")
