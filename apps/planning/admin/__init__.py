"""Planning admin, one module per area (imported here so the admin discovers them)."""

from apps.planning.admin import catalog, schedule  # noqa: F401
