"""POST /api/v1/registrations/ (JSON): 201 with an opaque reference, and the
application stored as sent, numbers normalised."""

import datetime as dt

import pytest

from kartusehat import identity
from registrations.models import Registration, RegistrationEvent, RegistrationMember
from tests.api.helpers import post_json, row_counts
from tests.factories import KRANJI, registration_data

pytestmark = pytest.mark.django_db


def test_it_answers_201_with_a_short_reference_and_status_submitted(api):
    response = post_json(api, registration_data(size=3))

    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"reference", "status"}
    assert body["status"] == "submitted"
    assert isinstance(body["reference"], str) and 0 < len(body["reference"]) <= 24


def test_it_writes_the_registration_its_members_and_one_event(api):
    data = registration_data(size=3)

    response = post_json(api, data)

    registration = Registration.objects.get(reference=response.json()["reference"])
    assert registration.kk_number == data["kk_number"]
    assert registration.kelurahan.code == KRANJI
    assert registration.status == "submitted"
    assert registration.channel == "online"
    assert registration.consent_at is not None
    assert list(registration.members.order_by("position").values_list("nik", flat=True)) == [
        m["nik"] for m in data["members"]
    ]
    events = RegistrationEvent.objects.filter(registration=registration)
    assert [e.status for e in events] == ["submitted"]
    assert row_counts() == {"registrations": 1, "members": 3, "events": 1, "documents": 0}


def test_it_gives_each_registration_a_different_reference(api):
    first = post_json(api, registration_data(size=1)).json()["reference"]
    second = post_json(api, registration_data(size=1)).json()["reference"]

    assert first != second


@pytest.mark.parametrize("phone", ["081234567890", "6281234567890", "+6281234567890", "0812-3456-7890"])
def test_it_stores_the_phone_as_plus_62(api, phone):
    response = post_json(api, registration_data(size=1, phone=phone))

    assert response.status_code == 201, response.content
    assert Registration.objects.get().phone == "+6281234567890"


def test_it_accepts_nik_and_kk_with_spaces_dots_and_dashes_and_stores_16_digits(api):
    data = registration_data(size=2)
    kk, nik0, nik1 = data["kk_number"], data["members"][0]["nik"], data["members"][1]["nik"]
    data["kk_number"] = f"{kk[:2]}.{kk[2:4]}.{kk[4:6]} {kk[6:12]}-{kk[12:]}"
    data["members"][0]["nik"] = f"{nik0[:4]} {nik0[4:8]} {nik0[8:12]} {nik0[12:]}"
    data["members"][1]["nik"] = f"{nik1[:6]}.{nik1[6:12]}-{nik1[12:]}"

    response = post_json(api, data)

    assert response.status_code == 201, response.content
    registration = Registration.objects.get()
    assert registration.kk_number == kk
    assert sorted(RegistrationMember.objects.values_list("nik", flat=True)) == sorted([nik0, nik1])


def test_it_accepts_a_registration_without_email(api):
    data = registration_data(size=1)
    del data["email"]

    response = post_json(api, data)

    assert response.status_code == 201, response.content
    assert Registration.objects.get().email == ""


def test_it_does_not_flag_a_kk_issued_in_the_kelurahans_own_kecamatan(api):
    data = registration_data(KRANJI, size=1)
    data["kk_number"] = "327502" + data["kk_number"][6:]  # Bekasi Barat, Kranji's kecamatan

    response = post_json(api, data)

    assert response.status_code == 201, response.content
    assert Registration.objects.get().kk_kecamatan_mismatch is False


def test_it_accepts_and_flags_a_kk_issued_in_another_kecamatan_of_the_city(api):
    data = registration_data(KRANJI, size=1)
    data["kk_number"] = "327501" + data["kk_number"][6:]  # Bekasi Timur, not Kranji's Bekasi Barat

    response = post_json(api, data)

    assert response.status_code == 201, response.content
    assert Registration.objects.get().kk_kecamatan_mismatch is True


@pytest.mark.parametrize(
    "born, sex", [(dt.date(1925, 3, 1), "L"), (dt.date(2020, 3, 1), "P"), (dt.date(1999, 12, 31), "P")]
)
def test_it_takes_the_nik_century_from_the_birth_date_given_beside_it(api, born, sex):
    data = registration_data(size=2)
    nik = identity.encode_nik("327502", born, sex, 77)
    data["members"][1].update(nik=nik, birth_date=born.isoformat(), sex=sex, relationship="orang_tua")

    response = post_json(api, data)

    assert response.status_code == 201, response.content
    assert RegistrationMember.objects.get(nik=nik).birth_date == born
