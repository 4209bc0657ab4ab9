"""``manage.py autoassign_bench``: the engine against the greedy and the plain CP-SAT model.

Thin wrapper around ``apps.planning.autoassign.engine.bench.run_benchmark``; see that module for
what the columns mean.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from apps.planning.autoassign.engine.bench import run_benchmark
from apps.planning.autoassign.engine.cli import parse_sizes


class Command(BaseCommand):
    help = "Benchmark the auto-assign engine on generated problems of each size."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--sizes", default="small,medium,large")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument(
            "--reference-time",
            type=float,
            default=None,
            help="seconds for the plain CP-SAT reference (default per size; 0 skips it)",
        )
        parser.add_argument(
            "--problem-version",
            type=int,
            choices=(1, 2),
            default=2,
            help="generate crew-autoassign/2 problems (duty periods, default) or /1 ones",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            sizes = parse_sizes(options["sizes"])
        except ValueError as error:
            raise CommandError(str(error)) from error

        def emit(line: str) -> None:
            self.stdout.write(line)
            self.stdout.flush()

        run_benchmark(
            sizes,
            options["seed"],
            options["reference_time"],
            emit=emit,
            version=options["problem_version"],
        )
