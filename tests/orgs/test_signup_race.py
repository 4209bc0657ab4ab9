"""Two sign-ups racing with one e-mail: one account, and a 409 (never a 500) for the other."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from apps.orgs.models import User


@pytest.mark.django_db(transaction=True)
def test_simultaneous_sign_ups_with_one_e_mail_give_one_account_and_a_409() -> None:
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def sign_up(name: str) -> None:
        try:
            barrier.wait()
            response = APIClient().post(
                "/api/v1/auth/signup",
                {
                    "email": "same@race.test",
                    "password": "a-long-passphrase-2026",
                    "full_name": name,
                    "organization_name": f"Org {name}",
                },
                format="json",
            )
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_up, args=(name,)) for name in ("Ana", "Bruno")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [201, 409]
    assert User.objects.filter(email="same@race.test").count() == 1
