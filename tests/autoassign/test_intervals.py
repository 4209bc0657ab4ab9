"""Maximal cliques of rest-extended intervals are exactly the sets of mutually exclusive shifts."""

from __future__ import annotations

import itertools
import random

from apps.planning.autoassign.engine.intervals import conflicts, maximal_cliques
from apps.planning.autoassign.engine.problem import Window


def test_touching_intervals_do_not_conflict_and_rest_makes_them_conflict() -> None:
    first, second = Window(0, 10), Window(10, 20)
    assert not conflicts(first, second, 0)
    assert conflicts(first, second, 1)
    assert not conflicts(first, Window(15, 20), 5)


def test_a_chain_of_overlaps_gives_one_clique_per_overlap() -> None:
    windows = [Window(0, 10), Window(5, 15), Window(12, 20)]
    assert maximal_cliques(windows, 0) == [[0, 1], [1, 2]]


def test_maximal_cliques_cover_every_conflicting_pair_and_only_those() -> None:
    rng = random.Random(4)
    for _ in range(50):
        windows = [
            Window(s, s + rng.randint(1, 30)) for s in (rng.randint(0, 100) for _ in range(12))
        ]
        rest = rng.choice([0, 5, 20])
        cliques = maximal_cliques(windows, rest)
        together = {
            frozenset(pair) for clique in cliques for pair in itertools.combinations(clique, 2)
        }
        expected = {
            frozenset((i, j))
            for i, j in itertools.combinations(range(len(windows)), 2)
            if conflicts(windows[i], windows[j], rest)
        }
        assert together == expected
        for clique in cliques:
            assert all(
                conflicts(windows[i], windows[j], rest)
                for i, j in itertools.combinations(clique, 2)
            )
