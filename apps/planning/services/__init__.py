"""Planning writes, one module per area (``catalog``, ``schedule``)."""
