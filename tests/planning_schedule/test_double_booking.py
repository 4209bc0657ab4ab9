"""No double booking, ever: PostgreSQL refuses it whatever the path, and the API says 409.

The service check (``conflicts_for_assignments``) normally refuses first; these tests
also bypass it to prove that the exclusion constraint ``planning_assignment_no_overlap``
and the partial unique constraint ``planning_assignment_one_active_per_shift`` hold on
their own and are answered as 409s, and that 20 simultaneous bookings of one artist on
overlapping shifts let exactly one through.
"""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from rest_framework.test import APIClient

from apps.core.errors import ConflictError, HardConflictError
from apps.planning.models import ACTIVE_ASSIGNMENT_STATUSES, Assignment
from apps.planning.rules import conflicts
from apps.planning.schedule import services
from apps.planning.schedule.services.guards import guarded
from tests.conftest import Scenario, api_client_for, assert_error
from tests.factories import AssignmentFactory
from tests.planning_schedule.conftest import ASSIGNMENTS, SHIFTS, Plans, at, iso, make_shift

THREADS = 20


def constraint_name(exc: IntegrityError) -> str:
    return str(exc.__cause__.diag.constraint_name)  # type: ignore[union-attr]


@pytest.fixture
def no_service_check(monkeypatch: pytest.MonkeyPatch) -> None:
    """The conflict check sees nothing: only the database can refuse."""
    monkeypatch.setattr(conflicts, "conflicts_for_assignments", lambda **kwargs: [])
    monkeypatch.setattr(conflicts, "conflicts_for_shift", lambda **kwargs: [])


# --- The constraints themselves -------------------------------------------------------------


@pytest.mark.django_db
def test_the_database_refuses_overlapping_active_assignments(plan: Plans) -> None:
    AssignmentFactory(shift=make_shift(plan.own, day=3, hour=8), artist=plan.own.artist)
    overlapping = make_shift(plan.own, day=3, hour=12)

    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        AssignmentFactory(shift=overlapping, artist=plan.own.artist, status="accepted")

    assert constraint_name(caught.value) == "planning_assignment_no_overlap"
    assert caught.value.__cause__.sqlstate == "23P01"  # type: ignore[union-attr]


@pytest.mark.django_db
def test_back_to_back_and_inactive_assignments_do_not_overlap(plan: Plans) -> None:
    AssignmentFactory(shift=make_shift(plan.own, day=3, hour=8), artist=plan.own.artist)
    back_to_back = make_shift(plan.own, day=3, hour=13)  # starts when the first one ends
    same_time = make_shift(plan.own, day=3, hour=8)

    AssignmentFactory(shift=back_to_back, artist=plan.own.artist)
    AssignmentFactory(shift=same_time, artist=plan.own.artist, status="cancelled")
    AssignmentFactory(shift=same_time, artist=plan.own.artist, status="declined")

    assert Assignment.objects.filter(artist=plan.own.artist).count() == 4


@pytest.mark.django_db
def test_the_database_refuses_two_active_rows_for_one_artist_and_shift(plan: Plans) -> None:
    shift = make_shift(plan.own, day=3)
    AssignmentFactory(shift=shift, artist=plan.own.artist)

    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        # Times that do not overlap, so only the unique constraint can refuse it.
        AssignmentFactory(
            shift=shift,
            artist=plan.own.artist,
            start_at=at(9, 8),
            end_at=at(9, 9),
        )

    assert constraint_name(caught.value) == "planning_assignment_one_active_per_shift"


# --- Mapped to 409 when the service check is bypassed ----------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("no_service_check")
def test_the_api_answers_409_when_only_the_constraint_catches_it(
    scenario: Scenario, plan: Plans
) -> None:
    first = AssignmentFactory(shift=make_shift(plan.own, day=3, hour=8), artist=plan.own.artist)
    overlapping = make_shift(plan.own, day=3, hour=12)

    response = scenario.client("admin").post(
        ASSIGNMENTS,
        {"shift_id": str(overlapping.pk), "artist_id": str(plan.own.artist.pk)},
        format="json",
    )

    body = assert_error(response, 409, "hard_conflict")
    [conflict] = body["conflicts"]
    assert (conflict["type"], conflict["rule"]) == ("hard", "double_booking")
    assert conflict["details"]["other_assignment_id"] == str(first.pk)
    assert conflict["details"]["other_shift_id"] == str(first.shift_id)
    assert Assignment.objects.filter(artist=plan.own.artist).count() == 1


@pytest.mark.django_db
@pytest.mark.usefixtures("no_service_check")
def test_a_shift_move_refused_by_the_constraint_answers_409(
    scenario: Scenario, plan: Plans
) -> None:
    AssignmentFactory(shift=make_shift(plan.own, day=3, hour=8), artist=plan.own.artist)
    moving = make_shift(plan.own, day=5, hour=8)
    AssignmentFactory(shift=moving, artist=plan.own.artist)

    response = scenario.client("manager").patch(
        f"{SHIFTS}/{moving.pk}",
        {"start_at": iso(at(3, 10)), "end_at": iso(at(3, 15))},
        format="json",
    )

    body = assert_error(response, 409, "hard_conflict")
    assert {c["rule"] for c in body["conflicts"]} == {"double_booking"}
    moving.refresh_from_db()
    assert moving.start_at == at(5, 8)
    assert Assignment.objects.get(shift=moving).start_at == at(5, 8)


@pytest.mark.django_db
def test_the_unique_constraint_is_answered_as_already_assigned(plan: Plans) -> None:
    shift = make_shift(plan.own, day=3)
    AssignmentFactory(shift=shift, artist=plan.own.artist)
    duplicate = Assignment(
        organization=plan.own.organization,
        shift=shift,
        artist=plan.own.artist,
        start_at=at(9, 8),
        end_at=at(9, 9),
    )

    with pytest.raises(ConflictError) as caught, transaction.atomic():
        guarded(
            lambda: duplicate.save(force_insert=True),
            organization=plan.own.organization,
            rows=[duplicate],
        )

    assert caught.value.code == "already_assigned"


@pytest.mark.django_db
def test_other_integrity_errors_are_not_disguised(plan: Plans) -> None:
    shift = make_shift(plan.own, day=3)
    backwards = Assignment(
        organization=plan.own.organization,
        shift=shift,
        artist=plan.own.artist,
        start_at=shift.end_at,
        end_at=shift.start_at,
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        guarded(
            lambda: backwards.save(force_insert=True),
            organization=plan.own.organization,
            rows=[backwards],
        )


@pytest.mark.django_db
@pytest.mark.usefixtures("no_service_check")
def test_a_bulk_insert_overlapping_itself_is_refused_whole(plan: Plans) -> None:
    first, second = make_shift(plan.own, day=3, hour=8), make_shift(plan.own, day=3, hour=9)

    with pytest.raises(HardConflictError) as caught:
        services.assignments_bulk_create(
            organization=plan.own.organization,
            actor=None,
            pairs=[(first, plan.own.artist), (second, plan.own.artist)],
        )

    assert {c["rule"] for c in caught.value.conflicts} == {"double_booking"}
    assert {c["details"]["artist_id"] for c in caught.value.conflicts} == {str(plan.own.artist.pk)}
    assert not Assignment.objects.exists()


# --- Concurrency ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_overlapping_bookings_let_exactly_one_through(
    scenario: Scenario, plan: Plans
) -> None:
    artist = plan.own.artist
    shifts = [_overlapping_shift(plan, index) for index in range(THREADS)]
    clients = [api_client_for(scenario.manager, scenario.memberships["manager"]) for _ in shifts]
    barrier = threading.Barrier(THREADS)
    answers: list[tuple[int, dict[str, Any]]] = []
    failures: list[BaseException] = []

    def book(client: APIClient, shift: Any) -> None:
        try:
            barrier.wait(timeout=30)
            response = client.post(
                ASSIGNMENTS,
                {"shift_id": str(shift.pk), "artist_id": str(artist.pk)},
                format="json",
            )
            answers.append((response.status_code, response.json()))
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            failures.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=book, args=pair) for pair in zip(clients, shifts, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert failures == []
    assert not any(thread.is_alive() for thread in threads)
    codes = sorted(code for code, _ in answers)
    assert codes == [201] + [409] * (THREADS - 1), codes
    for code, body in answers:
        if code == 409:
            assert body["error"]["code"] == "hard_conflict", body
            assert "double_booking" in {c["rule"] for c in body["error"]["conflicts"]}
    active = Assignment.objects.filter(artist=artist, status__in=ACTIVE_ASSIGNMENT_STATUSES)
    assert active.count() == 1


def _overlapping_shift(plan: Plans, index: int) -> Any:
    """Twenty different shifts that all overlap 10:00-12:00 on the fifth day."""
    shift = make_shift(plan.own, day=4, hour=8, hours=4)
    shift.start_at += timedelta(minutes=index)
    shift.end_at += timedelta(minutes=index)
    shift.save(update_fields=["start_at", "end_at"])
    return shift
