"""``/api/v1/planning/``: the rule catalog (``rules``) and conflict lists (``conflicts``)."""
