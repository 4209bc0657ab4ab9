"""Auto-assign engine: pure Python over plain dataclasses, no Django.

The Celery job and the management commands use only these names::

    problem = parse_problem(data)              # raises ProblemFormatError
    solution = solve(problem, time_limit=10, seed=0, progress=callback)
    document = solution_to_dict(solution)      # the solution JSON, in the version read
    line = statistics(problem, solution, seconds)
"""

from .generator import generate
from .problem import Problem, ProblemFormatError, parse_problem
from .reference import reference_solve
from .solution import Solution, Unfilled, solution_to_dict, statistics
from .solver import greedy_solve, solve
from .validate import violations

__all__ = [
    "Problem",
    "ProblemFormatError",
    "Solution",
    "Unfilled",
    "generate",
    "greedy_solve",
    "parse_problem",
    "reference_solve",
    "solution_to_dict",
    "solve",
    "statistics",
    "violations",
]
