"""Reports computed from the planning: hours, labour cost, the CSV export and the feed.

They write nothing; they live here (not in selectors) because they compute. The rules
below are the product's documented choices.

Hours (``artist_hours``)
    *Paid hours* of a shift = real elapsed time (``end_at - start_at``, instants, so a
    daylight-saving night counts the hour the clocks moved) minus its ``break_minutes``,
    never below zero. Only *accepted* assignments on shifts that are not cancelled count.
    A shift belongs entirely to the local day (and ISO week) on which it *starts*: a
    22:00–04:00 night is counted in full on its first day, never split. ``from``/``to``
    are local dates in the organization's zone, both included.
    For intermittents, ``hours_12_months`` sums the same paid hours over the rolling 365
    days ending at the end of ``to`` (or now when ``to`` is not given), against the
    507-hour threshold of the unemployment insurance scheme.

Cost (``project_cost``), for every active assignment of the project's live shifts, with
the artist's rate profile and the shift's paid hours ``h``:
    1. an hourly rate: ``hourly_rate × h``;
    2. else ``h ≤ 5`` and a half-day rate: ``half_day_rate``;
    3. else a day rate: ``day_rate`` per started 10 hours (``ceil(h / 10)`` days);
    4. else a half-day rate only: ``half_day_rate`` per started 5 hours;
    5. else the assignment is *unpriced* (counted, not costed).
    Open slots (``headcount`` minus active assignments, per shift) are estimated as the
    *mean* of what each artist actively booked on that role in the organization (counted
    once, paid in the report's currency) would cost for that slot under the same rule;
    ``null`` when none of them has a rate. The report's currency is the most common one
    among the project's priced assignments (EUR when none); amounts in another currency are
    reported in ``totals`` and never converted.
"""

from __future__ import annotations

import io
import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone
from icalendar import Calendar, Event

from apps.core.spreadsheet import formula_safe_writer
from apps.crew.currencies import DEFAULT_CURRENCY
from apps.crew.models import Artist, EmploymentType
from apps.orgs.models import Organization
from apps.planning.models import Assignment, AssignmentStatus, Project, Shift, ShiftStatus
from apps.planning.publication import selectors
from apps.planning.timezones import local_instant, organization_zone

INTERMITTENT_THRESHOLD_HOURS = 507
ROLLING_WINDOW = timedelta(days=365)
CENTS = Decimal("0.01")
HALF_DAY_HOURS = 5
DAY_HOURS = 10
SEQUENCE_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
CSV_HEADER = (
    "date",
    "start",
    "end",
    "project",
    "mission",
    "venue",
    "role",
    "artist",
    "status",
    "shift_status",
)


# --- Hours ---------------------------------------------------------------------------


def paid_minutes(shift: Shift) -> int:
    """Elapsed minutes (real time) minus the break, never negative."""
    elapsed = int((shift.end_at - shift.start_at).total_seconds() // 60)
    return max(elapsed - shift.break_minutes, 0)


def _hours(minutes: int) -> float:
    return round(minutes / 60, 2)


def local_day_bounds(
    first: date, last: date, organization: Organization
) -> tuple[datetime, datetime]:
    """The instants of local midnight at the start of ``first`` and after ``last``."""
    zone = organization_zone(organization)
    return local_instant(first, time(0), zone), local_instant(
        last + timedelta(days=1), time(0), zone
    )


def local_today(organization: Organization) -> date:
    return timezone.localtime(timezone.now(), organization_zone(organization)).date()


def local_range(
    first: date | None, last: date | None, organization: Organization
) -> tuple[datetime | None, datetime | None]:
    """Either bound of ``local_day_bounds`` alone (``None`` leaves that side open)."""
    zone = organization_zone(organization)
    start = local_instant(first, time(0), zone) if first else None
    end = local_instant(last + timedelta(days=1), time(0), zone) if last else None
    return start, end


def _week_key(day: date) -> tuple[str, date]:
    iso = day.isocalendar()
    return f"{iso.year}-W{iso.week:02d}", day - timedelta(days=day.weekday())


def _by_week(assignments: list[Assignment], organization: Organization) -> list[dict[str, Any]]:
    zone = organization_zone(organization)
    minutes: dict[str, int] = defaultdict(int)
    counts: Counter[str] = Counter()
    starts: dict[str, date] = {}
    for assignment in assignments:
        key, monday = _week_key(timezone.localtime(assignment.shift.start_at, zone).date())
        minutes[key] += paid_minutes(assignment.shift)
        counts[key] += 1
        starts[key] = monday
    return [
        {
            "week": key,
            "week_start": starts[key],
            "hours": _hours(minutes[key]),
            "shifts": counts[key],
        }
        for key in sorted(minutes)
    ]


def _intermittent_threshold(artist: Artist, end: datetime) -> dict[str, Any] | None:
    if artist.employment_type != EmploymentType.INTERMITTENT:
        return None
    rows = selectors.accepted_assignments(artist=artist, start=end - ROLLING_WINDOW, end=end)
    total = _hours(sum(paid_minutes(row.shift) for row in rows))
    return {
        "hours_12_months": total,
        "window_start": end - ROLLING_WINDOW,
        "window_end": end,
        "threshold": INTERMITTENT_THRESHOLD_HOURS,
        "reached": total >= INTERMITTENT_THRESHOLD_HOURS,
    }


def artist_hours(
    *, artist: Artist, first: date | None = None, last: date | None = None
) -> dict[str, Any]:
    """Paid hours of accepted assignments by local ISO week and in total (see module doc).

    ``last`` defaults to today (local), ``first`` to the first day of ``last``'s month.
    """
    organization = artist.organization
    last_day = last or local_today(organization)
    first_day = first or last_day.replace(day=1)
    start, end = local_day_bounds(first_day, last_day, organization)
    rows = list(selectors.accepted_assignments(artist=artist, start=start, end=end))
    total = sum(paid_minutes(row.shift) for row in rows)
    return {
        "artist": artist.pk,
        "from": first_day,
        "to": last_day,
        "timezone": organization.timezone,
        "weeks": _by_week(rows, organization),
        "total_hours": _hours(total),
        "shifts": len(rows),
        "intermittent_threshold": _intermittent_threshold(
            artist, end if last is not None else timezone.now()
        ),
    }


# --- Cost ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RateProfile:
    hourly_rate: Decimal | None
    half_day_rate: Decimal | None
    day_rate: Decimal | None


def slot_cost(rates: RateProfile, minutes: int) -> Decimal | None:
    """The documented pricing rule for one person on one shift; ``None`` when unpriced."""
    hours = Decimal(minutes) / 60
    if rates.hourly_rate is not None:
        return (rates.hourly_rate * hours).quantize(CENTS, ROUND_HALF_UP)
    if rates.half_day_rate is not None and hours <= HALF_DAY_HOURS:
        return rates.half_day_rate.quantize(CENTS)
    if rates.day_rate is not None:
        return (rates.day_rate * max(math.ceil(hours / DAY_HOURS), 1)).quantize(CENTS)
    if rates.half_day_rate is not None:
        return (rates.half_day_rate * math.ceil(hours / HALF_DAY_HOURS)).quantize(CENTS)
    return None


def _artist_rates(artist: Artist) -> RateProfile:
    return RateProfile(artist.hourly_rate, artist.half_day_rate, artist.day_rate)


def average_slot_cost(profiles: list[RateProfile], minutes: int) -> Decimal | None:
    """What an open slot would cost: the mean of what each booked artist would cost for it."""
    costs = [cost for cost in (slot_cost(p, minutes) for p in profiles) if cost is not None]
    if not costs:
        return None
    return (sum(costs, Decimal(0)) / len(costs)).quantize(CENTS, ROUND_HALF_UP)


@dataclass
class _Line:
    """One row of a breakdown (a role or an artist), accumulated."""

    key: str
    name: str
    currency: str
    assignments: int = 0
    minutes: int = 0
    amount: Decimal = Decimal("0.00")

    def as_json(self, id_name: str) -> dict[str, Any]:
        return {
            id_name: self.key,
            f"{id_name}_name": self.name,
            "currency": self.currency,
            "assignments": self.assignments,
            "hours": _hours(self.minutes),
            "amount": str(self.amount),
        }


def _add(lines: dict[tuple[str, str], _Line], key: str, name: str, currency: str) -> _Line:
    return lines.setdefault((key, currency), _Line(key=key, name=name, currency=currency))


def _main_currency(priced: list[tuple[Assignment, Decimal]]) -> str:
    counts = Counter(row.artist.currency for row, _ in priced)
    return counts.most_common(1)[0][0] if counts else DEFAULT_CURRENCY


def _role_profiles(
    *, organization: Organization, role_ids: list[Any], currency: str
) -> dict[str, list[RateProfile]]:
    rows = selectors.role_rate_profiles(
        organization=organization, role_ids=role_ids, currency=currency
    )
    return {
        role: [
            RateProfile(r["artist__hourly_rate"], r["artist__half_day_rate"], r["artist__day_rate"])
            for r in profiles
        ]
        for role, profiles in rows.items()
    }


def _unstaffed(
    *, organization: Organization, project: Project, currency: str
) -> list[dict[str, Any]]:
    """Per role, the open slots (headcount minus active, per shift) and their estimate."""
    shifts = selectors.project_staffing_gaps(organization=organization, project_id=project.pk)
    open_shifts = [s for s in shifts if s.headcount > s.active_count]  # type: ignore[attr-defined]
    profiles = _role_profiles(
        organization=organization,
        role_ids=sorted({s.role_id for s in open_shifts}),
        currency=currency,
    )
    lines: dict[str, dict[str, Any]] = {}
    for shift in open_shifts:
        missing = shift.headcount - shift.active_count  # type: ignore[attr-defined]
        line = lines.setdefault(
            str(shift.role_id),
            {
                "role": str(shift.role_id),
                "role_name": shift.role.name,
                "missing_slots": 0,
                "currency": currency,
                "estimate": Decimal("0.00"),
            },
        )
        line["missing_slots"] += missing
        cost = average_slot_cost(profiles.get(str(shift.role_id), []), paid_minutes(shift))
        line["estimate"] = (
            None
            if cost is None or line["estimate"] is None
            else (line["estimate"] + cost * missing)
        )
    return [
        {**line, "estimate": str(line["estimate"]) if line["estimate"] is not None else None}
        for line in sorted(lines.values(), key=lambda item: item["role_name"])
    ]


def project_cost(*, organization: Organization, project: Project) -> dict[str, Any]:
    """Estimated labour cost of a project: per role, per artist, totals, open slots."""
    rows = list(
        selectors.project_cost_assignments(organization=organization, project_id=project.pk)
    )
    priced: list[tuple[Assignment, Decimal]] = []
    unpriced = 0
    for row in rows:
        cost = slot_cost(_artist_rates(row.artist), paid_minutes(row.shift))
        if cost is None:
            unpriced += 1
        else:
            priced.append((row, cost))
    roles: dict[tuple[str, str], _Line] = {}
    artists: dict[tuple[str, str], _Line] = {}
    totals: dict[str, Decimal] = defaultdict(lambda: Decimal("0.00"))
    for row, cost in priced:
        currency = row.artist.currency
        for line in (
            _add(roles, str(row.shift.role_id), row.shift.role.name, currency),
            _add(artists, str(row.artist_id), row.artist.full_name, currency),
        ):
            line.assignments += 1
            line.minutes += paid_minutes(row.shift)
            line.amount += cost
        totals[currency] += cost
    currency = _main_currency(priced)
    unstaffed = _unstaffed(organization=organization, project=project, currency=currency)
    unstaffed_total = sum((Decimal(u["estimate"]) for u in unstaffed if u["estimate"]), Decimal(0))
    staffed = totals.get(currency, Decimal("0.00"))
    return {
        "project": project.pk,
        "currency": currency,
        "total": str(staffed.quantize(CENTS)),
        "totals": [{"currency": c, "amount": str(a)} for c, a in sorted(totals.items())],
        "by_role": [line.as_json("role") for line in sorted(roles.values(), key=lambda x: x.name)],
        "by_artist": [
            line.as_json("artist") for line in sorted(artists.values(), key=lambda x: x.name)
        ],
        "assignments": len(rows),
        "unpriced_assignments": unpriced,
        "unstaffed": unstaffed,
        "unstaffed_total": str(unstaffed_total.quantize(CENTS)),
        "estimated_total": str((staffed + unstaffed_total).quantize(CENTS)),
    }


# --- CSV export ----------------------------------------------------------------------


def _csv_row(row: Assignment, organization: Organization) -> list[str]:
    zone = organization_zone(organization)
    start = timezone.localtime(row.shift.start_at, zone)
    end = timezone.localtime(row.shift.end_at, zone)
    end_text = (
        end.strftime("%H:%M") if end.date() == start.date() else end.strftime("%Y-%m-%d %H:%M")
    )
    return [
        start.date().isoformat(),
        start.strftime("%H:%M"),
        end_text,
        row.shift.mission.project.name,
        row.shift.mission.name,
        row.shift.venue.name,
        row.shift.role.name,
        row.artist.full_name,
        row.status,
        row.shift.status,
    ]


def planning_csv(*, organization: Organization, rows: list[Assignment]) -> bytes:
    """UTF-8 with a byte-order mark (so Excel reads accents right), one row per assignment.

    Times are local to the organization; an end on another day carries its date.
    """
    buffer = io.StringIO()
    writer = formula_safe_writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for row in rows:
        writer.writerow(_csv_row(row, organization))
    return buffer.getvalue().encode("utf-8-sig")


# --- Calendar feed -------------------------------------------------------------------


def _event_status(row: Assignment) -> str:
    if row.shift.status == ShiftStatus.CANCELLED or row.status == AssignmentStatus.CANCELLED:
        return "CANCELLED"
    return "CONFIRMED" if row.status == AssignmentStatus.ACCEPTED else "TENTATIVE"


def _sequence(row: Assignment) -> int:
    """Grows with every change of the shift or the assignment (seconds since 2020)."""
    changed = max(row.shift.updated_at, row.updated_at)
    return max(int((changed - SEQUENCE_EPOCH).total_seconds()), 0)


def _event(row: Assignment, organization: Organization, now: datetime) -> Event:
    zone = organization_zone(organization)
    shift = row.shift
    location = ", ".join(p for p in (shift.venue.name, shift.venue.address, shift.venue.city) if p)
    event = Event()
    event.add("uid", f"{row.pk}@crewplan")
    event.add("dtstamp", now)
    event.add("dtstart", timezone.localtime(shift.start_at, zone))
    event.add("dtend", timezone.localtime(shift.end_at, zone))
    event.add("summary", f"{shift.role.name} – {shift.venue.name}")
    event.add("location", location)
    event.add("description", _event_description(row))
    event.add("status", _event_status(row))
    event.add("sequence", _sequence(row))
    event.add("last-modified", max(shift.updated_at, row.updated_at).astimezone(UTC))
    return event


def _event_description(row: Assignment) -> str:
    shift = row.shift
    lines = [f"{shift.mission.name} — {shift.role.name}", f"Status: {row.status}"]
    if shift.break_minutes:
        lines.append(f"Break: {shift.break_minutes} min")
    if shift.notes:
        lines.append(shift.notes)
    return "\n".join(lines)


def artist_calendar(*, artist: Artist) -> bytes:
    """The artist's published schedule as an iCalendar (RFC 5545) document."""
    organization = artist.organization
    calendar = Calendar()
    calendar.add("prodid", "-//CrewPlan//Published schedule//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{organization.name} — {artist.full_name}")
    calendar.add("x-wr-timezone", organization.timezone)
    now = timezone.now()
    for row in selectors.calendar_assignments(artist=artist):
        calendar.add_component(_event(row, organization, now))
    calendar.add_missing_timezones()
    return calendar.to_ical()
