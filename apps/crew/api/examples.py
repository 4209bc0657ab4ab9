"""OpenAPI examples of the crew endpoints, kept out of the views so those stay readable."""

from __future__ import annotations

from apps.core.examples import request_example, response_example

SKILL_ID = "3f0c6a52-8d3e-4b7e-9a51-0c4f7f1e2a10"
SKILL_ID_2 = "7b2d9e14-1c5a-4f3b-8e67-2a9d0b6c4e21"
TAG_ID = "c41e8b27-5f6d-4a19-b3c2-8e7f1d0a9b32"
ARTIST_ID = "9a8b7c6d-5e4f-4321-8765-0fedcba98765"
USER_ID = "1d2e3f40-5a6b-4c7d-8e9f-a0b1c2d3e4f5"
AVAILABILITY_ID = "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9"
STAMP = "2026-05-04T09:12:00Z"

SKILL = {
    "id": SKILL_ID,
    "name": "rigging",
    "description": "Work at height, hoists, truss.",
    "created_at": STAMP,
    "updated_at": STAMP,
}
TAG = {
    "id": TAG_ID,
    "name": "permis C",
    "color": "#1f77b4",
    "created_at": STAMP,
    "updated_at": STAMP,
}
ARTIST = {
    "id": ARTIST_ID,
    "first_name": "Camille",
    "last_name": "Lefèvre",
    "full_name": "Camille Lefèvre",
    "email": "camille.lefevre@example.com",
    "phone": "+33 6 12 34 56 78",
    "employment_type": "intermittent",
    "skills": [{"id": SKILL_ID, "name": "rigging"}, {"id": SKILL_ID_2, "name": "lighting"}],
    "primary_skill": {"id": SKILL_ID, "name": "rigging"},
    "tags": [{"id": TAG_ID, "name": "permis C"}],
    "notes": "Prefers festivals in the south.",
    "is_active": True,
    "user_id": USER_ID,
    "day_rate": "320.00",
    "half_day_rate": "190.00",
    "hourly_rate": "40.00",
    "currency": "EUR",
    "created_at": STAMP,
    "updated_at": STAMP,
}
RATES = {
    "artist_id": ARTIST_ID,
    "day_rate": "320.00",
    "half_day_rate": "190.00",
    "hourly_rate": "40.00",
    "currency": "EUR",
}
ABSENCE = {
    "id": AVAILABILITY_ID,
    "artist": {"id": ARTIST_ID, "full_name": "Camille Lefèvre"},
    "start_at": "2026-07-14T00:00:00Z",
    "end_at": "2026-07-21T00:00:00Z",
    "kind": "unavailable",
    "status": "pending",
    "reason": "leave",
    "note": "Family holiday.",
    "requested_by": USER_ID,
    "decided_by": None,
    "decided_at": None,
    "created_at": STAMP,
    "updated_at": STAMP,
}
APPROVED_ABSENCE = {
    **ABSENCE,
    "status": "approved",
    "decided_by": "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
    "decided_at": STAMP,
}


SKILL_CREATE = [
    request_example(
        "New skill", {"name": "rigging", "description": "Work at height, hoists, truss."}
    ),
    response_example("Created", SKILL, 201),
]
SKILL_UPDATE = [
    request_example("Describe", {"description": "Work at height, hoists, truss."}),
    response_example("Updated", SKILL),
]
TAG_CREATE = [
    request_example("New tag", {"name": "permis C", "color": "#1f77b4"}),
    response_example("Created", TAG, 201),
]
TAG_UPDATE = [request_example("Recolour", {"color": "#1f77b4"}), response_example("Updated", TAG)]
ARTIST_CREATE = [
    request_example(
        "New rigger",
        {
            "first_name": "Camille",
            "last_name": "Lefèvre",
            "email": "camille.lefevre@example.com",
            "phone": "+33 6 12 34 56 78",
            "employment_type": "intermittent",
            "skill_ids": [SKILL_ID, SKILL_ID_2],
            "primary_skill_id": SKILL_ID,
            "tag_ids": [TAG_ID],
            "notes": "Prefers festivals in the south.",
            "user_id": USER_ID,
        },
    ),
    response_example("Created", ARTIST, 201),
]
ARTIST_UPDATE = [
    request_example("Deactivate", {"is_active": False}),
    response_example("Updated", {**ARTIST, "is_active": False}),
]
RATES_READ = [response_example("Rate profile", RATES)]
RATES_UPDATE = [
    request_example(
        "Set rates", {key: value for key, value in RATES.items() if key != "artist_id"}
    ),
    response_example("Updated", RATES),
]
AVAILABILITY_CREATE = [
    request_example(
        "Request a leave",
        {
            "artist_id": ARTIST_ID,
            "start_at": "2026-07-14T02:00:00+02:00",
            "end_at": "2026-07-21T02:00:00+02:00",
            "kind": "unavailable",
            "reason": "leave",
            "note": "Family holiday.",
        },
    ),
    request_example(
        "Declare a window",
        {
            "artist_id": ARTIST_ID,
            "start_at": "2026-08-01T08:00:00+02:00",
            "end_at": "2026-08-15T23:00:00+02:00",
            "kind": "available",
        },
    ),
    response_example("Created (by a crew member: pending)", ABSENCE, 201),
]
AVAILABILITY_UPDATE = [
    request_example("Move the end", {"end_at": "2026-07-22T02:00:00+02:00"}),
    response_example("Updated", {**ABSENCE, "end_at": "2026-07-22T00:00:00Z"}),
]
APPROVE = [
    request_example("Approve", {"comment": "Enjoy!"}),
    response_example("Approved", APPROVED_ABSENCE),
]
REJECT = [
    request_example("Reject", {"comment": "Load-in week: please pick other dates."}),
    response_example(
        "Rejected",
        {**APPROVED_ABSENCE, "status": "rejected"},
    ),
]
