"""Superusers, city-wide staff and the print office sign in in two steps
(password, then a code from an authenticator app) when STAFF_SECOND_FACTOR
is on: they enrol an app at their first sign-in, give a code at each later
one, and until then their session opens nothing else. A kelurahan user signs
in with the password alone (kartusehat/second_factor.py)."""

import re
import secrets
import time

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from cards.roles import PRINT_OFFICE
from tests.factories import BINTARA, CITY, KRANJI, staff_user, superuser

pytestmark = pytest.mark.django_db

PASSWORD = "kata-sandi-yang-benar-123"
REGISTRATIONS = "/admin/registrations/registration/"


@pytest.fixture(autouse=True)
def _second_factor_on(settings):
    settings.STAFF_SECOND_FACTOR = True


def _user(area, username, *groups):
    user = staff_user(area, username=username)
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    user.set_password(PASSWORD)
    user.save()
    return user


def _sign_in(client, user, address="198.51.100.10"):
    response = client.post(reverse("admin:login"), {"username": user.username, "password": PASSWORD, "next": "/admin/"},
        REMOTE_ADDR=address)
    assert response.status_code == 302, response.content
    return response


def _code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the app shows now, or (a code is good once) that it will show next."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def _enrol(client) -> TOTPDevice:
    page = client.get(reverse("second-factor-enrol"))
    assert page.status_code == 200
    device = TOTPDevice.objects.get(confirmed=False)
    shown = re.search(r'id="otp-secret">([A-Z2-7 ]+)<', page.content.decode()).group(1).replace(" ", "")
    assert shown.rstrip("=") == __import__("base64").b32encode(device.bin_key).decode().rstrip("=")
    response = client.post(reverse("second-factor-enrol"), {"code": _code(device), "next": REGISTRATIONS})
    assert response.status_code == 302 and response["Location"] == REGISTRATIONS
    device.refresh_from_db()
    return device


@pytest.mark.parametrize("who", ["city", "print office", "superuser"])
def test_it_opens_nothing_until_a_city_wide_user_has_enrolled_an_app(client, who):
    if who == "superuser":
        user = superuser()
        user.set_password(PASSWORD)
        user.save()
    else:
        user = _user(CITY, "kota") if who == "city" else _user(BINTARA, "cetak", PRINT_OFFICE)
    _sign_in(client, user)

    page = client.get(REGISTRATIONS)
    api = client.get("/api/v1/stock/")

    assert page.status_code == 302 and page["Location"].startswith(reverse("second-factor-verify"))
    assert client.get(page["Location"])["Location"].startswith(reverse("second-factor-enrol"))
    assert api.status_code == 403
    device = _enrol(client)
    assert device.confirmed
    assert client.get(REGISTRATIONS).status_code == 200


def test_it_asks_for_a_code_at_every_later_sign_in(client, django_user_model):
    user = _user(CITY, "kota")
    _sign_in(client, user)
    device = _enrol(client)
    client.post(reverse("admin:logout"))
    _sign_in(client, user)

    assert client.get(REGISTRATIONS)["Location"].startswith(reverse("second-factor-verify"))
    wrong = client.post(reverse("second-factor-verify"), {"code": "000000" if _code(device) != "000000" else "111111"})
    assert wrong.status_code == 400
    assert client.get(REGISTRATIONS).status_code == 302
    time.sleep(1.1)  # django-otp makes each wrong code double the wait before the next (1 s after the first)

    right = client.post(reverse("second-factor-verify"), {"code": _code(device, 1), "next": REGISTRATIONS})

    assert right.status_code == 302 and right["Location"] == REGISTRATIONS
    assert client.get(REGISTRATIONS).status_code == 200


def test_it_lets_a_kelurahan_user_in_with_the_password_alone(client):
    _sign_in(client, _user(KRANJI, "kel.kranji"))

    assert client.get(REGISTRATIONS).status_code == 200
    assert not TOTPDevice.objects.exists()


def test_it_does_not_ask_when_switched_off(client, settings):
    settings.STAFF_SECOND_FACTOR = False
    _sign_in(client, _user(CITY, "kota"))

    assert client.get(REGISTRATIONS).status_code == 200


def test_it_is_on_by_default_in_production():
    import subprocess
    import sys

    code = "import kartusehat.settings as s; print(s.STAFF_SECOND_FACTOR)"
    env = {"KARTUSEHAT_PRODUCTION": "true", "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "kartusehat.example", "CITY_HOTLINE": "+62 811 1999 119", "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)

    assert result.stdout.strip() == "True", result.stderr[-2000:]
