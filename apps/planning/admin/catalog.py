"""Admin for projects, venues, roles, missions and shift templates."""
