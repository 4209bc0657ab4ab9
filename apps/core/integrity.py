"""Turn database constraint violations into typed application errors.

The service checks first (for a clean message); the constraint is the guarantee when two
requests race. The violation is recognised by the constraint's name from the driver's
diagnostics, never by reading the message text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import IntegrityError, transaction

from apps.core.errors import ApplicationError


def violated_constraint(exc: IntegrityError) -> str | None:
    """Name of the constraint that ``exc`` violated, as PostgreSQL reports it."""
    diag = getattr(exc.__cause__, "diag", None)
    name = getattr(diag, "constraint_name", None)
    return str(name) if name else None


@contextmanager
def constraint_errors(errors: dict[str, Callable[[], ApplicationError]]) -> Iterator[None]:
    """Run the block in a savepoint; re-raise a known constraint violation as its error.

    An unknown violation is re-raised as it is: it is a bug, not bad input.
    """
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        factory = errors.get(violated_constraint(exc) or "")
        if factory is None:
            raise
        raise factory() from exc
