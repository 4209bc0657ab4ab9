"""OpenAPI examples and the documented response header of the planning catalog API."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

MISSION_ID = "0b8f7c0e-2f4a-4f0e-9b8e-0c6a1d2e3f40"
PROJECT_ID = "5d1e0f9a-7c3b-4a21-8e6d-9f0a1b2c3d4e"
VENUE_ID = "7a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
ROLE_ID = "c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f"
SKILL_ID = "e5f6a7b8-c9d0-4e1f-9a2b-3c4d5e6f7a8b"
TEMPLATE_ID = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5e"
TIMESTAMPS = {"created_at": "2026-02-01T09:00:00Z", "updated_at": "2026-02-01T09:00:00Z"}

PROJECT_EXAMPLE = {
    "id": PROJECT_ID,
    "name": "Tournée Printemps 2026",
    "client": "Astérios Spectacles",
    "status": "active",
    "start_date": "2026-03-02",
    "end_date": "2026-04-30",
    "color": "#e4572e",
    "description": "Spring tour, 24 dates.",
    "mission_count": 12,
    **TIMESTAMPS,
}
STAFFING_EXAMPLE = [{"role_id": ROLE_ID, "role_name": "Rigger", "headcount": 4}]
MISSION_EXAMPLE = {
    "id": MISSION_ID,
    "project_id": PROJECT_ID,
    "project_name": "Tournée Printemps 2026",
    "venue_id": VENUE_ID,
    "venue_name": "Olympia",
    "name": "Olympia — show day",
    "start_at": "2026-03-28T07:00:00Z",
    "end_at": "2026-03-29T03:00:00Z",
    "notes": "",
    "staffing": STAFFING_EXAMPLE,
    **TIMESTAMPS,
}
MISSION_REQUEST = {
    "project_id": PROJECT_ID,
    "venue_id": VENUE_ID,
    "name": "Olympia — show day",
    "start_at": "2026-03-28T08:00:00+01:00",
    "end_at": "2026-03-29T04:00:00+01:00",
    "staffing": [{"role_id": ROLE_ID, "headcount": 4}],
}
SHIFT_EXAMPLE = {
    "id": "9c8b7a6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
    "mission_id": MISSION_ID,
    "venue_id": VENUE_ID,
    "role_id": ROLE_ID,
    "template_id": TEMPLATE_ID,
    "start_at": "2026-03-29T00:00:00Z",
    "end_at": "2026-03-29T03:00:00Z",
    "headcount": 4,
    "max_headcount": 5,
    "break_minutes": 0,
    "status": "draft",
    "notes": "",
}
VENUE_EXAMPLE = {
    "id": VENUE_ID,
    "name": "Olympia",
    "address": "28 boulevard des Capucines",
    "city": "Paris",
    "capacity": 2000,
    "notes": "Dock on rue Caumartin.",
    **TIMESTAMPS,
}
ROLE_EXAMPLE = {
    "id": ROLE_ID,
    "name": "Rigger",
    "description": "Hangs motors and truss.",
    "color": "#3366cc",
    "required_skill_ids": [SKILL_ID],
    "required_skills": [{"id": SKILL_ID, "name": "rigging"}],
    **TIMESTAMPS,
}
TEMPLATE_EXAMPLE = {
    "id": TEMPLATE_ID,
    "name": "Load-out",
    "role_id": ROLE_ID,
    "role_name": "Rigger",
    "start_time": "23:00:00",
    "end_time": "03:00:00",
    "headcount": 4,
    "max_headcount": 5,
    "break_minutes": 0,
    "duration_minutes": 240,
    "crosses_midnight": True,
    **TIMESTAMPS,
}


CACHE_HEADER = OpenApiParameter(
    "X-Cache",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200],
    enum=["HIT", "MISS"],
    description="HIT: served from the organization's cache (TTL CACHE_TTL_SECONDS); "
    "MISS: read from the database. Any write to projects or missions makes the next read a MISS.",
)


# Applying a template on two dates: the second is already planned from it.
INSTANTIATE_PREVIEW: dict[str, Any] = {
    "shifts": [
        {
            "date": "2026-03-27",
            "start_at": "2026-03-27T17:00:00Z",
            "end_at": "2026-03-27T22:30:00Z",
            "start_local": "2026-03-27T18:00",
            "end_local": "2026-03-27T23:30",
            "problem": None,
        },
        {
            "date": "2026-03-28",
            "start_at": "2026-03-28T17:00:00Z",
            "end_at": "2026-03-28T22:30:00Z",
            "start_local": "2026-03-28T18:00",
            "end_local": "2026-03-28T23:30",
            "problem": {
                "code": "already_instantiated",
                "message": "The template already has a shift starting then.",
            },
        },
    ],
    "conflicts": [],
    "blocked": True,
}
