"""Demo crew for ``seed_demo``."""

from apps.orgs.demo import DemoContext


def seed_crew(context: DemoContext) -> None:
    """Filled in by the crew feature."""
