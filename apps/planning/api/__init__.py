"""Planning HTTP API, one module per area (views + serializers)."""
