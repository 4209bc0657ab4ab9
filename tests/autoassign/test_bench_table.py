"""The benchmark table shows every solver side by side with the gaps and the proof."""

from __future__ import annotations

from apps.planning.autoassign.engine.bench import HEADER, SizeResult, format_rows


def _line(filled: int, seconds: float) -> dict[str, object]:
    return {
        "name": "small-0",
        "shifts": 300,
        "slots": 500,
        "filled": filled,
        "coverage": filled / 500,
        "outside_available": 3,
        "seconds": seconds,
        "valid": True,
    }


def test_the_table_compares_engine_greedy_and_reference() -> None:
    result = SizeResult(
        size="small",
        engine=_line(480, 1.5),
        engine_status="optimal",
        greedy=_line(470, 0.02),
        reference=_line(480, 3.0),
        reference_status="optimal",
        reference_bound=480,
        reference_added=470,
    )
    rows = format_rows(result)
    for column in ("slots", "filled", "coverage", "outside", "seconds", "valid"):
        assert column in HEADER
    assert rows[0].split()[:4] == ["small", "engine", "500", "480"]
    assert rows[1].split()[1] == "greedy"
    assert rows[2].split()[1] == "reference"
    assert any("+0.00% of filled slots" in row for row in rows)
    assert any("greedy below engine by +2.08%" in row for row in rows)
    assert rows[-1].endswith("small proven optimal by the engine: yes")


def test_a_reference_without_solution_is_said_so() -> None:
    result = SizeResult(
        size="large",
        engine=_line(480, 30.0),
        engine_status="feasible",
        greedy=_line(470, 1.0),
        reference=_line(0, 120.0),
        reference_status="none",
        reference_bound=None,
    )
    rows = format_rows(result)
    assert any("no assignment beyond the locked pairs" in row for row in rows)
    assert not any("engine below reference" in row for row in rows)
