"""POST /api/v1/verify/ by NIK: each outcome, with the reason and masked identity data."""

import pytest

from cards import services as card_services
from cards.models import Card
from hospitals.models import VerificationLog
from kartusehat import identity
from registrations import services as registration_services
from registrations.models import Household
from tests.factories import superuser
from tests.hospitals.helpers import (
    hospital_key,
    keyed,
    pending_registration,
    rejected_registration,
    revoke,
    unregistered_nik,
    verified_household,
    verify,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(api):
    _staff, key = hospital_key()
    return keyed(api, key)


def test_it_answers_eligible_for_a_member_of_a_verified_household(desk):
    household, head, card = verified_household()

    response = verify(desk, {"nik": head.nik})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["eligible"] is True
    assert body["reason_code"] == "eligible"
    assert body["reason"]
    assert body["card"] == {"number": card.number, "status": "queued"}
    assert body["member"] == {"full_name": head.full_name, "nik": identity.mask(head.nik),
        "relationship": "kepala_keluarga"}
    assert body["household"] == {
        "kk_number": identity.mask(household.kk_number), "kelurahan": "Kranji", "kecamatan": "Bekasi Barat",
    }


def test_it_never_shows_full_identity_numbers(desk):
    household, head, _card = verified_household()

    text = verify(desk, {"nik": head.nik}).content.decode()

    assert head.nik not in text
    assert household.kk_number not in text


def test_it_accepts_a_nik_with_spaces_and_dots(desk):
    _household, head, _card = verified_household()
    spaced = f"{head.nik[:6]} {head.nik[6:12]}.{head.nik[12:]}"

    assert verify(desk, {"nik": spaced}).json()["eligible"] is True


def test_it_answers_not_registered_for_an_unknown_nik(desk):
    body = verify(desk, {"nik": unregistered_nik()}).json()

    assert (body["eligible"], body["reason_code"]) == (False, "not_registered")
    assert body["card"] is None and body["member"] is None and body["household"] is None


def test_it_answers_registration_pending_with_the_kelurahan(desk):
    registration, head = pending_registration()

    body = verify(desk, {"nik": head.nik}, HTTP_ACCEPT_LANGUAGE="en").json()

    assert (body["eligible"], body["reason_code"]) == (False, "registration_pending")
    assert registration.kelurahan.name in body["reason"]


def test_it_answers_rejected_for_a_nik_only_in_a_rejected_registration(desk):
    _registration, head = rejected_registration()

    body = verify(desk, {"nik": head.nik}).json()

    assert (body["eligible"], body["reason_code"]) == (False, "registration_rejected")


def test_it_answers_not_eligible_for_an_inactive_household(desk):
    household, head, _card = verified_household()
    Household.objects.filter(pk=household.pk).update(status=Household.Status.INACTIVE)

    body = verify(desk, {"nik": head.nik}).json()

    assert (body["eligible"], body["reason_code"]) == (False, "household_inactive")


def test_it_answers_card_revoked_when_the_households_only_card_is_revoked(desk):
    household, head, card = verified_household()
    revoke(card)

    body = verify(desk, {"nik": head.nik}).json()

    assert (body["eligible"], body["reason_code"]) == (False, "card_revoked")
    assert body["card"] == {"number": card.number, "status": "revoked"}


def test_it_answers_eligible_with_the_new_card_after_a_revoked_one(desk):
    household, head, old = verified_household()
    revoke(old)
    new = card_services.card_request(household=household, kind=Card.Kind.LOST)

    body = verify(desk, {"nik": head.nik}).json()

    assert body["eligible"] is True
    assert body["card"]["number"] == new.number != old.number


def test_it_answers_not_registered_once_the_membership_ended(desk):
    household, _head, _card = verified_household(size=3)
    # A child's NIK is always of the city (an adult may have moved in from elsewhere).
    child = household.members.get(relationship="anak")
    registration_services.member_end(member_id=child.pk, by=superuser(), reason="Pindah KK")

    body = verify(desk, {"nik": child.nik}).json()

    assert (body["eligible"], body["reason_code"]) == (False, "not_registered")


def test_it_answers_outside_city_for_a_nik_of_another_region_not_registered(desk):
    # Region 31.71.01 (Jakarta Pusat, Gambir), born 15-05-1980, man.
    body = verify(desk, {"nik": "3171011505800003"}).json()

    assert (body["eligible"], body["reason_code"]) == (False, "outside_city")


def test_it_answers_in_english_with_accept_language(desk):
    _household, head, _card = verified_household()

    indonesian = verify(desk, {"nik": head.nik}).json()["reason"]
    english = verify(desk, {"nik": head.nik}, HTTP_ACCEPT_LANGUAGE="en").json()["reason"]

    assert indonesian != english


def test_it_records_the_household_and_card_it_answered_about(desk):
    household, head, card = verified_household()

    verify(desk, {"nik": head.nik})

    log = VerificationLog.objects.get()
    assert (log.household_id, log.card_id, log.eligible, log.result) == (household.pk, card.pk, True, "eligible")
