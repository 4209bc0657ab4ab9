"""``manage.py autoassign``: see ``apps.planning.autoassign.commands.run``."""

from apps.planning.autoassign.commands.run import Command

__all__ = ["Command"]
