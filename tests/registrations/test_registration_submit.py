"""Submitting a household: accepted input is stored whole, with its history."""

import pytest

from registrations import services
from registrations.models import Registration, RegistrationEvent, RegistrationMember
from tests.factories import KRANJI, registration_data

pytestmark = pytest.mark.django_db


def test_it_stores_the_application_members_and_first_status():
    data = registration_data(KRANJI, size=3)

    registration = services.registration_submit(data=data, channel="online")

    registration.refresh_from_db()
    assert registration.status == "submitted"
    assert registration.kk_number == data["kk_number"]
    assert registration.kelurahan.code == KRANJI
    assert registration.consent_at is not None and registration.consent_version
    assert [m.nik for m in registration.members.order_by("position")] == [m["nik"] for m in data["members"]]
    assert all(m.pending for m in registration.members.all())
    assert list(registration.events.values_list("status", flat=True)) == ["submitted"]


def test_it_normalises_numbers_phone_and_rt_rw():
    data = registration_data(KRANJI, size=2)
    kk = data["kk_number"]
    data.update(
        kk_number=f"{kk[:6]}.{kk[6:12]}-{kk[12:]}", phone="+62 812-3456-7890", rt="3", rw="12",
    )
    nik = data["members"][0]["nik"]
    data["members"][0]["nik"] = f"{nik[:4]} {nik[4:8]} {nik[8:12]} {nik[12:]}"

    registration = services.registration_submit(data=data, channel="online")

    assert registration.kk_number == kk
    assert registration.phone == "+6281234567890"
    assert (registration.rt, registration.rw) == ("003", "012")
    assert registration.members.get(position=0).nik == nik


def test_it_gives_an_unguessable_reference_of_at_most_24_characters():
    references = {services.registration_submit(data=registration_data(), channel="online").reference for _ in range(5)}

    assert len(references) == 5
    for reference in references:
        assert len(reference) <= 24
        assert reference.startswith("KS-")


def test_it_accepts_and_flags_a_kk_from_another_kecamatan_of_the_city():
    data = registration_data(KRANJI)  # address in Bekasi Barat (32.75.02)
    data["kk_number"] = "327501" + data["kk_number"][6:]  # KK issued in Bekasi Timur

    registration = services.registration_submit(data=data, channel="kelurahan")

    assert registration.kk_kecamatan_mismatch is True
    assert Registration.objects.filter(pk=registration.pk, status="submitted").exists()


def test_it_does_not_flag_a_kk_from_the_same_kecamatan():
    registration = services.registration_submit(data=registration_data(KRANJI), channel="online")

    assert registration.kk_kecamatan_mismatch is False


def test_it_accepts_members_whose_nik_was_issued_elsewhere_in_indonesia():
    data = registration_data(KRANJI, size=2)
    head = data["members"][0]
    head["nik"] = "910101" + head["nik"][6:]  # historic Papua code: people keep their NIK

    registration = services.registration_submit(data=data, channel="online")

    assert registration.members.filter(nik=head["nik"]).exists()
    assert RegistrationEvent.objects.filter(registration=registration).count() == 1
    assert RegistrationMember.objects.filter(registration=registration).count() == 2
