"""Local wall-clock time in an organization's zone, turned into instants and back.

Planners think in local time ("the show starts at 20:00"), the database stores instants
(UTC). Templates and duplicated missions keep the *wall-clock* time across days, so an
18:00 shift stays an 18:00 shift on the other side of a daylight-saving change, and its
real length changes by the hour the clocks moved.

Ambiguous and nonexistent local times follow PEP 495 with ``fold=0``, documented once
here for every caller:

- a time that does not exist (inside a spring-forward gap, e.g. 02:30 in Europe/Paris on
  the last Sunday of March) is read with the offset in force *before* the gap, so it
  resolves *forward* by the gap's length: 02:30 becomes 03:30 CEST;
- a time that occurs twice (autumn fall-back, e.g. 02:30 on the last Sunday of October)
  is its *first* occurrence (summer time, 02:30 CEST).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from apps.orgs.models import Organization


def organization_zone(organization: Organization) -> ZoneInfo:
    return ZoneInfo(organization.timezone)


def local_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of the wall-clock time ``at`` on ``day`` in ``zone`` (fold=0)."""
    naive = datetime.combine(day, at.replace(tzinfo=None, fold=0))
    return naive.replace(tzinfo=zone).astimezone(UTC)


def local_span(day: date, start: time, end: time, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The instants of a template's local times on ``day``.

    ``end`` earlier than (or equal to) ``start`` means the next day: a 22:00→02:00 load-out
    ends on the morning after ``day``.
    """
    end_day = day if end > start else day + timedelta(days=1)
    return local_instant(day, start, zone), local_instant(end_day, end, zone)


def shift_by_local_days(instant: datetime, days: int, zone: ZoneInfo) -> datetime:
    """Move ``instant`` by ``days`` calendar days (earlier when negative) keeping its local
    wall-clock time."""
    local = instant.astimezone(zone)
    moved_day = local.date() + timedelta(days=days)
    return local_instant(moved_day, local.time(), zone)


def week_start(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())
