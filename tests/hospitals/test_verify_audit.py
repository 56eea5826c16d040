"""Every verification call leaves exactly one audit record (VerificationLog):
who asked, for which facility, with which key, how, and what came of it; NIKs
only masked, yet the health office finds every check of one NIK."""

import pytest
from django.db.models import CharField, TextField
from rest_framework.test import APIClient

from hospitals.models import VerificationLog
from kartusehat import identity
from tests.hospitals.helpers import (
    days,
    facility,
    health_office_user,
    hospital_key,
    hospital_user,
    keyed,
    unregistered_nik,
    verified_household,
    verify,
)

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/hospitals/verificationlog/"


@pytest.fixture
def key_desk(api):
    staff, key = hospital_key()
    return staff, keyed(api, key)


def _one_new_log(call) -> VerificationLog:
    before = set(VerificationLog.objects.values_list("pk", flat=True))
    response = call()
    after = VerificationLog.objects.exclude(pk__in=before)
    assert after.count() == 1, f"{after.count()} audit rows for one call"
    assert VerificationLog.objects.count() == len(before) + 1
    return response, after.get()


def _row_text(log: VerificationLog) -> str:
    return " ".join(str(getattr(log, f.attname)) for f in VerificationLog._meta.concrete_fields)


def _assert_key_call(log, staff, status, result):
    token = staff.tokens.get()
    assert log.user_id == staff.user_id
    assert log.facility_id == staff.facility_id
    assert log.token_id == token.pk
    assert log.channel == "api"
    assert (log.http_status, log.result) == (status, result)
    assert log.at is not None
    assert log.ip_address == "127.0.0.1"


def test_it_records_an_eligible_answer(key_desk):
    staff, desk = key_desk
    household, head, card = verified_household()

    response, log = _one_new_log(lambda: verify(desk, {"nik": head.nik}))

    assert response.status_code == 200
    _assert_key_call(log, staff, 200, "eligible")
    assert log.method == "nik"
    assert log.eligible is True
    assert (log.household_id, log.card_id) == (household.pk, card.pk)


def test_it_records_a_not_eligible_answer(key_desk):
    staff, desk = key_desk
    nik = unregistered_nik()

    response, log = _one_new_log(lambda: verify(desk, {"nik": nik}))

    assert response.status_code == 200
    _assert_key_call(log, staff, 200, "not_registered")
    assert log.eligible is False
    assert log.household_id is None


def test_it_records_a_card_number_check(key_desk):
    staff, desk = key_desk
    _household, _head, card = verified_household()

    _response, log = _one_new_log(lambda: verify(desk, {"card_number": card.number}))

    _assert_key_call(log, staff, 200, "eligible")
    assert log.method == "card_number"
    assert log.query == card.number


def test_it_records_a_qr_check_by_the_card_number_it_carries(key_desk):
    from cards.qr import qr_payload

    staff, desk = key_desk
    _household, _head, card = verified_household()

    _response, log = _one_new_log(lambda: verify(desk, {"qr": qr_payload(card.number)}))

    _assert_key_call(log, staff, 200, "eligible")
    assert log.method == "qr"
    assert card.number in log.query


def test_it_records_a_refused_input(key_desk):
    staff, desk = key_desk

    response, log = _one_new_log(lambda: verify(desk, {"nik": "3275013205800003"}))

    assert response.status_code == 400
    _assert_key_call(log, staff, 400, "invalid_input")
    assert log.method == "invalid"
    assert log.eligible is None


def test_it_records_a_call_of_a_facility_whose_agreement_lapsed(api):
    staff, key = hospital_key(hospital_user(facility(start=days(-365), end=days(-1))))
    _household, head, _card = verified_household()

    response, log = _one_new_log(lambda: verify(keyed(api, key), {"nik": head.nik}))

    assert response.status_code == 403
    _assert_key_call(log, staff, 403, "forbidden")
    assert log.eligible is None and log.household_id is None
    assert head.nik not in _row_text(log)


def test_it_records_a_call_refused_for_its_rate(key_desk, settings):
    settings.KARTUSEHAT_RATES = {**settings.KARTUSEHAT_RATES, "verify_per_token": "1/hour"}
    staff, desk = key_desk
    _household, head, _card = verified_household()
    assert verify(desk, {"nik": head.nik}).status_code == 200

    response, log = _one_new_log(lambda: verify(desk, {"nik": head.nik}))

    assert response.status_code == 429
    _assert_key_call(log, staff, 429, "rate_limited")
    assert log.eligible is None and log.household_id is None


def test_it_records_a_session_call_without_a_token():
    staff = hospital_user()
    _household, head, _card = verified_household()
    client = APIClient()
    client.force_login(staff.user)

    response, log = _one_new_log(lambda: verify(client, {"nik": head.nik}))

    assert response.status_code == 200
    assert (log.user_id, log.facility_id, log.token_id) == (staff.user_id, staff.facility_id, None)
    assert (log.channel, log.method, log.http_status, log.result) == ("api", "nik", 200, "eligible")


def test_it_stores_a_nik_only_masked_with_a_query_hash(key_desk):
    _staff, desk = key_desk
    _household, head, _card = verified_household()
    spaced = f"{head.nik[:6]} {head.nik[6:12]} {head.nik[12:]}"

    _response, log = _one_new_log(lambda: verify(desk, {"nik": spaced}))

    assert log.query == identity.mask(head.nik)
    assert len(log.query_hash) == 64
    assert head.nik not in _row_text(log)
    assert head.nik[4:12] not in _row_text(log)
    # The same NIK, typed another way, has the same hash; another NIK has another.
    _response, again = _one_new_log(lambda: verify(desk, {"nik": head.nik}))
    _response, other = _one_new_log(lambda: verify(desk, {"nik": unregistered_nik()}))
    assert again.query_hash == log.query_hash != other.query_hash


def test_it_never_keeps_the_nik_in_any_text_column(key_desk):
    _staff, desk = key_desk
    _household, head, _card = verified_household()
    verify(desk, {"nik": head.nik})

    log = VerificationLog.objects.get()
    for field in VerificationLog._meta.concrete_fields:
        if isinstance(field, (CharField, TextField)):
            assert head.nik not in str(getattr(log, field.attname)), field.name


def test_the_health_office_finds_the_checks_of_a_nik_by_the_full_nik(client, api):
    first, first_key = hospital_key(hospital_user(facility("RS Pencari Satu")))
    second, second_key = hospital_key(hospital_user(facility("RS Pencari Dua")))
    _household, head, _card = verified_household()
    _household, other, _card = verified_household()
    verify(keyed(api, first_key), {"nik": head.nik})
    verify(keyed(APIClient(), second_key), {"nik": other.nik})
    wanted = VerificationLog.objects.get(facility=first.facility)
    client.force_login(health_office_user())

    response = client.get(CHANGELIST, {"q": head.nik})
    spaced = client.get(CHANGELIST, {"q": f"{head.nik[:6]}.{head.nik[6:12]}.{head.nik[12:]}"})

    assert response.status_code == 200
    assert [log.pk for log in response.context["cl"].result_list] == [wanted.pk]
    assert [log.pk for log in spaced.context["cl"].result_list] == [wanted.pk]
    assert "RS Pencari Satu" in response.content.decode()


def test_the_health_office_sees_the_changelist(client, api):
    _staff, key = hospital_key(hospital_user(facility("RS Terlihat")))
    verify(keyed(api, key), {"nik": unregistered_nik()})
    client.force_login(health_office_user())

    response = client.get(CHANGELIST)

    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
    assert "RS Terlihat" in response.content.decode()


def test_a_hospital_user_cannot_open_the_admin(client):
    staff = hospital_user()
    client.force_login(staff.user)

    for url in ("/admin/", CHANGELIST):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/")
