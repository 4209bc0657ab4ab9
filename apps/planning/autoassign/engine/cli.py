"""Command-line entry points, usable without Django and wrapped by the management commands.

    python -m apps.planning.autoassign.engine.cli solve PROBLEM.json [--out SOLUTION.json]
        [--time-limit SECONDS] [--seed N]
    python -m apps.planning.autoassign.engine.cli bench [--sizes small,medium,large] [--seed N]
        [--reference-time SECONDS] [--problem-version 1|2]

``solve`` prints the statistics JSON line last. Both commands keep their logic here so that
``manage.py autoassign_solve`` and ``autoassign_bench`` stay thin.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .bench import ENGINE_SECONDS, run_benchmark
from .problem import Problem, ProblemFormatError, parse_problem
from .solution import solution_to_dict, statistics
from .solver import solve


class InputFileError(Exception):
    """The problem file cannot be read or is not a valid problem; the message says why."""


def load_problem(path: str | Path) -> Problem:
    """Read and parse a problem file, turning every failure into one clear message."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise InputFileError(f"cannot read {path}: {error.strerror or error}") from error
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputFileError(f"{path} is not valid JSON: {error}") from error
    try:
        return parse_problem(data)
    except ProblemFormatError as error:
        raise InputFileError(f"{path} is not a valid crew-autoassign problem: {error}") from error


def solve_file(
    path: str | Path,
    *,
    out: str | Path | None,
    time_limit: float,
    seed: int,
    emit: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Solve a problem file, write the solution (if ``out``) and emit the statistics line."""
    problem = load_problem(path)
    started = time.monotonic()
    solution = solve(problem, time_limit=time_limit, seed=seed)
    seconds = time.monotonic() - started
    if out is not None:
        Path(out).write_text(json.dumps(solution_to_dict(solution), indent=1) + "\n", "utf-8")
    line = statistics(problem, solution, seconds)
    emit(json.dumps(line))
    return line


def parse_sizes(text: str) -> list[str]:
    """``small,medium`` to a list, rejecting unknown sizes."""
    sizes = [size.strip() for size in text.split(",") if size.strip()]
    unknown = [size for size in sizes if size not in ENGINE_SECONDS]
    if unknown or not sizes:
        raise ValueError(f"sizes must be among {', '.join(ENGINE_SECONDS)}, got {text!r}")
    return sizes


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="autoassign", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    solve_parser = commands.add_parser("solve", help="solve a problem file")
    solve_parser.add_argument("problem")
    solve_parser.add_argument("--out")
    solve_parser.add_argument("--time-limit", type=float, default=10.0)
    solve_parser.add_argument("--seed", type=int, default=0)
    bench_parser = commands.add_parser("bench", help="benchmark on generated problems")
    bench_parser.add_argument("--sizes", default="small,medium,large")
    bench_parser.add_argument("--seed", type=int, default=0)
    bench_parser.add_argument("--reference-time", type=float, default=None)
    bench_parser.add_argument("--problem-version", type=int, choices=(1, 2), default=2)
    arguments = parser.parse_args(argv)
    try:
        if arguments.command == "solve":
            solve_file(
                arguments.problem,
                out=arguments.out,
                time_limit=arguments.time_limit,
                seed=arguments.seed,
            )
        else:
            run_benchmark(
                parse_sizes(arguments.sizes),
                arguments.seed,
                arguments.reference_time,
                version=arguments.problem_version,
            )
    except (InputFileError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
