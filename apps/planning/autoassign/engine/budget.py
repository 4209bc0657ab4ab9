"""How long the engine may work, counted so that a run can be replayed exactly."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Budget:
    """Deterministic-time budget (CP-SAT work units) with a wall-clock safety deadline.

    Work is counted in CP-SAT's deterministic time plus a fixed charge per neighbourhood
    for the Python side, so the same seed and budget replay the same search on any
    machine; the wall-clock deadline only guards against a machine far slower than the
    one the budget was calibrated on (it is the one thing that can break determinism).
    """

    deterministic: float
    deadline: float
    clock: Callable[[], float]
    spent: float = 0.0
    deadline_hit: bool = False

    def left(self) -> float:
        return self.deterministic - self.spent

    def exhausted(self) -> bool:
        if self.clock() >= self.deadline:
            self.deadline_hit = True
        return self.deadline_hit or self.spent >= self.deterministic
