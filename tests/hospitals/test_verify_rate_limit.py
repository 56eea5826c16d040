"""Coverage checks are limited per key (hospital systems) and per user (desk
logins); past the limit: 429 with Retry-After, and no answer."""

import pytest
from rest_framework.test import APIClient

from tests.hospitals.helpers import (
    hospital_key,
    hospital_user,
    keyed,
    unregistered_nik,
    verified_household,
    verify,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def two_an_hour(settings):
    settings.KARTUSEHAT_RATES = {
        **settings.KARTUSEHAT_RATES, "verify_per_token": "2/hour", "verify_per_user": "2/hour",
    }


@pytest.fixture
def nik():
    _household, head, _card = verified_household()
    return head.nik


def _assert_limited(response):
    assert response.status_code == 429, response.content
    assert int(response["Retry-After"]) > 0
    assert int(response["Retry-After"]) <= 3600
    body = response.json()
    assert body["detail"]
    assert "eligible" not in body


def test_it_refuses_the_third_call_of_a_key(api, nik):
    _staff, key = hospital_key()
    desk = keyed(api, key)

    first, second, third = (verify(desk, {"nik": nik}) for _ in range(3))

    assert (first.status_code, second.status_code) == (200, 200)
    _assert_limited(third)


def test_it_counts_refused_input_too(api, nik):
    _staff, key = hospital_key()
    desk = keyed(api, key)

    assert verify(desk, {}).status_code == 400
    assert verify(desk, {"nik": "1"}).status_code == 400
    _assert_limited(verify(desk, {"nik": nik}))


def test_it_counts_each_key_on_its_own(api, nik):
    staff, key = hospital_key()
    _same_staff, other_key = hospital_key(staff)
    _colleague, colleague_key = hospital_key(hospital_user(staff.facility))
    desk = keyed(api, key)
    for _ in range(2):
        verify(desk, {"nik": nik})
    _assert_limited(verify(desk, {"nik": nik}))

    assert verify(keyed(APIClient(), other_key), {"nik": nik}).status_code == 200
    assert verify(keyed(APIClient(), colleague_key), {"nik": unregistered_nik()}).status_code == 200


def test_it_refuses_the_third_call_of_a_desk_login(nik):
    staff = hospital_user()
    client = APIClient()
    client.force_login(staff.user)

    first, second, third = (verify(client, {"nik": nik}) for _ in range(3))

    assert (first.status_code, second.status_code) == (200, 200)
    _assert_limited(third)


def test_it_counts_each_desk_user_on_their_own(nik):
    staff = hospital_user()
    colleague = hospital_user(staff.facility)
    client = APIClient()
    client.force_login(staff.user)
    for _ in range(2):
        verify(client, {"nik": nik})
    _assert_limited(verify(client, {"nik": nik}))

    other = APIClient()
    other.force_login(colleague.user)
    assert verify(other, {"nik": nik}).status_code == 200
