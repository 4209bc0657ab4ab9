"""``/api/v1/planning/``: shifts, assignments (``views``) and the timeline (``timeline``)."""
