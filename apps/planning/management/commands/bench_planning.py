"""``manage.py bench_planning``: how fast the planning board, the month's check and a write are.

It measures, over ``--runs`` runs each, the number of queries and the median and 95th
percentile times of:

(a) ``GET /api/v1/planning/timeline`` over the whole month, through the full Django
    stack (middleware, JWT authentication, view, JSON rendering): cold as after any write
    (the organization's revision bumped before each read: names read again too, every day
    drawn), after a booking (what a booking in the middle of the month bumps, its weeks and
    its day: the month computed with that day drawn again, the names and the other days
    kept, ``schedule.names`` and ``schedule.timeline.drawn_days``), and reloaded with no
    write;
(b) ``conflicts_in_range`` over the month (the check publication runs);
(c) ``POST /api/v1/planning/assignments`` (else ``assignment_create``), each write in a
    transaction rolled back afterwards, so the data stays the same from run to run, and
    the write's own check (``conflicts_for_assignments``) alone;
(d) the floor: the timeline's rows read with one raw SQL join and ``json.dumps``; a
    stricter floor that casts ids and instants to text in SQL; and the strictest, that
    text encoded with ``orjson``, the timeline's own encoder.

The process's garbage collector is set as the server's workers set it
(``apps.core.collector.tune_collector``), so the times are those of the serving process.

Data: ``--source demo`` seeds the large demo (``apps.orgs.demo.run_seed(size="large")``)
and measures its planned four weeks; ``--source synthetic`` builds (once, then reuses) a
month of its own in a dedicated organization (``bench-planning-<size>``): 300 artists,
~3,000 shifts, ~6,000 assignments, absences, pending requests and declared windows,
seeded so every run sees the same planning. ``auto`` (the default) uses the demo when its
planning seed produces at least a thousand shifts, the synthetic month otherwise.

``--scale 1,2,4,8`` measures growth instead: for each factor it builds (once, then reuses)
a synthetic month with that many times the shifts and the crew of the large demo's month
(``--size``, ``demo`` by default: ~3,500 shifts, so 8× is ~28,000), and times the cold and
warm timeline of a week and of the month, the month's conflict check, an assignment write
and the text floor; then prints, for each measure, its medians and its growth exponent: the
slope of log(time) against log(shifts), fitted over the factors (1 grows as the work, 2 as
its square).

Timings run with ``DEBUG`` off (Django's debug cursor would time and keep every query);
only the run that counts queries captures them.
"""

from __future__ import annotations

import json
import logging
import math
import os
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import orjson
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction
from django.db.models import Count, F, Max, Min, Q
from django.test import Client, override_settings
from django.urls import NoReverseMatch, reverse

from apps.core.collector import tune_collector
from apps.core.revisions import bump_organization_revision, bump_weeks
from apps.crew.models import Artist
from apps.orgs.auth import issue_tokens
from apps.orgs.models import MemberRole, Membership, Organization
from apps.planning.management.commands._bench_month import (
    SIZES,
    synthetic_organization,
)
from apps.planning.models import (
    ACTIVE_ASSIGNMENT_STATUSES,
    Assignment,
    Shift,
)
from apps.planning.rules.conflicts import (
    ProposedAssignment,
    conflicts_for_assignments,
    conflicts_in_range,
)
from apps.planning.rules.stored import FRESH, recompute_organization, state_of

TARGETS_MS = {"timeline": 300.0, "conflicts": 300.0, "write": 30.0}
TIMELINE_FLOOR_RATIO = 3.0


@dataclass(frozen=True)
class Measure:
    """Wall-clock times, and this process's CPU times (on a busy machine the gap is time
    spent waiting: for the database, or for a CPU taken by other processes)."""

    name: str
    queries: int
    times_ms: list[float]
    cpu_ms: list[float]

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu_ms)

    @property
    def median(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def p95(self) -> float:
        """Nearest rank: the smallest time at or above 95 % of the runs."""
        ordered = sorted(self.times_ms)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


# --- The command ----------------------------------------------------------------------


class Command(BaseCommand):
    help = "Benchmark the timeline, the month's conflict check and an assignment write."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--size", choices=sorted(SIZES), help="synthetic month: large (scaled: demo)"
        )
        parser.add_argument("--runs", type=int, help="runs per measure: 20 (scaled: 5)")
        parser.add_argument("--source", choices=["auto", "demo", "synthetic"], default="auto")
        parser.add_argument(
            "--scale",
            type=scale_factors,
            help="growth: comma-separated factors of the month's shifts, e.g. 1,2,4,8",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        tune_collector()  # as the server's workers run (``config.wsgi``)
        if options["scale"]:
            runs = options["runs"] or 5
            self._scaled(options["scale"], options["size"] or "demo", runs=max(1, runs))
            return
        organization = self._organization(options["source"], options["size"] or "large")
        if state_of(organization) != FRESH:  # the stored conflicts a live site keeps
            recompute_organization(organization)
        start, end = planned_month(organization)
        bench = Bench(organization, owner_of(organization), start, end, runs=options["runs"] or 20)
        self._describe(organization, start, end)
        with quiet_requests(), override_settings(DEBUG=False):
            measures = [
                bench.timeline(),
                bench.timeline(booked=True),
                bench.timeline(cached=True),
                bench.conflicts(),
                bench.write(),
                bench.check(),
                bench.floor(),
                bench.floor(as_text=True),
                bench.floor(as_text=True, fast_json=True),
            ]
        self._report(measures)

    def _scaled(self, factors: list[int], size_name: str, *, runs: int) -> None:
        sizes: list[int] = []
        medians: dict[str, list[float]] = {}
        for factor in factors:
            started = time.perf_counter()
            organization = synthetic_organization(
                size_name=f"{size_name}-x{factor}", size=SIZES[size_name].scaled(factor)
            )
            built = time.perf_counter() - started
            start, end = planned_month(organization)
            bench = Bench(organization, owner_of(organization), start, end, runs=runs)
            week = first_week(organization, start)
            artists = bench.artists()  # before the write's own free hand joins them
            with quiet_requests(), override_settings(DEBUG=False):
                measures = {
                    "timeline week cold": bench.timeline(span=week),
                    "timeline week warm": bench.timeline(cached=True, span=week),
                    "timeline month cold": bench.timeline(),
                    "timeline month warm": bench.timeline(cached=True),
                    "conflicts month": bench.conflicts(),
                    "write (assignment)": bench.write(),
                    "floor-text month": bench.floor(as_text=True),
                }
            shifts = Shift.objects.filter(
                organization=organization, start_at__lt=end, end_at__gt=start
            ).count()
            sizes.append(shifts)
            for name, measure in measures.items():
                medians.setdefault(name, []).append(measure.median)
            load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
            self.stdout.write(
                f"{factor}×: {shifts} shifts, {artists} artists "
                f"(built or found in {built:.1f} s); load average {load}"
            )
        self.stdout.write(scale_table(factors, sizes, medians))

    def _organization(self, source: str, size: str) -> Organization:
        if source in ("auto", "demo"):
            from apps.orgs.demo import run_seed

            demo = run_seed(size="large").organization
            if source == "demo" or Shift.objects.filter(organization=demo).count() >= 1000:
                return demo
            self.stdout.write("The demo seed has no large planning yet: using a synthetic month.")
        return synthetic_organization(size_name=size)

    def _describe(self, organization: Organization, start: datetime, end: datetime) -> None:
        zone = organization.tzinfo
        shifts = Shift.objects.filter(organization=organization, start_at__lt=end, end_at__gt=start)
        assignments = Assignment.objects.filter(
            organization=organization, start_at__lt=end, end_at__gt=start
        )
        artists = Artist.objects.filter(organization=organization).count()
        self.stdout.write(
            f"Organization {organization.slug}: {start.astimezone(zone):%Y-%m-%d} to "
            f"{end.astimezone(zone):%Y-%m-%d} ({organization.timezone}), "
            f"{shifts.count()} shifts, {assignments.count()} assignments, {artists} artists."
        )
        load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
        self.stdout.write(f"Load average before the runs: {load} ({os.cpu_count()} CPUs).")

    def _report(self, measures: list[Measure]) -> None:
        load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
        self.stdout.write(f"Load average after the runs: {load}.")
        header = f"{'measure':<36}{'queries':>8}{'median ms':>11}{'p95 ms':>9}{'cpu ms':>9}"
        self.stdout.write(header)
        for measure in measures:
            self.stdout.write(
                f"{measure.name:<36}{measure.queries:>8}{measure.median:>11.1f}"
                f"{measure.p95:>9.1f}{measure.cpu_median:>9.1f}"
            )
        by_name = {measure.name.split(" ")[0]: measure for measure in measures}
        timeline = by_name["timeline"].median
        ratio = timeline / by_name["floor"].median
        self.stdout.write(f"timeline / floor (medians): {ratio:.2f}")
        self.stdout.write(
            f"timeline / floor-text (medians): {timeline / by_name['floor-text'].median:.2f}"
        )
        booked = by_name["timeline-booked"].median / by_name["floor-text"].median
        self.stdout.write(f"timeline-booked / floor-text (medians): {booked:.2f}")
        strictest = by_name["floor-orjson"].median
        self.stdout.write(
            f"timeline / floor-orjson (medians): {timeline / strictest:.2f}; "
            f"timeline-booked / floor-orjson: {by_name['timeline-booked'].median / strictest:.2f}"
        )
        cached = by_name["timeline-cached"].median
        self.stdout.write(
            f"timeline-cached / floor-text (medians): {cached / by_name['floor-text'].median:.2f}"
        )
        for key, limit in TARGETS_MS.items():
            verdict = "ok" if by_name[key].median <= limit else "MISSED"
            self.stdout.write(f"target {key} median ≤ {limit:g} ms: {verdict}")
        verdict = "ok" if ratio <= TIMELINE_FLOOR_RATIO else "MISSED"
        self.stdout.write(f"target timeline ≤ {TIMELINE_FLOOR_RATIO:g}× floor: {verdict}")


def scale_factors(text: str) -> list[int]:
    factors = [int(part) for part in text.split(",") if part.strip()]
    if not factors or min(factors) < 1:
        raise ValueError(text)
    return factors


def owner_of(organization: Organization) -> Membership:
    return Membership.objects.select_related("user").filter(
        organization=organization, role=MemberRole.OWNER
    )[0]


@contextmanager
def quiet_requests() -> Iterator[None]:
    """One log line per request would be timed too."""
    request_log = logging.getLogger("crewplan.request")
    level = request_log.level
    request_log.setLevel(logging.WARNING)
    try:
        yield
    finally:
        request_log.setLevel(level)


def first_week(organization: Organization, start: datetime) -> tuple[datetime, datetime]:
    """The month's first local week from Monday to Monday (the board's week view)."""
    zone = organization.tzinfo
    first = start.astimezone(zone).date()
    monday = first + timedelta(days=(7 - first.weekday()) % 7)
    return _local_midnight(monday, zone), _local_midnight(monday + timedelta(days=7), zone)


def growth_exponent(sizes: list[int], times: list[float]) -> float | None:
    """The least-squares slope of log(time) against log(size); ``None`` under two sizes."""
    points = [(math.log(n), math.log(t)) for n, t in zip(sizes, times, strict=True) if t > 0]
    if len({x for x, _ in points}) < 2:
        return None
    mean_x = statistics.fmean(x for x, _ in points)
    mean_y = statistics.fmean(y for _, y in points)
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / spread


def scale_table(factors: list[int], sizes: list[int], medians: dict[str, list[float]]) -> str:
    """Medians (ms) per factor, and each measure's growth exponent."""
    head = "".join(f"{f'{factor}× ms':>11}" for factor in factors)
    lines = [f"{'measure (median)':<22}{head}{'exponent':>10}"]
    lines.append(f"{'shifts in the month':<22}" + "".join(f"{n:>11}" for n in sizes))
    for name, times in medians.items():
        exponent = growth_exponent(sizes, times)
        shown = f"{exponent:>10.2f}" if exponent is not None else f"{'-':>10}"
        lines.append(f"{name:<22}" + "".join(f"{t:>11.1f}" for t in times) + shown)
    return "\n".join(lines)


def planned_month(organization: Organization) -> tuple[datetime, datetime]:
    """From the local day of the first shift to the day after the last one, at most a
    month (31 days): the synthetic March, or the demo's four weeks (one query)."""
    zone = organization.tzinfo
    bounds = Shift.objects.filter(organization=organization).aggregate(
        first=Min("start_at"), last=Max("start_at")
    )
    if bounds["first"] is None:
        raise RuntimeError(f"Organization '{organization.slug}' has no shifts to measure.")
    first = bounds["first"].astimezone(zone).date()
    last = min(bounds["last"].astimezone(zone).date(), first + timedelta(days=30))
    return _local_midnight(first, zone), _local_midnight(last + timedelta(days=1), zone)


def _local_midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=zone).astimezone(UTC)


class Bench:
    """The four measures over one organization's month."""

    def __init__(
        self,
        organization: Organization,
        owner: Membership,
        start: datetime,
        end: datetime,
        *,
        runs: int,
    ) -> None:
        self.organization, self.start, self.end, self.runs = organization, start, end, runs
        self.owner = owner
        token = issue_tokens(owner.user, owner).access
        self.client = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {token}")

    def _measure(self, name: str, action: Callable[[], object]) -> Measure:
        executed: list[str] = []

        def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            executed.append(sql)
            return execute(sql, params, many, context)

        # A request resets ``connection.queries``, so queries are counted by a wrapper.
        with connection.execute_wrapper(count):
            action()  # also warms caches (zoneinfo, URL resolver, prepared plans)
        times, cpu = [], []
        for _ in range(self.runs):
            started, started_cpu = time.perf_counter(), time.process_time()
            action()
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        return Measure(name, len(executed), times, cpu)

    def artists(self) -> int:
        return Artist.objects.filter(organization=self.organization).count()

    def timeline(
        self,
        *,
        cached: bool = False,
        booked: bool = False,
        span: tuple[datetime, datetime] | None = None,
    ) -> Measure:
        """The board's read of the month (or of ``span``); cold (as after any write: the
        revision is bumped before each read, so the range is computed, every day drawn),
        cold as after a booking (``booked``: what a booking in the middle of the range bumps,
        its weeks and its day, so the range is computed and that day drawn again) or cached
        (a reload with no write in between)."""
        start, end = span or (self.start, self.end)
        params = {"from": start.isoformat(), "to": end.isoformat()}
        expected = "HIT" if cached else "MISS"
        booking = self._booking_span(start, end) if booked else None

        def read() -> None:
            if booking is not None:
                bump_weeks(self.organization.pk, [booking], self.organization.tzinfo)
            elif not cached:
                bump_organization_revision(self.organization.pk)
            response = self.client.get("/api/v1/planning/timeline", params)
            if response.status_code != 200:
                raise RuntimeError(f"timeline answered {response.status_code}")
            if cached and response["X-Cache"] != expected:
                raise RuntimeError("the cached timeline missed its cache")

        name = (
            "timeline-cached (API, month, reload)"
            if cached
            else "timeline-booked (API, month, after a booking)"
            if booked
            else "timeline (API, month, cold)"
        )
        return self._measure(name, read)

    def _booking_span(self, start: datetime, end: datetime) -> tuple[datetime, datetime]:
        """The times of the range's middle shift (the whole range if it has none)."""
        middle = start + (end - start) / 2
        shift = (
            Shift.objects.filter(organization=self.organization, start_at__gte=middle)
            .filter(start_at__lt=end)
            .order_by("start_at")
            .first()
        )
        return (shift.start_at, shift.end_at) if shift is not None else (start, end)

    def conflicts(self) -> Measure:
        return self._measure(
            "conflicts (conflicts_in_range)",
            lambda: conflicts_in_range(
                organization=self.organization, start=self.start, end=self.end
            ),
        )

    def write(self) -> Measure:
        shift, artist = self._free_seat()
        try:
            reverse("assignment-list")
            return self._measure("write (POST assignments, rolled back)", self._post(shift, artist))
        except NoReverseMatch:
            return self._measure(
                "write (assignment_create, rolled back)", self._call(shift, artist)
            )

    def check(self) -> Measure:
        """The write's own conflict check alone: what this module adds to a write."""
        shift, artist = self._free_seat()
        proposal = [ProposedAssignment(shift_id=shift.pk, artist_id=artist.pk)]
        return self._measure(
            "check (conflicts_for_assignments)",
            lambda: conflicts_for_assignments(organization=self.organization, assignments=proposal),
        )

    def _post(self, shift: Shift, artist: Artist) -> Callable[[], None]:
        body = json.dumps({"shift_id": str(shift.pk), "artist_id": str(artist.pk)})

        def post() -> None:
            with transaction.atomic():
                response = self.client.post(
                    "/api/v1/planning/assignments", body, "application/json"
                )
                transaction.set_rollback(True)
            if response.status_code != 201:
                raise RuntimeError(f"write answered {response.status_code}: {response.content!r}")

        return post

    def _call(self, shift: Shift, artist: Artist) -> Callable[[], None]:
        from apps.planning.schedule.services import assignment_create

        def call() -> None:
            with transaction.atomic():
                assignment_create(
                    organization=self.organization,
                    actor=self.owner.user,
                    membership=self.owner,
                    shift=shift,
                    artist=artist,
                )
                transaction.set_rollback(True)

        return call

    def _free_seat(self) -> tuple[Shift, Artist]:
        """The middle one of the month's shifts with a free seat, and a skilled artist with
        nothing else planned (so the write has no hard conflict and answers 201)."""
        artist, _ = Artist.objects.get_or_create(
            organization=self.organization,
            email="free-hand@bench.invalid",
            defaults={"first_name": "Free", "last_name": "Hand"},
        )
        active = Q(assignments__status__in=ACTIVE_ASSIGNMENT_STATUSES)
        free = list(
            Shift.objects.filter(
                organization=self.organization, start_at__gte=self.start, end_at__lte=self.end
            )
            .exclude(status="cancelled")
            .annotate(seats=Count("assignments", filter=active))
            .filter(seats__lt=F("max_headcount"))
            .order_by("start_at", "id")
            .values_list("id", flat=True)
        )
        if not free:
            raise RuntimeError("No shift of the month has a free seat.")
        shift = Shift.objects.select_related("role").get(pk=free[len(free) // 2])
        artist.skills.set(shift.role.required_skills.all())
        return shift, artist

    def floor(self, *, as_text: bool = False, fast_json: bool = False) -> Measure:
        """The same rows as the timeline, one raw join, ``json.dumps``: the floor.

        ``as_text`` casts ids and instants to text in SQL, which spares the driver its
        Python-level ``uuid``/``timestamptz`` parsing: the stricter floor (the one issue 15
        measured, 58–68 ms then). ``fast_json`` encodes it with the timeline's own encoder
        (``orjson``) instead: the strictest, since the timeline encodes with it too.
        """
        cast = "::text" if as_text else ""
        columns = ", ".join(
            f"{column}{cast}" if column.endswith(("id", "_at")) else column
            for column in FLOOR_COLUMNS
        )
        sql = f"""
            SELECT {columns}
            FROM planning_shift s
            JOIN planning_mission m ON m.id = s.mission_id
            LEFT JOIN planning_assignment a ON a.shift_id = s.id
                 AND a.status IN ('proposed', 'invited', 'accepted')
            WHERE s.organization_id = %s AND s.start_at < %s AND s.end_at > %s
                  AND s.status <> 'cancelled'
            ORDER BY s.start_at, s.id
        """  # noqa: S608 - the columns are constants of this module

        def read() -> None:
            with connection.cursor() as cursor:
                cursor.execute(sql, [self.organization.pk, self.end, self.start])
                rows = cursor.fetchall()
                orjson.dumps(rows) if fast_json else json.dumps(rows, default=str)

        if fast_json:
            name = "floor-orjson (as text, orjson)"
        else:
            name = "floor-text (ids, times as text)" if as_text else "floor (raw SQL + json.dumps)"
        return self._measure(name, read)


FLOOR_COLUMNS = (
    "s.id",
    "s.mission_id",
    "m.project_id",
    "s.venue_id",
    "s.role_id",
    "s.start_at",
    "s.end_at",
    "s.status",
    "s.headcount",
    "s.max_headcount",
    "s.break_minutes",
    "a.id",
    "a.artist_id",
    "a.status",
    "a.locked",
    "a.source",
)
