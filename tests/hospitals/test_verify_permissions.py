"""Who may check coverage: hospital users of a facility with an agreement in
force today, by key or by login. Anyone else gets 401 or 403, and a hospital
key opens no other endpoint."""

import pytest
from rest_framework.test import APIClient

from cards.models import Batch
from hospitals import services
from hospitals.models import ApiToken, VerificationLog
from tests.factories import KRANJI, blanko, staff_user, superuser
from tests.hospitals.helpers import (
    days,
    facility,
    hospital_key,
    hospital_user,
    keyed,
    print_office_token,
    verified_household,
    verify,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def nik():
    _household, head, _card = verified_household()
    return head.nik


def _assert_no_answer(response, status: int):
    assert response.status_code == status, response.content
    body = response.json()
    assert "eligible" not in body and "member" not in body
    assert isinstance(body.get("detail"), str) and body["detail"]
    return body


def _session(user) -> APIClient:
    client = APIClient(enforce_csrf_checks=False)
    client.force_login(user)
    return client


def test_it_answers_a_valid_hospital_key(api, nik):
    _staff, key = hospital_key()

    assert verify(keyed(api, key), {"nik": nik}).status_code == 200


def test_it_asks_for_credentials_without_authorization(api, nik):
    response = verify(api, {"nik": nik})

    _assert_no_answer(response, 401)
    assert response.has_header("WWW-Authenticate")
    assert not VerificationLog.objects.exists()


def test_it_refuses_a_token_of_the_print_office(api, nik):
    _assert_no_answer(verify(keyed(api, print_office_token()), {"nik": nik}), 403)


def test_it_refuses_a_key_of_a_facility_whose_agreement_lapsed_yesterday(api, nik):
    lapsed = facility("RS Lewat Masa", start=days(-365), end=days(-1))
    _staff, key = hospital_key(hospital_user(lapsed))

    body = _assert_no_answer(verify(keyed(api, key), {"nik": nik}), 403)

    assert "RS Lewat Masa" in body["detail"]


def test_it_answers_a_facility_whose_agreement_ends_today(api, nik):
    ending = facility(start=days(-365), end=days(0))
    _staff, key = hospital_key(hospital_user(ending))

    assert verify(keyed(api, key), {"nik": nik}).status_code == 200


def test_it_refuses_a_key_of_a_facility_whose_agreement_starts_tomorrow(api, nik):
    early = facility("RS Belum Mulai", start=days(1), end=days(365))
    _staff, key = hospital_key(hospital_user(early))

    body = _assert_no_answer(verify(keyed(api, key), {"nik": nik}), 403)

    assert "RS Belum Mulai" in body["detail"]


def test_it_refuses_a_key_of_a_facility_without_any_agreement(api, nik):
    _staff, key = hospital_key(hospital_user(facility(agreement=False)))

    _assert_no_answer(verify(keyed(api, key), {"nik": nik}), 403)


def test_it_refuses_a_revoked_key(api, nik):
    _staff, key = hospital_key()
    services.token_revoke(token_id=ApiToken.objects.get().pk, by=superuser())

    _assert_no_answer(verify(keyed(api, key), {"nik": nik}), 401)


def test_it_refuses_an_unknown_key(api, nik):
    _assert_no_answer(verify(keyed(api, "ksrs_" + "A" * 40), {"nik": nik}), 401)


def test_it_refuses_a_key_of_a_suspended_hospital_user(api, nik):
    staff, key = hospital_key()
    services.hospital_staff_set_active(staff_id=staff.pk, active=False, by=superuser())

    _assert_no_answer(verify(keyed(api, key), {"nik": nik}), 401)


def test_it_refuses_a_kelurahan_staff_session(nik):
    _assert_no_answer(verify(_session(staff_user(KRANJI)), {"nik": nik}), 403)


def test_it_refuses_a_superuser_session(nik):
    _assert_no_answer(verify(_session(superuser()), {"nik": nik}), 403)


def test_it_answers_a_hospital_user_logged_in_by_session(nik):
    staff = hospital_user()

    response = verify(_session(staff.user), {"nik": nik})

    assert response.status_code == 200, response.content
    assert response.json()["eligible"] is True


def test_it_refuses_a_session_of_a_hospital_user_whose_agreement_lapsed(nik):
    staff = hospital_user(facility(start=days(-30), end=days(-1)))

    _assert_no_answer(verify(_session(staff.user), {"nik": nik}), 403)


def test_a_hospital_key_does_not_open_the_stock(api):
    blanko(50, emergency_reserve=10)
    _staff, key = hospital_key()

    response = keyed(api, key).get("/api/v1/stock/")

    assert response.status_code in (401, 403)
    assert "on_hand" not in response.json()


def test_a_hospital_key_does_not_create_a_print_batch(api, django_capture_on_commit_callbacks):
    blanko(50, emergency_reserve=10)
    verified_household()
    _staff, key = hospital_key()

    with django_capture_on_commit_callbacks(execute=False):
        response = keyed(api, key).post("/api/v1/print-batches/", {"size": 5}, format="json")

    assert response.status_code in (401, 403)
    assert not Batch.objects.exists()
