"""``manage.py bench_board`` on the demo: every step measured, the sizes reported."""

from __future__ import annotations

import io
import json
import threading
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from apps.orgs.demo import run_seed
from apps.planning.models import Assignment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def run_in_a_thread(*args: str) -> str:
    """The command starts its own Playwright, which cannot share the thread of the tests'
    browser (its event loop runs there)."""
    out = io.StringIO()
    errors: list[Exception] = []

    def run() -> None:
        try:
            call_command("bench_board", *args, stdout=out)
        except Exception as error:  # noqa: BLE001 (handed back to the test's thread)
            errors.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]
    return out.getvalue()


def test_it_times_each_step_of_a_managers_month(live_server: Any) -> None:
    run_seed(size="normal")
    bookings = Assignment.objects.count()

    out = run_in_a_thread("--base-url", live_server.url, "--runs", "1")

    result = json.loads(out)
    for step in ("cold_after_write", "warm", "filter_change", "view_switch", "assign_redraw"):
        assert result[f"{step}_median_ms"] > 0, step
    assert result["timeline_bytes_uncompressed"] > 0
    assert result["timeline_bytes_compressed"] > 0
    assert Assignment.objects.count() == bookings + 1  # the one assignment it timed


def test_it_names_a_missing_user() -> None:
    with pytest.raises(CommandError, match=r"nobody@demo\.test"):
        call_command("bench_board", "--email", "nobody@demo.test", "--runs", "1")
