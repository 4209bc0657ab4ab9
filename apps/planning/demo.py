"""Demo planning for ``seed_demo``."""

from apps.orgs.demo import DemoContext


def seed_planning(context: DemoContext) -> None:
    """Filled in by the planning feature."""
