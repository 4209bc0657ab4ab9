"""Absences, pending absences and declared availability: bisect over sorted windows.

An artist's windows are indexed once per check (sorted starts and a running maximum of
ends), then each assignment costs O(log w): overlap asks "does any window starting
before the shift ends finish after it starts?", which the running maximum answers
without scanning.

Declared ``available`` windows that overlap or touch are merged first, so a shift that
spans two back-to-back windows (08:00–20:00 and 20:00–08:00) is inside the artist's
availability. An artist who never declared a window is never "outside" it.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from datetime import datetime, tzinfo

from apps.planning.rules.catalog import enabled
from apps.planning.rules.facts import ArtistFact, AssignmentFact, Conflict, RuleConfig, Window


class OverlapIndex:
    """Windows sorted by start, answering "which window overlaps [start, end)?"."""

    __slots__ = ("max_ends", "starts", "windows")

    def __init__(self, windows: Sequence[Window]) -> None:
        self.windows = sorted(windows, key=lambda window: (window.start_at, window.end_at))
        self.starts = [window.start_at for window in self.windows]
        self.max_ends: list[datetime] = []
        for window in self.windows:
            last = self.max_ends[-1] if self.max_ends else window.end_at
            self.max_ends.append(max(last, window.end_at))

    def first_overlap(self, start: datetime, end: datetime) -> Window | None:
        position = bisect_left(self.starts, end)
        if position == 0 or self.max_ends[position - 1] <= start:
            return None
        for index in range(position - 1, -1, -1):
            if self.windows[index].end_at > start:
                return self.windows[index]
        return None  # pragma: no cover - the running maximum guarantees a hit


class CoverIndex:
    """Merged, disjoint windows answering "is [start, end) inside one of them?"."""

    __slots__ = ("ends", "starts")

    def __init__(self, windows: Sequence[Window]) -> None:
        self.starts: list[datetime] = []
        self.ends: list[datetime] = []
        for window in sorted(windows, key=lambda window: window.start_at):
            if self.ends and window.start_at <= self.ends[-1]:
                self.ends[-1] = max(self.ends[-1], window.end_at)
            else:
                self.starts.append(window.start_at)
                self.ends.append(window.end_at)

    def covers(self, start: datetime, end: datetime) -> bool:
        position = bisect_right(self.starts, start) - 1
        return position >= 0 and self.ends[position] >= end


def window_conflicts(
    assignments: Sequence[AssignmentFact],
    artist: ArtistFact,
    rules: Mapping[str, RuleConfig],
    zone: tzinfo,
) -> list[Conflict]:
    """Absence, pending absence and outside-availability conflicts of one artist."""
    found: list[Conflict] = []
    absence, pending = enabled(rules, "absence"), enabled(rules, "pending_absence")
    outside = enabled(rules, "outside_availability")
    if absence is not None and artist.absences:
        index = OverlapIndex(artist.absences)
        for assignment in assignments:
            window = index.first_overlap(assignment.start_at, assignment.end_at)
            if window is not None:
                found.append(_absence(absence, assignment, window))
    if pending is not None and artist.pending_absences:
        index = OverlapIndex(artist.pending_absences)
        for assignment in assignments:
            window = index.first_overlap(assignment.start_at, assignment.end_at)
            if window is not None:
                found.append(_absence(pending, assignment, window))
    if outside is not None and artist.declares_windows:
        cover = CoverIndex(artist.available_windows)
        for assignment in assignments:
            if not cover.covers(assignment.start_at, assignment.end_at):
                found.append(_outside(outside, assignment))
    return found


def _details(assignment: AssignmentFact) -> dict[str, object]:
    return {
        "artist_id": assignment.artist_id,
        "assignment_id": assignment.key,
        "shift_id": assignment.shift_key,
        "start_at": assignment.start_at,
        "end_at": assignment.end_at,
    }


def _absence(config: RuleConfig, assignment: AssignmentFact, window: Window) -> Conflict:
    details = {
        **_details(assignment),
        "availability_id": window.id,
        "window_start": window.start_at,
        "window_end": window.end_at,
    }
    return Conflict.of_assignment(config, assignment, details)


def _outside(config: RuleConfig, assignment: AssignmentFact) -> Conflict:
    return Conflict.of_assignment(config, assignment, _details(assignment))
