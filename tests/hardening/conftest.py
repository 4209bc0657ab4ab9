"""The publication world (a staffed project, a foreign twin) for the hardening tests."""

from tests.publication.conftest import world  # noqa: F401
