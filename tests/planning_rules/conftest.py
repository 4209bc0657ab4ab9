from __future__ import annotations

import pytest

from tests.conftest import Scenario
from tests.planning_rules.world import World


@pytest.fixture
def world(scenario: Scenario) -> World:
    return World.build(scenario.organization)
