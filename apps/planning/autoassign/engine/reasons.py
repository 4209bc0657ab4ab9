"""Why a shift was left short, in the words a planner reads first.

Every artist who has the shift's skills is classified by the first rule that keeps them
off it in the final schedule: absent, already on this shift, double-booked on an
overlapping shift, too little rest next to another shift (version 1) or a duty period
that would run too long or hold too much work (version 2), or the weekly cap. Locked pairs
count like any other assignment here.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from .duty import describe_hours, period_with
from .intervals import conflicts
from .prepare import Pair, Prepared
from .problem import Artist, Shift
from .solution import Unfilled

ORDER = (
    "absent",
    "already",
    "overlap",
    "min_rest",
    "duty_span",
    "duty_work",
    "week_cap",
    "free",
)
PHRASES = {
    "absent": "{n} absent",
    "already": "{n} already on this shift",
    "overlap": "{n} double-booked on an overlapping shift",
    "min_rest": "{n} blocked by min_rest",
    "duty_span": "{n} would work a duty period over {span}",
    "duty_work": "{n} would work over {work} in one duty period",
    "week_cap": "{n} blocked by the week cap",
    "free": "{n} free but not assigned",
}


def unfilled_shifts(prepared: Prepared, pairs: set[Pair]) -> list[Unfilled]:
    """Unfilled entries, in problem order, for every shift with fewer artists than needed."""
    problem = prepared.problem
    all_pairs = pairs | set(prepared.locked)
    own: dict[int, list[int]] = defaultdict(list)
    count = Counter(shift for shift, _ in all_pairs)
    week_seconds: Counter[tuple[int, int]] = Counter()
    for shift_index, artist_index in all_pairs:
        own[artist_index].append(shift_index)
        week = prepared.week[shift_index]
        week_seconds[(artist_index, week)] += problem.shifts[shift_index].window.seconds
    result: list[Unfilled] = []
    for position, shift in enumerate(problem.shifts):
        missing = shift.headcount - count[position]
        if missing <= 0:
            continue
        blocks = Counter(
            _block(prepared, position, artist, own[artist], week_seconds)
            for artist, data in enumerate(problem.artists)
            if shift.skills <= data.skills
        )
        result.append(Unfilled(shift.id, missing, [describe(shift, blocks, prepared)]))
    return result


def describe(shift: Shift, blocks: Counter[str], prepared: Prepared | None = None) -> str:
    """One sentence from the count of qualified artists per blocking rule."""
    skills = "+".join(sorted(shift.skills)) or "no particular skill"
    total = sum(blocks.values())
    if total == 0:
        return f"no artist has the skills {skills}"
    if blocks["already"] == total:
        return f"all {total} qualified artists are already assigned to this shift"
    parts = sorted(
        (key for key in ORDER if blocks[key] > 0), key=lambda key: (-blocks[key], ORDER.index(key))
    )
    duty = prepared.duty if prepared is not None else None
    limits = {
        "span": describe_hours(duty.span) if duty else "",
        "work": describe_hours(duty.work or 0) if duty else "",
    }
    listed = ", ".join(PHRASES[key].format(n=blocks[key], **limits) for key in parts)
    return f"no free artist with skills {skills}: {listed}"


def _block(
    prepared: Prepared,
    shift: int,
    artist: int,
    own: list[int],
    week_seconds: Counter[tuple[int, int]],
) -> str:
    shifts = prepared.problem.shifts
    data: Artist = prepared.problem.artists[artist]
    target = shifts[shift]
    if data.is_absent_during(target.window):
        return "absent"
    if shift in own:
        return "already"
    if any(shifts[other].window.overlaps(target.window) for other in own):
        return "overlap"
    duty = prepared.duty
    if duty is not None:
        ordered = sorted((shifts[other].window for other in own), key=lambda w: w.start)
        breach = duty.breach(period_with(ordered, target.window, duty.rest))
        if breach is not None:
            return breach
    elif any(conflicts(shifts[other].window, target.window, prepared.rest) for other in own):
        return "min_rest"
    cap = prepared.week_cap
    if cap is not None and week_seconds[(artist, target.week)] + target.window.seconds > cap:
        return "week_cap"
    return "free"
