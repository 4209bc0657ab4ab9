"""``manage.py autoassign_solve``: see ``apps.planning.autoassign.commands.solve``."""

from apps.planning.autoassign.commands.solve import Command

__all__ = ["Command"]
