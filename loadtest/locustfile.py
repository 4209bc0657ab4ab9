"""The load test's users: a planning team working on the large demo (``make loadtest``).

A closed loop (no think time): each user sends its next request as soon as the last one
is answered, with the mix of issue 15 — 70 % reads (a week's timeline 20, the shift list
20, the artists 15, a week's conflicts 15) and 30 % writes (create a shift, assign an
artist, change a shift's status: 10 each).

What the users need (a token, the weeks, shifts to copy, seats and artists) is read once
by the driver (``loadtest/run.py``) and handed over in ``LOADTEST_FIXTURE`` (a JSON file),
so no user logs in (logins are throttled) and setup requests are not measured.

A 409 answer to an assignment (a hard rule: the artist is booked elsewhere, absent, or the
shift is full) is the API refusing correctly, not an error: it is counted under its own
name (``assign (409 refused)``). Any other non-2xx answer is an error.
"""

from __future__ import annotations

import json
import os
import random
from collections import deque
from typing import Any

from locust import constant, task
from locust.contrib.fasthttp import FastHttpUser

API = "/api/v1"


def load_fixture() -> dict[str, Any]:
    with open(os.environ["LOADTEST_FIXTURE"], encoding="utf-8") as handle:
        return json.load(handle)


FIXTURE: dict[str, Any] = {}


class Planner(FastHttpUser):
    """A manager on the board: reads weeks, creates shifts, staffs and publishes them."""

    wait_time = constant(0)

    def on_start(self) -> None:
        if not FIXTURE:
            FIXTURE.update(load_fixture())
        self.headers = {"Authorization": f"Bearer {FIXTURE['token']}"}
        self.drafts: deque[str] = deque(maxlen=50)
        self.open: deque[dict[str, Any]] = deque(maxlen=50)
        for _ in range(3):  # something to publish and staff from the first write on
            self._create_shift("setup (create shift)")

    def _week(self) -> dict[str, str]:
        start, end = random.choice(FIXTURE["weeks"])
        return {"from": start, "to": end}

    # --- reads (70 %) ---------------------------------------------------------------

    @task(20)
    def timeline(self) -> None:
        self.client.get(
            f"{API}/planning/timeline", params=self._week(), headers=self.headers, name="timeline"
        )

    @task(20)
    def shift_list(self) -> None:
        self.client.get(
            f"{API}/planning/shifts", params=self._week(), headers=self.headers, name="shifts"
        )

    @task(15)
    def artists(self) -> None:
        self.client.get(f"{API}/artists", headers=self.headers, name="artists")

    @task(15)
    def conflicts(self) -> None:
        self.client.get(
            f"{API}/planning/conflicts", params=self._week(), headers=self.headers, name="conflicts"
        )

    # --- writes (30 %) --------------------------------------------------------------

    @task(10)
    def create_shift(self) -> None:
        self._create_shift("create shift")

    def _create_shift(self, name: str) -> None:
        model = random.choice(FIXTURE["shifts"])
        body = {
            "mission_id": model["mission_id"],
            "role_id": model["role_id"],
            "start_at": model["start_at"],
            "end_at": model["end_at"],
            "headcount": 2,
            "max_headcount": 2,
            "notes": "load test",
        }
        with self.client.post(
            f"{API}/planning/shifts",
            json=body,
            headers=self.headers,
            name=name,
            catch_response=True,
        ) as response:
            if response.status_code != 201:
                response.failure(f"{response.status_code}: {response.text[:200]}")
                return
            shift_id = response.json()["shift"]["id"]
            self.drafts.append(shift_id)
            for _ in range(2):
                self.open.append({**model, "id": shift_id})

    @task(10)
    def assign(self) -> None:
        seat = self.open.popleft() if self.open else random.choice(FIXTURE["seats"])
        busy = set(FIXTURE["busy"].get(seat["day"], []))
        skilled = FIXTURE["pools"].get(seat["role_id"], [])
        pool = [artist for artist in skilled if artist not in busy] or FIXTURE["artists"]
        body = {"shift_id": seat["id"], "artist_id": random.choice(pool)}
        with self.client.post(
            f"{API}/planning/assignments",
            json=body,
            headers=self.headers,
            name="assign",
            catch_response=True,
        ) as response:
            if response.status_code == 409:
                response.request_meta["name"] = "assign (409 refused)"
                response.success()
            elif response.status_code != 201:
                response.failure(f"{response.status_code}: {response.text[:200]}")

    @task(10)
    def change_status(self) -> None:
        if not self.drafts:
            self.create_shift()
            return
        shift_id = self.drafts.popleft()
        with self.client.post(
            f"{API}/planning/shifts/{shift_id}/status",
            json={"status": "published"},
            headers=self.headers,
            name="change status",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}: {response.text[:200]}")
