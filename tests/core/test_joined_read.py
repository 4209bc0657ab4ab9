"""``JoinedRead``: a one-row join whose SQL is built once gives the instances the ORM gives."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Model

from apps.core.joined_read import JoinedRead
from apps.orgs.auth import TOKEN_MEMBERSHIP
from apps.orgs.models import Membership
from tests.conftest import Scenario


def _values(instance: Model) -> dict[str, Any]:
    return {
        field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields
    }


def test_the_membership_read_equals_select_related(scenario: Scenario) -> None:
    expected = Membership.objects.select_related("user", "organization").get(
        pk=scenario.memberships["manager"].pk
    )

    found = TOKEN_MEMBERSHIP.first(str(scenario.manager.pk), str(scenario.organization.pk))

    assert isinstance(found, Membership)
    assert _values(found) == _values(expected)
    assert _values(found.user) == _values(expected.user)
    assert _values(found.organization) == _values(expected.organization)
    assert found._state.adding is False
    assert found.user._state.db == "default"


def test_the_joined_instances_are_cached_on_the_row(
    scenario: Scenario, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(1):
        found = TOKEN_MEMBERSHIP.first(scenario.manager.pk, scenario.organization.pk)
        assert found is not None
        assert found.user.email == scenario.manager.email  # type: ignore[attr-defined]
        assert found.organization.name == scenario.organization.name  # type: ignore[attr-defined]


def test_no_row_is_none(scenario: Scenario) -> None:
    # The manager in the other organization: not a member there.
    assert TOKEN_MEMBERSHIP.first(scenario.manager.pk, scenario.outsider_organization.pk) is None
    assert TOKEN_MEMBERSHIP.first(uuid.uuid4(), scenario.organization.pk) is None


def test_a_parameter_that_is_not_an_id_is_refused_before_any_query(
    scenario: Scenario, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(0), pytest.raises(ValidationError):
        TOKEN_MEMBERSHIP.first("not-a-uuid", scenario.organization.pk)


def test_a_read_by_a_field_of_the_first_model(scenario: Scenario) -> None:
    by_role = JoinedRead(Membership, joins=("organization",), where=("organization_id", "role"))
    manager = scenario.memberships["manager"]

    found = by_role.first(scenario.organization.pk, manager.role)

    assert isinstance(found, Membership)
    assert found.organization_id == scenario.organization.pk
    assert found.role == manager.role
    assert found.organization.slug == scenario.organization.slug
