"""The words of a conflict, in the reader's language, from its rule and its details.

Every rule puts what its message needs in the conflict's ``details`` (ids, instants,
figures); ``render`` turns them into one sentence that names the artist, the shift(s)
involved (local date and time, role and venue when known) and the figures (span, limit).
The same ``details`` serve the UI as data, so the sentence never says more than they do.

Pure code: the translation function, the zone and the names (``Labels``) are given by the
caller. ``apps.planning.rules.conflicts`` passes Django's ``gettext`` in the reader's language
and the names of what the conflicts involve; tests and the engine use the English
default. Templates are module constants (``TEMPLATES``), so the French catalog can be
checked for every one of them. No raw rule code or field name ever reaches a message.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any

from apps.planning.rules.facts import Conflict, Key
from apps.planning.rules.wording import Gettext, day_label, hours, same, span


def _(text: str) -> str:
    """Marks a template for the catalog (``makemessages`` reads ``_``); translated later."""
    return text


TEMPLATES: dict[str, str] = {
    "double_booking": _("%(artist)s is booked twice: %(shift)s overlaps %(other)s."),
    "min_rest": _(
        "%(artist)s: duty period of %(span)s (%(shifts)s), longer than the %(limit)s "
        "that leave %(rest)s of daily rest."
    ),
    "absence": _("%(artist)s has an approved absence (%(window)s) during %(shift)s."),
    "pending_absence": _(
        "%(artist)s has an absence request still pending (%(window)s) during %(shift)s."
    ),
    "missing_skill": _("%(artist)s lacks a skill required for %(shift)s: %(skills)s."),
    "capacity_hard": _("Head count of %(count)s on %(shift)s, for at most %(limit)s."),
    "capacity_soft": _("Head count of %(count)s on %(shift)s, planned for %(limit)s."),
    "weekly_hours": _("%(artist)s: %(total)s of work in the week of %(week)s (maximum %(limit)s)."),
    "daily_hours": _(
        "%(artist)s: %(total)s of work in the duty period %(period)s (maximum %(limit)s)."
    ),
    "outside_availability": _("%(shift)s is outside the availability %(artist)s declared."),
    "missing_break": _(
        "The %(length)s shift %(shift)s has a %(break)s min break "
        "(at least %(min_break)s min after %(after)s)."
    ),
    "missing_break_none": _(
        "The %(length)s shift %(shift)s has no break (at least %(min_break)s min after %(after)s)."
    ),
}
WORDS: dict[str, str] = {
    "artist": _("The artist"),
    "shift_at": _("%(when)s (%(role)s, %(venue)s)"),
}


@dataclass(frozen=True, slots=True)
class ShiftLabel:
    """What names a shift besides its times."""

    role: str = ""
    venue: str = ""


@dataclass(frozen=True, slots=True)
class Labels:
    """Names of what conflicts involve, keyed by id (empty: the messages say less)."""

    artists: Mapping[Key, str] = field(default_factory=dict)
    shifts: Mapping[Key, ShiftLabel] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Speaker:
    """Who reads: the zone of the times, the language (``gettext``) and the names."""

    zone: tzinfo
    gettext: Gettext = same
    labels: Labels = field(default_factory=Labels)

    def artist(self, key: Key | None) -> str:
        name = self.labels.artists.get(key) if key is not None else None
        return name or self.gettext(WORDS["artist"])

    def when(self, start: datetime, end: datetime) -> str:
        return span(start, end, self.zone, self.gettext)

    def shift(self, key: Key | None, start: datetime, end: datetime) -> str:
        """``Thu 17 Dec 08:00–12:00 (Rigger, Olympia)``, or the times alone."""
        label = self.labels.shifts.get(key) if key is not None else None
        when = self.when(start, end)
        if label is None or not (label.role or label.venue):
            return when
        role, venue = label.role or "—", label.venue or "—"
        return self.gettext(WORDS["shift_at"]) % {"when": when, "role": role, "venue": venue}

    def say(self, template: str, values: Mapping[str, Any]) -> str:
        return self.gettext(TEMPLATES[template]) % values


def render(conflict: Conflict, speaker: Speaker) -> str:
    """The conflict's message for ``speaker``."""
    return _RENDERERS[conflict.rule](conflict.details, speaker)


def _own_shift(details: Mapping[str, Any], speaker: Speaker) -> str:
    return speaker.shift(details.get("shift_id"), details["start_at"], details["end_at"])


def _double_booking(details: Mapping[str, Any], speaker: Speaker) -> str:
    other = speaker.shift(
        details.get("other_shift_id"), details["other_start_at"], details["other_end_at"]
    )
    return speaker.say(
        "double_booking",
        {
            "artist": speaker.artist(details.get("artist_id")),
            "shift": _own_shift(details, speaker),
            "other": other,
        },
    )


def _shift_list(details: Mapping[str, Any], speaker: Speaker) -> str:
    return ", ".join(
        speaker.shift(entry.get("shift_id"), entry["start_at"], entry["end_at"])
        for entry in details["shifts"]
    )


def _min_rest(details: Mapping[str, Any], speaker: Speaker) -> str:
    return speaker.say(
        "min_rest",
        {
            "artist": speaker.artist(details.get("artist_id")),
            "span": hours(details["span_minutes"] / 60),
            "shifts": _shift_list(details, speaker),
            "limit": hours(details["max_span_minutes"] / 60),
            "rest": hours(details["min_rest_minutes"] / 60),
        },
    )


def _absence(template: str) -> Callable[[Mapping[str, Any], Speaker], str]:
    def render_absence(details: Mapping[str, Any], speaker: Speaker) -> str:
        return speaker.say(
            template,
            {
                "artist": speaker.artist(details.get("artist_id")),
                "window": speaker.when(details["window_start"], details["window_end"]),
                "shift": _own_shift(details, speaker),
            },
        )

    return render_absence


def _missing_skill(details: Mapping[str, Any], speaker: Speaker) -> str:
    return speaker.say(
        "missing_skill",
        {
            "artist": speaker.artist(details.get("artist_id")),
            "shift": _own_shift(details, speaker),
            "skills": ", ".join(details["missing_skills"]),
        },
    )


def _capacity(template: str) -> Callable[[Mapping[str, Any], Speaker], str]:
    def render_capacity(details: Mapping[str, Any], speaker: Speaker) -> str:
        return speaker.say(
            template,
            {
                "count": details["assigned"],
                "shift": _own_shift(details, speaker),
                "limit": details["limit"],
            },
        )

    return render_capacity


def _weekly_hours(details: Mapping[str, Any], speaker: Speaker) -> str:
    return speaker.say(
        "weekly_hours",
        {
            "artist": speaker.artist(details.get("artist_id")),
            "total": hours(details["hours"]),
            "week": day_label(details["week_start"], speaker.gettext),
            "limit": hours(details["max_hours"]),
        },
    )


def _daily_hours(details: Mapping[str, Any], speaker: Speaker) -> str:
    return speaker.say(
        "daily_hours",
        {
            "artist": speaker.artist(details.get("artist_id")),
            "total": hours(details["hours"]),
            "period": speaker.when(details["duty_start"], details["duty_end"]),
            "limit": hours(details["max_hours"]),
        },
    )


def _outside(details: Mapping[str, Any], speaker: Speaker) -> str:
    return speaker.say(
        "outside_availability",
        {"artist": speaker.artist(details.get("artist_id")), "shift": _own_shift(details, speaker)},
    )


def _missing_break(details: Mapping[str, Any], speaker: Speaker) -> str:
    template = "missing_break" if details["break_minutes"] else "missing_break_none"
    return speaker.say(
        template,
        {
            "length": hours(details["shift_hours"]),
            "shift": _own_shift(details, speaker),
            "break": details["break_minutes"],
            "min_break": f"{details['min_break_minutes']:g}",
            "after": hours(details["after_hours"]),
        },
    )


_RENDERERS: dict[str, Callable[[Mapping[str, Any], Speaker], str]] = {
    "double_booking": _double_booking,
    "min_rest": _min_rest,
    "absence": _absence("absence"),
    "pending_absence": _absence("pending_absence"),
    "missing_skill": _missing_skill,
    "capacity_hard": _capacity("capacity_hard"),
    "capacity_soft": _capacity("capacity_soft"),
    "weekly_hours": _weekly_hours,
    "daily_hours": _daily_hours,
    "outside_availability": _outside,
    "missing_break": _missing_break,
}
