"""``manage.py bench_candidates``: do the candidates shown as fitting pass the preview?

For a sample of the organization's shifts, lists the candidates as the board does and
previews every one shown as fitting, as a planner would before confirming. Prints how
many were shown, how many the preview refused (it must be 0) and the time a list takes.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.orgs.models import Organization
from apps.planning.models import Shift, ShiftStatus
from apps.planning.rules.conflicts import ProposedAssignment, conflicts_for_assignments
from apps.planning.schedule.candidates import shift_candidates


class Command(BaseCommand):
    help = "Check that every candidate listed as fitting a shift passes the preview."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organization", default="demo", help="Organization slug.")
        parser.add_argument("--sample", type=int, default=200, help="How many shifts.")

    def handle(self, *args: Any, **options: Any) -> None:
        organization = Organization.objects.filter(slug=options["organization"]).first()
        if organization is None:
            raise CommandError(f"No organization '{options['organization']}'.")
        shifts = list(
            Shift.objects.filter(organization=organization)
            .exclude(status=ShiftStatus.CANCELLED)
            .select_related("organization", "role")
            .order_by("start_at")
        )
        sample = shifts[:: max(1, len(shifts) // max(1, options["sample"]))]
        shown = refused = 0
        timings: list[float] = []
        for shift in sample:
            started = time.perf_counter()
            candidates = shift_candidates(shift=shift, limit=200)
            timings.append((time.perf_counter() - started) * 1000)
            for candidate in candidates:
                if not candidate.fits:
                    continue
                shown += 1
                found = conflicts_for_assignments(
                    organization=organization,
                    assignments=[ProposedAssignment(shift_id=shift.pk, artist_id=candidate.id)],  # type: ignore[arg-type]
                )
                refused += any(conflict["type"] == "hard" for conflict in found)
        self.stdout.write(
            f"{organization.name}: {len(sample)} of {len(shifts)} shifts, "
            f"{shown} candidates shown as fitting, {refused} refused by the preview; "
            f"a candidate list takes {statistics.median(timings):.0f} ms median, "
            f"{max(timings):.0f} ms at most."
        )
