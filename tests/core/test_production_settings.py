"""Production settings refuse to start without their secrets and pass ``check --deploy``."""

from __future__ import annotations

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "INVITES_SECRET", "ALLOWED_HOSTS")


def production_env(**overrides: str) -> dict[str, str]:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in REQUIRED and not key.startswith(("DJANGO_", "TEST_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="".join(secrets.choice(alphabet) for _ in range(60)),
        DATABASE_URL="postgres://crewplan@db.internal:5432/crewplan",
        REDIS_URL="redis://cache.internal:6379/0",
        INVITES_SECRET=secrets.token_urlsafe(32),
        ALLOWED_HOSTS="crewplan.example.com",
    )
    env.update(overrides)
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("missing", REQUIRED)
def test_production_refuses_to_start_without_a_secret(missing: str) -> None:
    env = production_env()
    del env[missing]

    result = run(["-c", "import django; django.setup()"], env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


def test_production_passes_the_deploy_check() -> None:
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env())

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_keeps_the_database_connect_and_statement_timeouts() -> None:
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "o = settings.DATABASES['default']['OPTIONS']; "
        "print(o['connect_timeout'], o['options'])"
    )

    result = run(["-c", code], production_env(DB_CONNECT_TIMEOUT="3"))

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["3", "-c", "statement_timeout=30000"]
