"""Admin for shifts and assignments."""
