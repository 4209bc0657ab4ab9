"""Every API answer is rendered by ``orjson`` and reads exactly as DRF's ``JSONRenderer``
renders it; a cached list is sent as it was rendered when computed."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from uuid import UUID

import pytest
from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

from apps.core.renderers import FastJSONRenderer, Rendered, render_json
from tests.conftest import Scenario
from tests.factories import ProjectFactory

PARIS_WINTER = timezone(timedelta(hours=1))
SAMPLES = {
    "nested": {"a": [1, 2.5, None, True, False], "b": {"c": "d"}},
    "an instant in UTC with microseconds": datetime(2025, 3, 14, 17, 0, 5, 123456, tzinfo=UTC),
    "an instant with an offset": datetime(2025, 3, 14, 18, 0, tzinfo=PARIS_WINTER),
    "a day and an hour": [date(2025, 3, 30), time(2, 30, 15, 250000)],
    "a decimal": Decimal("12.50"),
    "a uuid": UUID("0c6d9c1e-7a25-4e0e-9d55-4f5a3c0d9b01"),
    "a lazy translation": gettext_lazy("Bad request."),
    "accents and line separators": "Chloé\u2028Théo\u2029Zoë",
    "a serializer's dict": ReturnDict({"id": 1, "name": "Éclairage"}, serializer=None),
    "a serializer's list": ReturnList([{"id": 1}], serializer=None),
    "integer keys": {1: "one", 2: "two"},
    "a float": [0.1, 1e16, -0.0],
}


@pytest.mark.parametrize("data", SAMPLES.values(), ids=SAMPLES.keys())
def test_an_answer_reads_byte_for_byte_as_drf_renders_it(data: object) -> None:
    assert render_json(data) == JSONRenderer().render(data)
    assert FastJSONRenderer().render(data) == JSONRenderer().render(data)


def test_an_integer_beyond_64_bits_is_rendered_by_drf_instead() -> None:
    assert render_json({"big": 2**70}) == b'{"big":1180591620717411303424}'


def test_an_indented_answer_and_an_indented_cached_one_read_as_drf_indents() -> None:
    data = {"count": 1, "results": [{"name": "Zoë"}]}
    indented = JSONRenderer().render(data, "application/json; indent=2")

    assert FastJSONRenderer().render(data, "application/json; indent=2") == indented
    cached = Rendered(render_json(data))
    assert FastJSONRenderer().render(cached, "application/json; indent=2") == indented
    assert FastJSONRenderer().render(cached, "application/json") == render_json(data)


def test_a_cached_list_is_sent_as_it_was_rendered(scenario: Scenario) -> None:
    ProjectFactory(organization=scenario.organization, name="Nuits Sonores — Éclairage")
    client = scenario.client("tech")

    first = client.get("/api/v1/projects")
    again = client.get("/api/v1/projects")
    indented = client.get("/api/v1/projects", HTTP_ACCEPT="application/json; indent=4")

    assert (first["X-Cache"], again["X-Cache"], indented["X-Cache"]) == ("MISS", "HIT", "HIT")
    assert again.content == first.content
    assert again["Content-Type"] == "application/json"
    assert json.loads(indented.content) == json.loads(first.content)
    assert indented.content.startswith(b'{\n    "count": 1')
    assert first.json()["results"][0]["name"] == "Nuits Sonores — Éclairage"


def test_another_organizations_cached_list_is_never_sent(scenario: Scenario) -> None:
    project = ProjectFactory(organization=scenario.organization, name="Nuits Sonores")
    assert scenario.client("tech").get("/api/v1/projects")["X-Cache"] == "MISS"

    outsider = scenario.client("outsider")
    theirs = outsider.get("/api/v1/projects")
    assert theirs["X-Cache"] == "MISS"  # their own key, not the cached body of ours
    assert theirs.json()["count"] == 0
    assert outsider.get(f"/api/v1/projects/{project.pk}").status_code == 404
