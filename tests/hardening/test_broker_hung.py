"""A broker that accepts connections and never answers: the start still answers at once.

Before, the publish waited for the broker's 5 s socket timeout (202 after ~5.5 s). The
publish is now bounded by ``BROKER_PUBLISH_TIMEOUT``; the job stays queued (not
enqueued) for the beat sweep.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import kombu.pools
import pytest
from django.conf import settings

from apps.planning.models import AutoAssignJob
from config.celery import app as celery_app
from config.celery import use_worker_broker_socket_timeout
from tests.autoassign_job.conftest import make_planning
from tests.conftest import Scenario

pytestmark = pytest.mark.django_db(transaction=True)

START = "/api/v1/planning/auto-assign/start"


@pytest.fixture
def hung_broker() -> Iterator[str]:
    """A TCP server that accepts every connection and never sends a byte."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            held.append(conn)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    finally:
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        server.close()


def _reset_broker_pools() -> None:
    kombu.pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def publishing_to(hung_broker: str, settings: Any) -> Iterator[None]:
    """Publish for real (not eagerly) to the hung broker."""
    eager, broker = celery_app.conf.task_always_eager, celery_app.conf.broker_url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    celery_app.conf.task_always_eager = False
    _reset_broker_pools()
    celery_app.conf.broker_url = hung_broker
    try:
        yield
    finally:
        _reset_broker_pools()
        celery_app.conf.broker_url = broker
        celery_app.conf.task_always_eager = eager


@pytest.mark.usefixtures("publishing_to")
def test_a_start_answers_202_at_once_when_the_broker_hangs(scenario: Scenario) -> None:
    planning = make_planning(scenario.organization)
    body = {"scope": {"project_id": str(planning.project.pk)}, "options": {"time_limit": 2}}

    began = time.monotonic()
    response = scenario.client("manager").post(START, body, format="json")
    elapsed = time.monotonic() - began

    assert response.status_code == 202, response.content
    assert elapsed < 1.0, f"answered after {elapsed:.1f} s"
    job = AutoAssignJob.objects.get(pk=response.json()["id"])
    assert (job.status, job.enqueued_at) == ("queued", None), "left for the beat sweep"


def test_workers_keep_a_longer_broker_socket_timeout() -> None:
    before = dict(celery_app.conf.broker_transport_options)
    try:
        use_worker_broker_socket_timeout()
        options = celery_app.conf.broker_transport_options
    finally:
        celery_app.conf.broker_transport_options = before

    assert before["socket_timeout"] == settings.BROKER_PUBLISH_TIMEOUT
    assert options["socket_timeout"] == settings.WORKER_BROKER_SOCKET_TIMEOUT
    assert settings.WORKER_BROKER_SOCKET_TIMEOUT > settings.BROKER_PUBLISH_TIMEOUT
