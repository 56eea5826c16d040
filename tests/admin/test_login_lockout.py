"""Repeated wrong passwords lock out that user from that client address, and
only there: behind the proxy, the address is the one our proxy saw."""

import pytest
from django.urls import reverse

from tests.factories import KRANJI, staff_user

pytestmark = pytest.mark.django_db


def _login(client, address, password):
    return client.post(
        reverse("admin:login"),
        {"username": "petugas.lockout", "password": password, "next": "/admin/"},
        REMOTE_ADDR="10.0.0.2",  # the proxy
        HTTP_X_FORWARDED_FOR=f"6.6.6.6, {address}",
    )


def test_it_locks_out_the_attacking_address_but_not_the_real_user(client, settings):
    settings.NUM_PROXIES = 1
    settings.AXES_FAILURE_LIMIT = 3
    user = staff_user(KRANJI, username="petugas.lockout")
    user.set_password("kata-sandi-yang-benar-123")
    user.save()

    for _ in range(3):
        _login(client, "203.0.113.66", "salah")
    locked = _login(client, "203.0.113.66", "kata-sandi-yang-benar-123")
    from_office = _login(client, "198.51.100.10", "kata-sandi-yang-benar-123")

    assert locked.status_code == 429
    assert from_office.status_code == 302 and from_office["Location"] == "/admin/"
