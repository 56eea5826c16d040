"""Rejecting needs a reason and changes nothing on the roster."""

import pytest

from kartusehat.refusals import Conflict, Invalid
from registrations import services
from registrations.models import Household, Member
from tests.factories import KRANJI, staff_user, submit

pytestmark = pytest.mark.django_db


def test_it_rejects_with_a_reason_and_leaves_the_roster_alone():
    registration = submit(KRANJI)
    staff = staff_user(KRANJI)

    services.registration_reject(registration_id=registration.pk, by=staff, reason="Foto KK tidak terbaca")

    registration.refresh_from_db()
    assert registration.status == "rejected"
    assert registration.rejection_reason == "Foto KK tidak terbaca"
    assert registration.household is None
    assert not Household.objects.exists() and not Member.objects.exists()
    assert list(registration.events.values_list("status", "note")) == [
        ("submitted", ""), ("rejected", "Foto KK tidak terbaca"),
    ]


@pytest.mark.parametrize("reason", ["", "   ", "no"])
def test_it_refuses_a_rejection_without_a_real_reason(reason):
    registration = submit(KRANJI)

    with pytest.raises(Invalid):
        services.registration_reject(registration_id=registration.pk, by=staff_user(KRANJI), reason=reason)

    registration.refresh_from_db()
    assert registration.status == "submitted"
    assert registration.events.count() == 1


def test_it_frees_the_kk_and_niks_for_a_new_application():
    registration = submit(KRANJI, size=2)
    services.registration_reject(registration_id=registration.pk, by=staff_user(KRANJI), reason="Alamat tidak sesuai")
    members = [
        {"nik": m.nik, "full_name": m.full_name, "birth_date": m.birth_date.isoformat(), "sex": m.sex,
         "relationship": m.relationship}
        for m in registration.members.all()
    ]

    again = submit(KRANJI, kk_number=registration.kk_number, members=members)

    assert again.status == "submitted"
    assert again.pk != registration.pk


def test_it_cannot_reject_a_verified_registration():
    registration = submit(KRANJI)
    staff = staff_user(KRANJI)
    services.registration_verify(registration_id=registration.pk, by=staff)

    with pytest.raises(Conflict):
        services.registration_reject(registration_id=registration.pk, by=staff, reason="Terlambat ditolak")

    registration.refresh_from_db()
    assert registration.status == "verified"
