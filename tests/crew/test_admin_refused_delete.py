"""A deletion the service refuses shows why, deletes nothing and logs no deletion."""

from __future__ import annotations

import pytest
from django.contrib.admin.models import DELETION, LogEntry
from django.test import Client

from apps.crew.models import Artist
from tests.conftest import Scenario
from tests.factories import ArtistFactory, AssignmentFactory, ShiftFactory

pytestmark = pytest.mark.django_db


def test_deleting_an_artist_with_accepted_work_is_refused_and_not_logged(
    scenario: Scenario,
) -> None:
    superuser = scenario.owner
    superuser.is_staff = superuser.is_superuser = True
    superuser.save(update_fields=["is_staff", "is_superuser"])
    artist = ArtistFactory(organization=scenario.organization)
    shift = ShiftFactory(mission__project__organization=scenario.organization)
    AssignmentFactory(shift=shift, artist=artist, status="accepted")
    client = Client()
    client.force_login(superuser)

    response = client.post(f"/admin/crew/artist/{artist.pk}/delete/", {"post": "yes"}, follow=True)

    assert Artist.objects.filter(pk=artist.pk).exists()
    assert not LogEntry.objects.filter(action_flag=DELETION, object_id=str(artist.pk)).exists()
    assert "deactivate the artist instead" in response.content.decode()
