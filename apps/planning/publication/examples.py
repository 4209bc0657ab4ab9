"""OpenAPI examples of the publication area, kept apart so the views stay readable."""

from __future__ import annotations

from typing import Any

INVITATION_ID = "6f1e2d3c-4b5a-4968-8776-5a4b3c2d1e0f"
ASSIGNMENT_ID = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b04"
PROJECT_ID = "a3f1c2d4-5b6e-4f70-8a91-b2c3d4e5f601"

INVITATION: dict[str, Any] = {
    "id": INVITATION_ID,
    "status": "pending",
    "assignment": {
        "id": ASSIGNMENT_ID,
        "status": "invited",
        "shift_id": "5b0c3f9e-1d7a-4c51-9a55-1f0b8f2a7c10",
        "artist_id": "2f3e4d5c-6b7a-4981-8c7d-6e5f4a3b2c05",
        "artist_name": "Léa Martin",
        "start_at": "2026-07-14T16:00:00Z",
        "end_at": "2026-07-14T23:00:00Z",
    },
    "expires_at": "2026-06-08T09:05:00Z",
    "sent_at": "2026-06-01T09:05:02Z",
    "answered_at": None,
    "created_at": "2026-06-01T09:05:00Z",
    "created_by": "3e4f5a6b-7c8d-4e9f-8a0b-1c2d3e4f5a06",
}

VERSION: dict[str, Any] = {
    "id": "0e1d2c3b-4a59-4867-8756-4a3b2c1d0e9f",
    "number": 3,
    "scope": {
        "project_id": PROJECT_ID,
        "from": None,
        "to": None,
        "venue_id": None,
        "period_start": "2026-07-14T16:00:00Z",
        "period_end": "2026-07-16T01:00:00Z",
    },
    "scope_key": f"project={PROJECT_ID}",
    "published_by": "3e4f5a6b-7c8d-4e9f-8a0b-1c2d3e4f5a06",
    "published_at": "2026-06-02T10:00:00Z",
    "summary": {
        "shifts": 12,
        "assignments": 30,
        "shifts_published": 2,
        "shifts_added": 2,
        "shifts_removed": 0,
        "shifts_changed": 1,
        "assignments_added": 4,
        "assignments_removed": 1,
        "assignments_changed": 2,
        "artists_changed": 5,
        "artists_notified": 5,
    },
}

DIFF: dict[str, Any] = {
    "shifts": {
        "added": [],
        "removed": [],
        "changed": [
            {
                "id": "5b0c3f9e-1d7a-4c51-9a55-1f0b8f2a7c10",
                "changes": {
                    "start_at": {"old": "2026-07-14T16:00:00Z", "new": "2026-07-14T15:00:00Z"}
                },
            }
        ],
    },
    "assignments": {"added": [], "removed": [], "changed": []},
}

# The same change as ``DIFF``, as the preview's ``changes`` reads it (Europe/Paris).
CHANGES: list[dict[str, Any]] = [
    {
        "kind": "changed",
        "subject": "shift",
        "shift_id": "5b0c3f9e-1d7a-4c51-9a55-1f0b8f2a7c10",
        "assignment_id": None,
        "day": "2026-07-14",
        "people": [{"id": "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e03", "name": "Camille Durand"}],
        "before": {
            "start_at": "2026-07-14T16:00:00Z",
            "end_at": "2026-07-14T21:30:00Z",
            "start_local": "2026-07-14T18:00",
            "end_local": "2026-07-14T23:30",
            "venue_name": "Transbordeur",
            "role_name": "Machiniste",
            "mission_name": "Concert du 14 juillet",
            "status": "published",
        },
        "after": {
            "start_at": "2026-07-14T15:00:00Z",
            "end_at": "2026-07-14T21:30:00Z",
            "start_local": "2026-07-14T17:00",
            "end_local": "2026-07-14T23:30",
            "venue_name": "Transbordeur",
            "role_name": "Machiniste",
            "mission_name": "Concert du 14 juillet",
            "status": "published",
        },
        "changed_fields": ["start_at"],
    }
]

CALL_SHEET: dict[str, Any] = {
    "day": "2026-07-14",
    "timezone": "Europe/Paris",
    "contacts_shown": True,
    "venues": [
        {
            "id": "7d8e9f0a-1b2c-4d3e-8f4a-5b6c7d8e9f02",
            "name": "Transbordeur",
            "address": "3 bd de Stalingrad, Villeurbanne",
            "rows": [
                {
                    "shift_id": "5b0c3f9e-1d7a-4c51-9a55-1f0b8f2a7c10",
                    "call_time": "17:00",
                    "end_time": "23:30",
                    "role_name": "Machiniste",
                    "mission_name": "Concert du 14 juillet",
                    "shift_status": "published",
                    "artist_id": "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e03",
                    "name": "Camille Durand",
                    "status": "accepted",
                    "phone": "+33 6 12 34 56 78",
                },
                {
                    "shift_id": "5b0c3f9e-1d7a-4c51-9a55-1f0b8f2a7c10",
                    "call_time": "17:00",
                    "end_time": "23:30",
                    "role_name": "Machiniste",
                    "mission_name": "Concert du 14 juillet",
                    "shift_status": "published",
                    "artist_id": None,
                    "name": "",
                    "status": None,
                    "phone": None,
                },
            ],
        }
    ],
}

HOURS: dict[str, Any] = {
    "artist": "2f3e4d5c-6b7a-4981-8c7d-6e5f4a3b2c05",
    "from": "2026-03-23",
    "to": "2026-03-29",
    "timezone": "Europe/Paris",
    "weeks": [{"week": "2026-W13", "week_start": "2026-03-23", "hours": 17.5, "shifts": 2}],
    "total_hours": 17.5,
    "shifts": 2,
    "intermittent_threshold": {
        "hours_12_months": 412.0,
        "window_start": "2025-03-29T23:00:00Z",
        "window_end": "2026-03-29T22:00:00Z",
        "threshold": 507,
        "reached": False,
    },
}

COST: dict[str, Any] = {
    "project": PROJECT_ID,
    "currency": "EUR",
    "total": "750.00",
    "totals": [{"currency": "EUR", "amount": "750.00"}],
    "by_role": [
        {
            "role": "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c03",
            "role_name": "Lights",
            "currency": "EUR",
            "assignments": 3,
            "hours": 24.0,
            "amount": "750.00",
        }
    ],
    "by_artist": [
        {
            "artist": "2f3e4d5c-6b7a-4981-8c7d-6e5f4a3b2c05",
            "artist_name": "Léa Martin",
            "currency": "EUR",
            "assignments": 3,
            "hours": 24.0,
            "amount": "750.00",
        }
    ],
    "assignments": 3,
    "unpriced_assignments": 0,
    "unstaffed": [
        {
            "role": "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c03",
            "role_name": "Lights",
            "missing_slots": 1,
            "currency": "EUR",
            "estimate": "250.00",
        }
    ],
    "unstaffed_total": "250.00",
    "estimated_total": "1000.00",
}

CSV = (
    "date,start,end,project,mission,venue,role,artist,status,shift_status\r\n"
    "2026-07-14,18:00,23:00,Summer tour,Lyon,Halle Tony Garnier,Lights,"
    "Léa Martin,accepted,published\r\n"
)

ICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//CrewPlan//Published schedule//EN\r\n…"
