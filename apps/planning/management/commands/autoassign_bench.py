"""``manage.py autoassign_bench``: see ``apps.planning.autoassign.commands.bench``."""

from apps.planning.autoassign.commands.bench import Command

__all__ = ["Command"]
