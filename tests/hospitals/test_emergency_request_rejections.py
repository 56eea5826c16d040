"""Refused emergency requests: a clear message on the field at fault, and
nothing written (no request row, no letter file, the card still regular)."""

import random

import pytest

from cards.models import Card
from hospitals import services as hospital_services
from hospitals.models import EmergencyRequest
from registrations import services as registration_services
from registrations.models import Household
from tests.api.helpers import files_under
from tests.factories import superuser
from tests.hospitals.helpers import (
    EMERGENCY_URL,
    days,
    facility,
    hospital_key,
    hospital_user,
    keyed,
    pdf_bytes,
    png_bytes,
    print_office_token,
    rejected_registration,
    revoke,
    unregistered_nik,
    upload,
    verified_household,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(api):
    _staff, key = hospital_key()
    return keyed(api, key)


@pytest.fixture
def patient():
    """(head, card) of a verified household whose card is queued at regular priority."""
    _household, head, card = verified_household()
    return head, card


def post(client, **fields):
    return client.post(EMERGENCY_URL, fields, format="multipart")


def assert_nothing_written(private_dir, card=None):
    assert EmergencyRequest.objects.count() == 0
    assert files_under(private_dir) == []
    if card is not None:
        card = Card.objects.get(pk=card.pk)
        assert (card.priority, card.reason, card.raised_at) == ("regular", "", None)


def refused_on(response, field: str) -> str:
    assert response.status_code == 400, (response.status_code, response.content)
    errors = response.json()
    assert field in errors, errors
    messages = errors[field]
    assert isinstance(messages, list) and messages and all(isinstance(m, str) and m.strip() for m in messages), errors
    return " ".join(messages)


# --- Bad letters ----------------------------------------------------------------


@pytest.mark.parametrize(
    "letter",
    [
        pytest.param(lambda: upload(b"Surat keterangan rawat inap, ditandatangani dokter jaga.\n" * 20),
            id="text-named-pdf"),
        pytest.param(lambda: upload(png_bytes(), "surat.pdf", "application/pdf"), id="png-named-pdf"),
        pytest.param(lambda: upload(pdf_bytes()[:-200]), id="pdf-truncated-without-eof"),
        pytest.param(lambda: upload(b""), id="empty-file"),
        pytest.param(
            lambda: upload(pdf_bytes(), "surat.docx",
                           "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            id="docx-name",
        ),
        pytest.param(lambda: upload(b"PK\x03\x04" + b"\0" * 400, "surat.docx", "application/octet-stream"),
                     id="real-docx-content"),
        pytest.param(lambda: upload(png_bytes()[:300], "surat.png", "image/png"), id="png-truncated"),
    ],
)
def test_it_refuses_a_bad_letter_and_writes_nothing(desk, patient, private_dir, letter):
    head, card = patient

    response = post(desk, nik=head.nik, reason="rawat_inap", letter=letter())

    refused_on(response, "letter")
    assert_nothing_written(private_dir, card)


def test_it_refuses_a_pdf_without_its_end_marker(desk, patient, private_dir):
    head, card = patient
    data = pdf_bytes()
    assert b"%%EOF" in data
    truncated = data[: data.rindex(b"%%EOF")]

    response = post(desk, nik=head.nik, reason="rawat_inap", letter=upload(truncated))

    refused_on(response, "letter")
    assert_nothing_written(private_dir, card)


def test_it_refuses_a_letter_over_the_size_limit_and_names_the_limit(desk, patient, private_dir, settings):
    head, card = patient
    settings.UPLOAD_MAX_BYTES = 2000
    noise = random.Random(5)
    big = pdf_bytes("".join(noise.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(6000)))
    assert len(big) > 2000

    response = post(desk, nik=head.nik, reason="rawat_inap", letter=upload(big))

    message = refused_on(response, "letter")
    assert "KB" in message.upper(), message  # the sizes, as filesizeformat writes them
    assert_nothing_written(private_dir, card)


def test_it_accepts_the_same_letter_under_the_limit(desk, patient, private_dir, settings):
    # The size check refuses by size, not by kind: a small letter passes.
    head, _card = patient
    settings.UPLOAD_MAX_BYTES = 20000

    response = post(desk, nik=head.nik, reason="rawat_inap", letter=upload(pdf_bytes()))

    assert response.status_code == 201, response.content


def test_it_refuses_a_request_without_a_letter(desk, patient, private_dir):
    head, card = patient

    response = post(desk, nik=head.nik, reason="rawat_inap")

    refused_on(response, "letter")
    assert_nothing_written(private_dir, card)


def test_it_refuses_a_letter_sent_as_a_text_field(desk, patient, private_dir):
    head, card = patient

    response = post(desk, nik=head.nik, reason="rawat_inap", letter=pdf_bytes().decode("latin-1"))

    refused_on(response, "letter")
    assert_nothing_written(private_dir, card)


# --- Bad fields -------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "darurat", "RAWAT_INAP", "melahirkan"])
def test_it_refuses_a_reason_that_is_not_one_of_the_three(desk, patient, private_dir, reason):
    head, card = patient

    response = post(desk, nik=head.nik, reason=reason, letter=upload(pdf_bytes()))

    refused_on(response, "reason")
    assert_nothing_written(private_dir, card)


def test_it_refuses_a_request_without_a_reason(desk, patient, private_dir):
    head, card = patient

    response = post(desk, nik=head.nik, letter=upload(pdf_bytes()))

    refused_on(response, "reason")
    assert_nothing_written(private_dir, card)


@pytest.mark.parametrize("nik", ["", "123", "32750115058000031", "3275abcd15058000", "0000000000000000"])
def test_it_refuses_an_invalid_nik(desk, patient, private_dir, nik):
    _head, card = patient

    response = post(desk, nik=nik, reason="rawat_inap", letter=upload(pdf_bytes()))

    refused_on(response, "nik")
    assert_nothing_written(private_dir, card)


def test_it_refuses_a_nik_that_is_in_no_household(desk, patient, private_dir):
    _head, card = patient

    response = post(desk, nik=unregistered_nik(), reason="rawat_inap", letter=upload(pdf_bytes()))

    refused_on(response, "nik")
    assert_nothing_written(private_dir, card)


def test_it_refuses_a_nik_only_in_a_rejected_registration(desk, private_dir):
    _registration, head = rejected_registration()

    response = post(desk, nik=head.nik, reason="rawat_inap", letter=upload(pdf_bytes()))

    refused_on(response, "nik")
    assert_nothing_written(private_dir)
    assert Card.objects.count() == 0


def test_it_refuses_notes_over_a_thousand_characters(desk, patient, private_dir):
    head, card = patient

    response = post(desk, nik=head.nik, reason="rawat_inap", letter=upload(pdf_bytes()), notes="x" * 1001)

    refused_on(response, "notes")
    assert_nothing_written(private_dir, card)


def test_it_accepts_notes_of_exactly_a_thousand_characters(desk, patient, private_dir):
    head, _card = patient

    response = post(desk, nik=head.nik, reason="rawat_inap", letter=upload(pdf_bytes()), notes="x" * 1000)

    assert response.status_code == 201, response.content


def test_it_reports_every_bad_field_at_once(desk, private_dir):
    response = post(desk, nik="123", reason="darurat", letter=upload(b"bukan pdf"))

    for field in ("nik", "reason", "letter"):
        refused_on(response, field)
    assert_nothing_written(private_dir)


# --- Who may ask --------------------------------------------------------------------


def test_it_forbids_a_key_of_a_facility_whose_agreement_lapsed(api, patient, private_dir):
    head, card = patient
    lapsed = facility(start=days(-400), end=days(-1))
    _staff, key = hospital_key(hospital_user(lapsed))

    response = post(keyed(api, key), nik=head.nik, reason="rawat_inap", letter=upload(pdf_bytes()))

    assert response.status_code == 403, response.content
    assert lapsed.name in response.json()["detail"]
    assert_nothing_written(private_dir, card)


def test_it_asks_for_credentials_without_a_key(api, patient, private_dir):
    head, card = patient

    response = post(api, nik=head.nik, reason="rawat_inap", letter=upload(pdf_bytes()))

    assert response.status_code == 401, response.content
    assert_nothing_written(private_dir, card)


def test_it_refuses_an_unknown_key(api, patient, private_dir):
    head, card = patient

    response = post(keyed(api, "ksrs_bukan-kunci-yang-pernah-dibuat"), nik=head.nik, reason="rawat_inap",
                    letter=upload(pdf_bytes()))

    assert response.status_code == 401, response.content
    assert_nothing_written(private_dir, card)


def test_it_refuses_a_member_of_an_inactive_household(desk, patient, private_dir):
    head, card = patient
    Household.objects.filter(pk=card.household_id).update(status=Household.Status.INACTIVE)

    response = post(desk, nik=head.nik, reason="rawat_inap", letter=upload(pdf_bytes()))

    refused_on(response, "nik")
    assert_nothing_written(private_dir, card)


def test_it_refuses_an_inactive_household_whose_card_was_revoked(desk, patient, private_dir):
    head, card = patient
    Household.objects.filter(pk=card.household_id).update(status=Household.Status.INACTIVE)
    revoke(card)

    response = post(desk, nik=head.nik, reason="rawat_inap", letter=upload(pdf_bytes()))

    refused_on(response, "nik")
    assert EmergencyRequest.objects.count() == 0 and files_under(private_dir) == []
    assert list(Card.objects.filter(household_id=card.household_id).values_list("pk", flat=True)) == [card.pk]


def test_it_refuses_a_member_whose_membership_ended(desk, private_dir):
    household, _head, card = verified_household(size=3)
    child = household.members.exclude(relationship="kepala_keluarga").first()
    registration_services.member_end(member_id=child.pk, by=superuser(), reason="Pindah KK")

    response = post(desk, nik=child.nik, reason="rawat_inap", letter=upload(pdf_bytes()))

    refused_on(response, "nik")
    assert_nothing_written(private_dir, card)


def test_it_forbids_a_print_office_token(api, patient, private_dir):
    head, card = patient

    response = post(keyed(api, print_office_token()), nik=head.nik, reason="rawat_inap", letter=upload(pdf_bytes()))

    assert response.status_code == 403, response.content
    assert response.json()["detail"]
    assert_nothing_written(private_dir, card)


def test_it_forbids_a_revoked_key(api, patient, private_dir):
    head, card = patient
    staff, key = hospital_key()
    token = staff.tokens.get()
    hospital_services.token_revoke(token_id=token.pk, by=superuser())

    response = post(keyed(api, key), nik=head.nik, reason="rawat_inap", letter=upload(pdf_bytes()))

    assert response.status_code in (401, 403), response.content
    assert_nothing_written(private_dir, card)


def test_it_forbids_a_suspended_hospital_user(api, patient, private_dir):
    head, card = patient
    staff, key = hospital_key()
    hospital_services.hospital_staff_set_active(staff_id=staff.pk, active=False, by=superuser())

    response = post(keyed(api, key), nik=head.nik, reason="rawat_inap", letter=upload(pdf_bytes()))

    assert response.status_code in (401, 403), response.content
    assert_nothing_written(private_dir, card)


def test_it_refuses_past_the_per_key_rate_and_writes_nothing_more(desk, patient, private_dir, settings):
    head, card = patient
    settings.KARTUSEHAT_RATES = {**settings.KARTUSEHAT_RATES, "emergency_requests_per_token": "2/hour"}

    statuses = [
        post(desk, nik=head.nik, reason="rawat_inap", letter=upload(pdf_bytes(f"Surat {n}"))).status_code
        for n in range(3)
    ]

    assert statuses == [201, 201, 429]
    assert EmergencyRequest.objects.count() == 2
    assert len(files_under(private_dir)) == 2
