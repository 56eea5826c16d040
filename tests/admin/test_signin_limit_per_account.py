"""Wrong staff passwords count per account, from every address: a few pause
the account for devices it never signed in from (it slows), more lock it
until the day's window ends (bounded), the owner is told once, and a device
the account signed in from before keeps working (kartusehat/signin.py)."""

import logging

import pytest
from django.core import mail
from django.urls import reverse

from kartusehat import throttling
from tests.factories import KRANJI, staff_user

pytestmark = pytest.mark.django_db

PASSWORD = "kata-sandi-yang-benar-123"
USERNAME = "petugas.kranji"
ADMIN = "/admin/"


@pytest.fixture
def user(settings):
    settings.KARTUSEHAT_RATES = {
        **settings.KARTUSEHAT_RATES, "signin_failures_per_account": "5/15min",
        "signin_failures_per_account_daily": "20/day", "signin_failures_per_device": "10/hour",
    }
    user = staff_user(KRANJI, username=USERNAME, email="petugas@kranji.example")
    user.set_password(PASSWORD)
    user.save()
    return user


def _login(client, address, password, *, url=None, username=USERNAME):
    return client.post(url or reverse("admin:login"), {"username": username, "password": password, "next": ADMIN},
        REMOTE_ADDR=address)


def _signed_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == ADMIN


def _guess_from_many_addresses(client_class, count, start=0):
    attacker = client_class()
    for i in range(start, start + count):
        response = _login(attacker, f"203.0.{i // 250}.{i % 250 + 1}", f"tebakan-{i}")
        assert not _signed_in(response)


def test_it_refuses_the_right_password_after_many_guesses_from_many_addresses(client, user):
    _guess_from_many_addresses(type(client), 60)

    response = _login(client, "198.51.100.77", PASSWORD)

    assert not _signed_in(response)
    assert "dijeda" in response.content.decode()  # "paused", in Bahasa Indonesia


def test_it_pauses_after_five_guesses_and_not_before(client, user):
    _guess_from_many_addresses(type(client), 4)

    assert _signed_in(_login(client, "198.51.100.77", PASSWORD))


def test_it_lets_the_owner_in_from_a_device_that_signed_in_before(client, user):
    assert _signed_in(_login(client, "198.51.100.10", PASSWORD))  # the office computer, last week
    client.post(reverse("admin:logout"))
    _guess_from_many_addresses(type(client), 60)

    assert _signed_in(_login(client, "198.51.100.10", PASSWORD))
    assert _signed_in(_login(client, "198.51.100.11", PASSWORD))  # a known device on another address too


def test_it_does_not_trust_a_device_cookie_that_was_tampered_with(client, user):
    assert _signed_in(_login(client, "198.51.100.10", PASSWORD))
    client.post(reverse("admin:logout"))
    _guess_from_many_addresses(type(client), 10)
    name = next(name for name in client.cookies if name.startswith("ks_device_"))
    client.cookies[name] = client.cookies[name].value[:-2] + "xx"

    assert not _signed_in(_login(client, "198.51.100.10", PASSWORD))


def test_it_tells_the_owner_once_and_logs_it(client, user, caplog):
    with caplog.at_level(logging.WARNING, logger="kartusehat.signin"):
        _guess_from_many_addresses(type(client), 30)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["petugas@kranji.example"]
    assert USERNAME in message.body and "dijeda" in message.body
    assert [r for r in caplog.records if USERNAME in r.getMessage() and "paused" in r.getMessage()]


def test_it_slows_then_locks_for_a_bounded_time(client, user, monkeypatch):
    now = throttling.time.time()

    def at(seconds):
        monkeypatch.setattr(throttling.time, "time", lambda: now + seconds)

    _guess_from_many_addresses(type(client), 6)
    assert not _signed_in(_login(client, "198.51.100.77", PASSWORD))

    at(16 * 60)  # the quarter-hour has passed: slowed, not locked
    assert _signed_in(_login(client, "198.51.100.77", PASSWORD))
    client.post(reverse("admin:logout"))
    client.cookies.clear()

    for quarter in range(2, 6):  # five guesses a quarter-hour, until the day's twenty are used
        at(quarter * 16 * 60)
        _guess_from_many_addresses(type(client), 5, start=quarter * 10)
    at(6 * 16 * 60)
    assert not _signed_in(_login(client, "198.51.100.78", PASSWORD))

    at(24 * 3600 + 60)  # never longer than the day's window
    assert _signed_in(_login(client, "198.51.100.78", PASSWORD))


def test_it_does_not_count_right_passwords(client, user):
    _guess_from_many_addresses(type(client), 4)
    for i in range(6):
        fresh = type(client)()
        assert _signed_in(_login(fresh, f"198.51.100.{90 + i}", PASSWORD))

    assert _signed_in(_login(client, "198.51.100.99", PASSWORD))


def test_it_pauses_the_hospital_desk_sign_in_too(client, user):
    _guess_from_many_addresses(type(client), 10)

    response = _login(client, "198.51.100.77", PASSWORD, url=reverse("hospitals-desk:login"))

    assert response.status_code == 200
    assert "dijeda" in response.content.decode()
    assert "_auth_user_id" not in client.session
