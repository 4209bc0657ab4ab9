"""Prometheus multiprocess mode: gunicorn hooks and a scrape summing every process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from config import gunicorn as hooks

ROOT = Path(__file__).resolve().parents[2]

SCRAPE = """
import django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="localhost")
client.get("/healthz")
response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
print(response.status_code)
print(response.content.decode())
"""


def test_the_start_hook_empties_the_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = tmp_path / "prometheus"
    directory.mkdir()
    (directory / "counter_123.db").write_bytes(b"stale")
    monkeypatch.setenv(hooks.MULTIPROC_ENV, str(directory))

    hooks.on_starting(server=None)

    assert directory.is_dir()
    assert list(directory.iterdir()) == []


def test_the_hooks_do_nothing_without_multiprocess_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(hooks.MULTIPROC_ENV, raising=False)

    hooks.on_starting(server=None)
    hooks.child_exit(server=None, worker=SimpleNamespace(pid=123))

    assert hooks.multiproc_dir() is None


def test_a_scrape_in_multiprocess_mode_reads_the_shared_directory(tmp_path: Path) -> None:
    directory = tmp_path / "prometheus"
    directory.mkdir()
    env = {
        **os.environ,
        hooks.MULTIPROC_ENV: str(directory),
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }

    result = subprocess.run(
        [sys.executable, "-c", SCRAPE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr[-2000:]
    status, _, body = result.stdout.partition("\n")
    assert status == "200"
    assert "django_http_requests_total_by_view_transport_method" in body
    assert any(path.suffix == ".db" for path in directory.iterdir()), "samples on disk"
