"""Print one summary line of a Schemathesis run for the CI log (scripts/fuzz-api.sh).

Reads the run's console output: operations tested, test cases generated, failures and
their kinds (Schemathesis codes, e.g. ST103 undocumented status code).

    python scripts/fuzz_counts.py ROLE RUN_LOG SECONDS
"""

from __future__ import annotations

import re
import sys
from pathlib import Path


def summary(role: str, text: str, seconds: str) -> str:
    operations = _first(r"Tested:\s+(\d+)", text)
    cases = _first(r"(\d+) generated", text)
    failures = _first(r"(\d+) unique failures?", text) or "0"
    kinds = re.findall(r"❌ (ST\d+ [^:\n]+): (\d+)", text)
    errors = _first(r"(\d+) errors?\b", text.split("SUMMARY")[-1]) or "0"
    detail = ", ".join(f"{name} {count}" for name, count in kinds)
    line = (
        f"fuzz counts ({role}): operations {operations or '?'}, cases {cases or '?'}, "
        f"failures {failures}, errors {errors}, {seconds}s"
    )
    return f"{line} [{detail}]" if detail else line


def _first(pattern: str, text: str) -> str | None:
    match = re.search(pattern, text)
    return match.group(1) if match else None


if __name__ == "__main__":
    role, log, seconds = sys.argv[1:4]
    print(summary(role, Path(log).read_text(encoding="utf-8", errors="replace"), seconds))
