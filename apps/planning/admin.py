"""Planning admin: each feature registers its own (imported here so the admin finds them)."""

from apps.planning.catalog import admin as catalog_admin  # noqa: F401
from apps.planning.schedule import admin as schedule_admin  # noqa: F401
