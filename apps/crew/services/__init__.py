"""Writes of the crew app, one module per area; every write is audited in its transaction."""
