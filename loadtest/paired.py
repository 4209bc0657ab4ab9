"""``make loadtest-paired AGAINST=<checkout>``: this code and another, loaded at the same time.

Why: on a shared machine the neighbours' load moves requests per second by tens of percent
within minutes (the same commit gave 47 and 63 an hour apart), and CPU per request with
it, so two runs one after the other compare the neighbours as much as the code. Here both
servers run at once, each with its own database copy, Redis database, port and users
(``loadtest/run.py`` twice, same stages), so both see the same neighbours; their ratio is
the figure to read.

Prints each run's table, then per stage: requests per second (this / other) and CPU per
request (other / this); above 1, this code is the faster.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OVERALL = re.compile(r"^\s*(\d+)\s+overall\s+\d+\s+([\d.]+)\s+(\d+)\s+(\d+)")
CPU = re.compile(r"CPU per request: ([\d.]+) ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--against", required=True, help="the other checkout (a git worktree)")
    parser.add_argument("--users", default="12", help="users per server per stage, e.g. 5,12")
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--warmup", type=int, default=15)
    parser.add_argument(
        "--other-database", default="crewplan_load_other", help="the other run's database copy"
    )
    parser.add_argument(
        "--other-args",
        default="",
        help='more options for the other run only, e.g. "--workers 4 --worker-class sync"',
    )
    options = parser.parse_args()
    python = str(ROOT / ".venv" / "bin" / "python")
    common = ["--users", options.users, "--duration", str(options.duration)]
    common += ["--warmup", str(options.warmup)]
    runs = {
        "this": [python, str(HERE / "run.py"), *common],
        "other": [
            python,
            str(HERE / "run.py"),
            *common,
            "--code",
            options.against,
            "--database",
            options.other_database,
            "--redis",
            "7",
            "--port",
            "8842",
            "--log",
            "/tmp/crewplan-load-other.log",  # noqa: S108 - the load test's own log
            *options.other_args.split(),
        ],
    }
    started = {
        name: subprocess.Popen(  # noqa: S603 - our own command lines
            command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        for name, command in runs.items()
    }
    printed = {name: process.communicate()[0] for name, process in started.items()}
    for name, text in printed.items():
        print(f"=== {name}\n{text}")
    if any(process.returncode for process in started.values()):
        return 1
    this, other = (_stages(printed[name]) for name in ("this", "other"))
    for users in sorted(this.keys() & other.keys()):
        (rps, p50, p95, cpu), (other_rps, other_p50, other_p95, other_cpu) = (
            this[users],
            other[users],
        )
        print(
            f"{users} users each: this {rps:.1f} req/s (p50 {p50} ms, p95 {p95} ms, "
            f"{cpu:.1f} ms CPU a request), other {other_rps:.1f} req/s (p50 {other_p50} ms, "
            f"p95 {other_p95} ms, {other_cpu:.1f} ms); req/s ratio {rps / other_rps:.2f}, "
            f"CPU ratio {other_cpu / cpu:.2f}"
        )
    return 0


def _stages(text: str) -> dict[int, tuple[float, int, int, float]]:
    """Per number of users: overall req/s, p50, p95 and CPU ms per request."""
    stages: dict[int, tuple[float, int, int, float]] = {}
    users = None
    overall: tuple[float, int, int] | None = None
    for line in text.splitlines():
        if match := OVERALL.match(line):
            users = int(match[1])
            overall = (float(match[2]), int(match[3]), int(match[4]))
        elif (match := CPU.search(line)) and users is not None and overall is not None:
            stages[users] = (*overall, float(match[1]))
    return stages


if __name__ == "__main__":
    sys.exit(main())
