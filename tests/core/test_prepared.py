"""A prepared read (``apps.core.prepared``) gives the rows the ORM gives, for any values.

Each read here is built once per shape, then run with other values: every test compares
it with the same queryset evaluated by the ORM, and some with values of another
organization, so a value frozen into the prepared SQL would show as the other
organization's rows (or none). The contract checks are tested too: a builder that
computes with a value, binds ids one by one or returns model instances is refused when
its shape is prepared, not silently run with stale values.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db.models import Q, QuerySet

from apps.core.prepared import PreparationError, PreparedRead
from apps.planning.models import RuleSetting, Shift
from apps.planning.rules.selectors import ids_in, texts_in
from tests.factories import (
    OrganizationFactory,
    RuleSettingFactory,
    ShiftFactory,
)

pytestmark = pytest.mark.django_db

MONDAY = datetime(2026, 7, 13, tzinfo=UTC)


def shifts_between(
    *, organization_id: Any, start: datetime, end: datetime, statuses: Any, role_id: Any
) -> QuerySet[Any]:
    """The organization's shifts starting in ``[start, end)``: optional status and role."""
    shifts = Shift.objects.filter(
        organization_id=organization_id, start_at__gte=start, start_at__lt=end
    )
    if statuses:
        shifts = shifts.filter(texts_in("status", statuses))
    if role_id is not None:
        shifts = shifts.filter(role_id=role_id)
    return shifts.order_by("start_at", "id").values_list("id", "status", "start_at")


SHIFTS_BETWEEN = PreparedRead(shifts_between)


@pytest.fixture
def week() -> dict[str, list[Shift]]:
    """Two organizations with a shift a day for a week, every other one published."""
    made: dict[str, list[Shift]] = {}
    for name in ("ours", "theirs"):
        organization = OrganizationFactory()
        made[name] = [
            ShiftFactory(
                mission__organization=organization,
                start_at=MONDAY + timedelta(days=day, hours=18),
                end_at=MONDAY + timedelta(days=day, hours=23),
                status="published" if day % 2 else "draft",
            )
            for day in range(7)
        ]
    return made


def both_ways(**values: Any) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    return SHIFTS_BETWEEN(**values), list(shifts_between(**values))


def test_each_call_reads_its_own_values(week: dict[str, list[Shift]]) -> None:
    for name, days in (("ours", (0, 3)), ("theirs", (2, 6)), ("ours", (5, 7))):
        organization_id = week[name][0].organization_id
        values = {
            "organization_id": organization_id,
            "start": MONDAY + timedelta(days=days[0]),
            "end": MONDAY + timedelta(days=days[1]),
            "statuses": (),
            "role_id": None,
        }
        prepared, orm = both_ways(**values)
        assert prepared == orm
        assert [row[0] for row in prepared] == [shift.pk for shift in week[name][days[0] : days[1]]]


def test_optional_filters_and_lists_are_shapes_of_their_own(week: dict[str, list[Shift]]) -> None:
    ours = week["ours"]
    base = {"organization_id": ours[0].organization_id, "start": MONDAY}
    base["end"] = MONDAY + timedelta(days=7)
    published, orm = both_ways(**base, statuses=["published"], role_id=None)
    assert published == orm
    assert [row[1] for row in published] == ["published"] * 3
    everything, orm = both_ways(**base, statuses=[], role_id=None)
    assert everything == orm
    assert len(everything) == 7
    both, orm = both_ways(**base, statuses=("draft", "published"), role_id=None)
    assert both == orm == everything
    one_role, orm = both_ways(**base, statuses=(), role_id=ours[4].role_id)
    assert one_role == orm
    assert [row[0] for row in one_role] == [ours[4].pk]


def test_one_query_a_call_once_prepared(
    week: dict[str, list[Shift]], django_assert_num_queries: Any
) -> None:
    values = {
        "organization_id": week["ours"][0].organization_id,
        "start": MONDAY,
        "end": MONDAY + timedelta(days=7),
        "statuses": ["draft"],
        "role_id": None,
    }
    SHIFTS_BETWEEN(**values)
    with django_assert_num_queries(1):
        assert len(SHIFTS_BETWEEN(**values)) == 4


def test_ids_go_as_one_array_whatever_their_number(week: dict[str, list[Shift]]) -> None:
    read = PreparedRead(
        lambda organization_id, ids: (
            Shift.objects.filter(ids_in("id", ids), organization_id=organization_id)
            .order_by("start_at")
            .values_list("id", flat=False)
        )
    )
    ours = week["ours"]
    for chosen in (ours[:1], ours[2:6], ours):
        ids = [str(shift.pk) for shift in chosen]
        assert read(organization_id=ours[0].organization_id, ids=ids) == [
            (shift.pk,) for shift in chosen
        ]
    theirs = [str(shift.pk) for shift in week["theirs"]]
    assert read(organization_id=ours[0].organization_id, ids=theirs) == []


def test_rows_go_through_the_orm_s_converters() -> None:
    setting = RuleSettingFactory(params={"max_hours": 40, "note": "festival"})
    other = RuleSettingFactory(code="min_rest", params={"hours": 11})
    read = PreparedRead(
        lambda organization_id: RuleSetting.objects.filter(
            organization_id=organization_id
        ).values_list("code", "params")
    )
    for made in (setting, other):
        assert read(organization_id=made.organization_id) == [(made.code, made.params)]
        assert isinstance(read(organization_id=made.organization_id)[0][1], dict)


def test_a_value_changed_in_python_is_refused() -> None:
    read = PreparedRead(
        lambda organization_id, start: Shift.objects.filter(
            organization_id=organization_id,
            start_at__gte=start,
            end_at__lte=start + timedelta(days=1),
        ).values_list("id")
    )
    with pytest.raises(PreparationError, match="computed from a value"):
        read(organization_id=OrganizationFactory().pk, start=MONDAY)


def test_a_value_turned_into_another_is_refused() -> None:
    read = PreparedRead(
        lambda organization_id, start: Shift.objects.filter(
            organization_id=organization_id, start_at__date=start.date()
        ).values_list("id")
    )
    with pytest.raises(PreparationError, match="computed from a value"):
        read(organization_id=OrganizationFactory().pk, start=MONDAY)


def test_a_branch_the_orm_drops_takes_its_values_with_it(week: dict[str, list[Shift]]) -> None:
    """No ids in an ``AND`` with the range: the ORM drops the branch, range and all."""
    read = PreparedRead(
        lambda organization_id, ids, start: (
            Shift.objects.filter(
                (ids_in("id", ids) & Q(start_at__gte=start)) | Q(status="published"),
                organization_id=organization_id,
            )
            .order_by("start_at")
            .values_list("id")
        )
    )
    ours = week["ours"]
    published = [(shift.pk,) for shift in ours if shift.status == "published"]
    assert read(organization_id=ours[0].organization_id, ids=[], start=MONDAY) == published
    assert read(organization_id=ours[0].organization_id, ids=[str(ours[6].pk)], start=MONDAY) == [
        *published,
        (ours[6].pk,),
    ]


def test_ids_bound_one_by_one_are_refused() -> None:
    read = PreparedRead(lambda ids: Shift.objects.filter(id__in=list(ids)).values_list("id"))
    with pytest.raises(PreparationError, match="ids_in"):
        read(ids=["8f4f5f1e-8a77-4c0e-9d7b-6a1f2b3c4d5e", "a1b2c3d4-0000-4000-8000-000000000000"])


def test_model_instances_are_refused() -> None:
    read = PreparedRead(
        lambda organization_id: Shift.objects.filter(organization_id=organization_id)
    )
    with pytest.raises(PreparationError, match="values_list"):
        read(organization_id=OrganizationFactory().pk)


def test_numbers_are_refused() -> None:
    """A marker out of an integer field's range would be frozen by Django's overflow
    checks (a lookup always false): numbers are not values of a prepared read."""
    read = PreparedRead(
        lambda organization_id, headcount: Shift.objects.filter(
            organization_id=organization_id, headcount=headcount
        ).values_list("id")
    )
    with pytest.raises(PreparationError, match="instants, text or ids"):
        read(organization_id=OrganizationFactory().pk, headcount=2)
