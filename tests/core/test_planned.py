"""A planned serializer renders what DRF renders: same keys, same order, same values.

``PlannedRepresentation`` (``apps.core.planned``) renders the shift and assignment lists
from a plan made once per serializer; each test compares it with DRF's own
``Serializer.to_representation`` on the same rows, as the API reads them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from rest_framework import serializers

from apps.core.planned import PlannedRepresentation
from apps.planning.models import Assignment, Shift
from apps.planning.schedule import selectors
from apps.planning.schedule.serializers import AssignmentSerializer, ShiftSerializer
from tests.conftest import Scenario
from tests.factories import AssignmentFactory, MissionFactory, ShiftFactory, UserFactory

AT = datetime(2026, 7, 14, 16, 0, 0, 123456, tzinfo=UTC)  # microseconds shown as DRF shows them


def drf(serializer: serializers.Serializer[Any], instance: Any) -> dict[str, Any]:
    """What DRF alone renders (the planned class's parent's method)."""
    return serializers.Serializer.to_representation(serializer, instance)


@pytest.fixture
def rows(scenario: Scenario) -> tuple[list[Shift], list[Assignment]]:
    organization = scenario.organization
    mission = MissionFactory(organization=organization)
    plain = ShiftFactory(mission=mission, start_at=AT, end_at=AT.replace(hour=23, microsecond=0))
    published = ShiftFactory(mission=mission, notes="Stage door — 2ᵉ étage", status="published")
    Shift.objects.filter(pk=published.pk).update(published_at=AT)
    AssignmentFactory(shift=plain, note="", created_by=None)
    AssignmentFactory(shift=published, locked=True, created_by=UserFactory(), note="Front")
    shifts = list(selectors.shift_list(organization=organization))
    assignments = list(selectors.assignment_list(organization=organization))
    return shifts, assignments


@pytest.mark.django_db
@pytest.mark.parametrize("zone", ["UTC", "Europe/Paris", "America/Sao_Paulo"])
def test_a_planned_row_is_the_row_drf_renders_in_any_current_time_zone(
    rows: tuple[list[Shift], list[Assignment]], zone: str
) -> None:
    shifts, assignments = rows
    with timezone.override(ZoneInfo(zone)):
        for serializer_class, instances in (
            (ShiftSerializer, shifts),
            (AssignmentSerializer, assignments),
        ):
            serializer = serializer_class()
            for instance in instances:
                planned = serializer.to_representation(instance)
                assert list(planned.items()) == list(drf(serializer, instance).items())


@pytest.mark.django_db
def test_a_list_renders_nulls_and_microseconds_as_drf_does(
    rows: tuple[list[Shift], list[Assignment]],
) -> None:
    shifts, _ = rows
    many = ShiftSerializer(shifts, many=True).data
    by_id = {row["id"]: row for row in many}
    plain = by_id[str(shifts[0].pk)] if shifts[0].start_at == AT else by_id[str(shifts[1].pk)]
    assert plain["start_at"] == "2026-07-14T16:00:00.123456Z"
    assert plain["template_id"] is None
    assert list(many) == [drf(ShiftSerializer(), shift) for shift in shifts]


class NullableStepSerializer(PlannedRepresentation, serializers.ModelSerializer[Assignment]):
    """A source through a foreign key that may be null, and a method: DRF renders both."""

    creator_email = serializers.CharField(source="created_by.email", read_only=True)
    shout = serializers.SerializerMethodField()

    class Meta:
        model = Assignment
        fields = ("id", "creator_email", "shout", "start_at")

    def get_shout(self, assignment: Assignment) -> str:
        return assignment.status.upper()


@pytest.mark.django_db
def test_fields_it_cannot_plan_are_rendered_by_drf_in_their_place(
    rows: tuple[list[Shift], list[Assignment]],
) -> None:
    _, assignments = rows
    serializer = NullableStepSerializer()
    for assignment in assignments:
        assert list(serializer.to_representation(assignment).items()) == list(
            drf(serializer, assignment).items()
        )
    planned = {name for name, _, convert in serializer._plan if convert is not None}
    assert planned == {"id", "start_at"}
