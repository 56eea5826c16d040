"""More calls that each leave exactly one audit row (VerificationLog): a body
that is not JSON, revoked keys and keys of suspended users, refused NIKs (kept
masked), and every outcome of an emergency request, by the API and by the
desk page."""

import pytest
from django.contrib.auth import get_user_model

from hospitals import services
from hospitals.models import VerificationLog
from hospitals.validation import nik_search_hash
from kartusehat import identity
from tests.factories import superuser
from tests.hospitals.helpers import (
    EMERGENCY_URL,
    PASSWORD,
    VERIFY_URL,
    days,
    facility,
    hospital_key,
    hospital_user,
    keyed,
    pdf_bytes,
    unregistered_nik,
    upload,
    verified_household,
    verify,
)

pytestmark = pytest.mark.django_db

# Valid in shape (16 digits, a kecamatan of the city) but day 32 of the month.
BAD_DATE_NIK = "3275013205800003"


def one_new_log(call):
    before = set(VerificationLog.objects.values_list("pk", flat=True))
    response = call()
    after = VerificationLog.objects.exclude(pk__in=before)
    assert after.count() == 1, f"{after.count()} audit rows for one call"
    return response, after.get()


def row_text(log: VerificationLog) -> str:
    return " ".join(str(getattr(log, f.attname)) for f in VerificationLog._meta.concrete_fields)


def send(client, nik, letter=None, reason="rawat_inap"):
    return client.post(EMERGENCY_URL, {"nik": nik, "reason": reason, "letter": letter or upload(pdf_bytes())},
                       format="multipart")


@pytest.fixture
def key_desk(api):
    staff, key = hospital_key()
    keyed(api, key)
    api.staff = staff
    return api


# --- Coverage checks ----------------------------------------------------------


def test_it_answers_a_plain_text_body_with_a_400_and_records_it(key_desk):
    response, log = one_new_log(lambda: key_desk.post(VERIFY_URL, "nik=3275011505800003", content_type="text/plain"))

    assert response.status_code == 400, response.content
    assert response.json()["non_field_errors"]
    assert all(message for message in response.json()["non_field_errors"])
    assert (log.http_status, log.result, log.method, log.purpose) == (400, "invalid_input", "invalid", "verify")
    assert (log.user_id, log.facility_id) == (key_desk.staff.user_id, key_desk.staff.facility_id)
    assert log.token_id == key_desk.staff.tokens.get().pk


def test_it_records_a_revoked_key(api):
    staff, key = hospital_key()
    token = staff.tokens.get()
    services.token_revoke(token_id=token.pk, by=superuser())

    response, log = one_new_log(lambda: verify(keyed(api, key), {"nik": unregistered_nik()}))

    assert response.status_code == 401
    assert (log.token_id, log.facility_id, log.user_id) == (token.pk, staff.facility_id, staff.user_id)
    assert (log.result, log.http_status, log.channel, log.purpose) == ("key_revoked", 401, "api", "verify")
    assert log.eligible is None and log.household_id is None


def test_it_records_a_revoked_key_on_an_emergency_request(api, private_dir):
    staff, key = hospital_key()
    services.token_revoke(token_id=staff.tokens.get().pk, by=superuser())
    _household, head, _card = verified_household()

    response, log = one_new_log(lambda: send(keyed(api, key), head.nik))

    assert response.status_code == 401
    assert (log.result, log.http_status, log.purpose) == ("key_revoked", 401, "emergency")


def test_it_records_the_key_of_a_suspended_user(api):
    staff, key = hospital_key()
    # Switched off in the users' admin: the key itself was not revoked.
    get_user_model().objects.filter(pk=staff.user_id).update(is_active=False)

    response, log = one_new_log(lambda: verify(keyed(api, key), {"nik": unregistered_nik()}))

    assert response.status_code == 401
    assert (log.token_id, log.facility_id) == (staff.tokens.get().pk, staff.facility_id)
    assert (log.result, log.http_status) == ("user_suspended", 401)


def test_it_records_a_key_suspended_through_the_service_as_revoked(api):
    staff, key = hospital_key()
    services.hospital_staff_set_active(staff_id=staff.pk, active=False, by=superuser())

    response, log = one_new_log(lambda: verify(keyed(api, key), {"nik": unregistered_nik()}))

    assert response.status_code == 401
    assert (log.result, log.http_status) == ("key_revoked", 401)


def test_it_records_an_invalid_nik_by_field_and_masked(key_desk):
    response, log = one_new_log(lambda: verify(key_desk, {"nik": BAD_DATE_NIK}))

    assert response.status_code == 400
    assert "nik" in response.json()
    assert (log.method, log.result) == ("invalid", "invalid_input")
    assert log.query.startswith("nik")
    assert identity.mask(BAD_DATE_NIK) in log.query
    assert BAD_DATE_NIK not in row_text(log)
    assert BAD_DATE_NIK[4:12] not in row_text(log)


def test_it_records_an_invalid_card_number_by_field(key_desk):
    response, log = one_new_log(lambda: verify(key_desk, {"card_number": "1234"}))

    assert response.status_code == 400
    assert log.query.startswith("card_number")


# --- Emergency requests -------------------------------------------------------


def test_it_records_an_accepted_emergency_request(key_desk, private_dir):
    household, head, card = verified_household()

    response, log = one_new_log(lambda: send(key_desk, head.nik))

    assert response.status_code == 201, response.content
    assert (log.purpose, log.result, log.http_status) == ("emergency", "emergency_queued", 201)
    assert (log.household_id, log.card_id) == (household.pk, card.pk)
    assert (log.user_id, log.facility_id, log.token_id) == (
        key_desk.staff.user_id, key_desk.staff.facility_id, key_desk.staff.tokens.get().pk,
    )
    assert (log.channel, log.method) == ("api", "nik")
    assert log.query == identity.mask(head.nik)
    assert log.query_hash == nik_search_hash(head.nik)
    assert log.eligible is None  # an answer only on 200s (the table's rule)
    assert head.nik not in row_text(log)


def test_it_records_an_emergency_request_for_a_nik_not_registered(key_desk, private_dir):
    nik = unregistered_nik()

    response, log = one_new_log(lambda: send(key_desk, nik))

    assert response.status_code == 400
    assert "nik" in response.json()
    assert (log.purpose, log.http_status, log.result) == ("emergency", 400, "not_registered")
    assert log.household_id is None
    assert nik not in row_text(log)


def test_it_records_an_emergency_request_with_a_bad_letter(key_desk, private_dir):
    _household, head, _card = verified_household()

    response, log = one_new_log(lambda: send(key_desk, head.nik, upload(b"bukan surat, hanya teks\n" * 20)))

    assert response.status_code == 400
    assert "letter" in response.json()
    assert (log.purpose, log.http_status, log.result) == ("emergency", 400, "invalid_input")


def test_it_answers_an_emergency_request_in_plain_text_with_a_400_and_records_it(key_desk, private_dir):
    response, log = one_new_log(lambda: key_desk.post(EMERGENCY_URL, "nik=3275011505800003", content_type="text/plain"))

    assert response.status_code == 400, response.content
    assert response.json()["non_field_errors"]
    assert (log.purpose, log.http_status, log.result) == ("emergency", 400, "invalid_input")
    assert log.method == "invalid"  # nothing was read, so nothing was looked up by NIK
    assert log.query_hash == ""


def test_it_records_an_emergency_request_without_a_nik_as_not_readable(key_desk, private_dir):
    response, log = one_new_log(lambda: key_desk.post(
        EMERGENCY_URL, {"reason": "sakit", "letter": upload(pdf_bytes())}, format="multipart",
    ))

    assert response.status_code == 400
    assert "nik" in response.json()
    assert (log.purpose, log.result, log.method, log.query) == ("emergency", "invalid_input", "invalid", "")


def test_it_records_an_emergency_request_with_an_invalid_nik_masked(key_desk, private_dir):
    response, log = one_new_log(lambda: send(key_desk, BAD_DATE_NIK))

    assert response.status_code == 400
    assert (log.purpose, log.result, log.method) == ("emergency", "invalid_input", "invalid")
    assert identity.mask(BAD_DATE_NIK) in log.query
    assert BAD_DATE_NIK not in row_text(log)


def test_it_records_the_same_letter_sent_again(key_desk, private_dir):
    household, head, _card = verified_household()
    letter = pdf_bytes("Surat yang sama dikirim dua kali")
    first = send(key_desk, head.nik, upload(letter))
    assert first.status_code == 201

    response, log = one_new_log(lambda: send(key_desk, head.nik, upload(letter)))

    assert response.status_code == 201
    assert response.json()["id"] == first.json()["id"]
    assert (log.purpose, log.result, log.http_status) == ("emergency", "emergency_repeated", 201)
    assert log.household_id == household.pk


def test_it_records_an_emergency_request_of_a_lapsed_facility(api, private_dir):
    staff, key = hospital_key(hospital_user(facility("RS Kedaluwarsa", start=days(-365), end=days(-1))))
    _household, head, _card = verified_household()

    response, log = one_new_log(lambda: send(keyed(api, key), head.nik))

    assert response.status_code == 403
    assert (log.purpose, log.result, log.http_status) == ("emergency", "forbidden", 403)
    assert (log.facility_id, log.user_id) == (staff.facility_id, staff.user_id)
    assert log.household_id is None
    assert head.nik not in row_text(log)


# --- The desk page --------------------------------------------------------------


def desk_client(client, staff):
    response = client.post("/rs/masuk/", {"username": staff.user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_it_records_the_desk_pages_emergency_requests_as_web(client, private_dir):
    staff = hospital_user()
    desk = desk_client(client, staff)
    _household, head, _card = verified_household()

    accepted, log = one_new_log(lambda: desk.post("/rs/darurat/", {
        "nik": head.nik, "reason": "rawat_inap", "notes": "", "letter": upload(pdf_bytes()),
    }))
    refused, refused_log = one_new_log(lambda: desk.post("/rs/darurat/", {
        "nik": unregistered_nik(), "reason": "rawat_inap", "notes": "", "letter": upload(pdf_bytes("lain")),
    }))

    assert accepted.status_code == 302
    assert (log.channel, log.purpose, log.result, log.token_id) == ("web", "emergency", "emergency_queued", None)
    assert log.user_id == staff.user_id
    assert log.ip_address == "127.0.0.1"
    assert refused.status_code == 400
    assert (refused_log.channel, refused_log.purpose, refused_log.result) == ("web", "emergency", "not_registered")


def test_it_records_the_desk_pages_emergency_request_of_a_lapsed_facility(client, private_dir):
    """Like the check page: a refused desk request is a row too."""
    staff = hospital_user(facility("RS Kedaluwarsa Loket", start=days(-365), end=days(-1)))
    desk = desk_client(client, staff)
    _household, head, _card = verified_household()

    response, log = one_new_log(lambda: desk.post("/rs/darurat/", {
        "nik": head.nik, "reason": "rawat_inap", "notes": "", "letter": upload(pdf_bytes()),
    }))

    assert response.status_code == 403
    assert (log.channel, log.purpose, log.result, log.http_status) == ("web", "emergency", "forbidden", 403)
    assert log.facility_id == staff.facility_id
