"""``manage.py autoassign_solve PROBLEM.json``: run the auto-assign engine on a problem file.

Thin wrapper: the work is in ``apps.planning.autoassign.engine.cli.solve_file``. The last line of
output is the statistics JSON line of FORMAT.md.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from apps.planning.autoassign.engine.cli import InputFileError, solve_file


class Command(BaseCommand):
    help = "Solve a crew-autoassign/1 or /2 problem file and print the statistics line."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("problem", help="path of the problem JSON file")
        parser.add_argument("--out", help="where to write the solution JSON")
        parser.add_argument("--time-limit", type=float, default=10.0, help="seconds")
        parser.add_argument("--seed", type=int, default=0)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            solve_file(
                options["problem"],
                out=options["out"],
                time_limit=options["time_limit"],
                seed=options["seed"],
                emit=self.stdout.write,
            )
        except InputFileError as error:
            raise CommandError(str(error)) from error
