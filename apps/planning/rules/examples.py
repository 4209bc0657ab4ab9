"""OpenAPI examples of conflicts: a duty period too long, and the same conflict waived."""

from __future__ import annotations

from typing import Any

ARTIST_ID = "2f6e8a1c-9b3d-4e5f-8a7b-6c5d4e3f2a10"
GET_IN_SHIFT_ID = "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d05"
SHOW_SHIFT_ID = "5b0c3f9e-1d7a-4c51-9a55-1f0b8f2a7c10"
GET_IN_ASSIGNMENT_ID = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b04"
SHOW_ASSIGNMENT_ID = "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e06"

DUTY_PERIOD_CONFLICT: dict[str, Any] = {
    "type": "hard",
    "rule": "min_rest",
    "message": (
        "Camille Durand : amplitude de 15 h 30 (ven. 14 mars 08:00–14:00 (Rigger, "
        "Transbordeur), ven. 14 mars 18:00–23:30 (Régie, Transbordeur)), au-delà des 13 h "
        "qui laissent 11 h de repos quotidien."
    ),
    "details": {
        "artist_id": ARTIST_ID,
        "assignment_id": SHOW_ASSIGNMENT_ID,
        "shift_id": SHOW_SHIFT_ID,
        "duty_start": "2025-03-14T07:00:00+00:00",
        "duty_end": "2025-03-14T22:30:00+00:00",
        "span_minutes": 930,
        "max_span_minutes": 780,
        "min_rest_minutes": 660,
        "min_rest_hours": 11,
        "assignment_ids": [GET_IN_ASSIGNMENT_ID, SHOW_ASSIGNMENT_ID],
        "shift_ids": [GET_IN_SHIFT_ID, SHOW_SHIFT_ID],
        "shifts": [
            {
                "assignment_id": GET_IN_ASSIGNMENT_ID,
                "shift_id": GET_IN_SHIFT_ID,
                "start_at": "2025-03-14T07:00:00+00:00",
                "end_at": "2025-03-14T13:00:00+00:00",
            },
            {
                "assignment_id": SHOW_ASSIGNMENT_ID,
                "shift_id": SHOW_SHIFT_ID,
                "start_at": "2025-03-14T17:00:00+00:00",
                "end_at": "2025-03-14T22:30:00+00:00",
            },
        ],
    },
}
WAIVED_CONFLICT: dict[str, Any] = {
    **DUTY_PERIOD_CONFLICT,
    "waived": {
        "id": "e4f5a6b7-c8d9-4e0f-9a1b-2c3d4e5f6a07",
        "by": "admin@example.com",
        "at": "2025-03-10T09:12:00Z",
        "reason": "Tournée : repos compensateur le samedi, accord du salarié.",
    },
}
