"""The management commands are thin wrappers: output, solution file and clear errors.

They need Django settings (not a database); without them the module is skipped.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

django = pytest.importorskip("django")
from django.conf import settings  # noqa: E402

if not settings.configured:
    pytest.skip("Django settings are not configured", allow_module_level=True)

from django.core.management import call_command  # noqa: E402
from django.core.management.base import CommandError  # noqa: E402

from tests.autoassign.checker import check  # noqa: E402

EXAMPLE = Path(__file__).parent / "data" / "example.json"


def test_autoassign_solve_prints_the_statistics_line_last_and_writes_the_solution(
    tmp_path: Path,
) -> None:
    out = tmp_path / "solution.json"
    stdout = io.StringIO()
    call_command("autoassign_solve", str(EXAMPLE), out=str(out), time_limit=2, stdout=stdout)
    line = json.loads(stdout.getvalue().strip().splitlines()[-1])
    assert line["name"] == "tiny-5"
    assert line["valid"] is True
    assert check(json.loads(EXAMPLE.read_text()), json.loads(out.read_text())) == []


def test_autoassign_solve_turns_a_bad_file_into_a_command_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("autoassign_solve", str(bad))


def test_autoassign_bench_rejects_an_unknown_size() -> None:
    with pytest.raises(CommandError, match="sizes must be among"):
        call_command("autoassign_bench", sizes="huge")
