"""Local days, weeks and the plain words of conflict messages.

Planners read local wall-clock time, so every time in a message, and every "day" and
"week" a cap counts in, is in the organization's zone. Day and month names are fixed
English abbreviations passed through the reader's ``gettext`` (not the process locale),
so messages depend on the reader's language only, never on the server's environment.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta, tzinfo

Gettext = Callable[[str], str]

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def same(text: str) -> str:
    """The identity ``gettext``: English, the language the messages are written in."""
    return text


def local_day(instant: datetime, zone: tzinfo) -> date:
    return instant.astimezone(zone).date()


def week_monday(day: date) -> date:
    """The Monday of the local week holding ``day`` (weeks start Monday 00:00 local)."""
    return day - timedelta(days=day.weekday())


def day_label(day: date, gettext: Gettext = same) -> str:
    """``Fri 14 Mar`` (``ven. 14 mars`` in French)."""
    return f"{gettext(WEEKDAYS[day.weekday()])} {day.day} {gettext(MONTHS[day.month - 1])}"


def moment(instant: datetime, zone: tzinfo, gettext: Gettext = same) -> str:
    """``Fri 14 Mar 23:30`` in the organization's zone."""
    local = instant.astimezone(zone)
    return f"{day_label(local.date(), gettext)} {local:%H:%M}"


def span(start: datetime, end: datetime, zone: tzinfo, gettext: Gettext = same) -> str:
    """``Fri 14 Mar 18:00–23:00``, or both dates when the span ends on another day."""
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    if local_start.date() == local_end.date():
        return f"{day_label(local_start.date(), gettext)} {local_start:%H:%M}–{local_end:%H:%M}"
    return f"{moment(start, zone, gettext)} – {moment(end, zone, gettext)}"


def hours(value: float) -> str:
    """``7 h 30``, ``11 h``: hours and minutes as a planner writes them (both languages)."""
    total_minutes = round(value * 60)
    whole, minutes = divmod(total_minutes, 60)
    return f"{whole} h" if minutes == 0 else f"{whole} h {minutes:02d}"


def worked_hours(start: datetime, end: datetime, break_minutes: int) -> float:
    """Real elapsed hours minus the break (a DST night shift has its real length)."""
    elapsed = (end - start).total_seconds() / 3600
    return max(elapsed - break_minutes / 60, 0.0)
