"""POST /api/v1/verify/ by scanned QR text: a genuine QR is the card; a forged
or altered one is reported as such; text that is not a card's QR is refused."""

import pytest
from django.test import override_settings

from cards.numbers import card_number, is_valid_card_number
from cards.qr import qr_payload
from hospitals.models import VerificationLog
from hospitals.selectors import partial_name
from tests.hospitals.helpers import hospital_key, keyed, revoke, verified_household, verify

pytestmark = pytest.mark.django_db

BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


@pytest.fixture
def desk(api):
    _staff, key = hospital_key()
    return keyed(api, key)


def _assert_forged(response):
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["eligible"], body["reason_code"]) == (False, "qr_forged")
    assert body["reason"]
    assert body["card"] is None and body["member"] is None and body["household"] is None
    assert VerificationLog.objects.get().result == "qr_forged"


def test_it_answers_eligible_for_a_genuine_qr(desk):
    household, _head, card = verified_household(size=2)

    response = verify(desk, {"qr": qr_payload(card.number)})

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["eligible"], body["reason_code"]) == (True, "eligible")
    assert body["card"] == {"number": card.number, "status": "queued"}
    assert body["member"] is None
    assert [m["full_name"] for m in body["members"]] == list(map(partial_name,
        household.members.filter(end_date__isnull=True).order_by("id").values_list("full_name", flat=True))
    )


@pytest.mark.parametrize("scanned", [
    lambda qr: qr.lower(),
    lambda qr: f"  {qr}\n",
    lambda qr: f"{qr.lower()}\r\n",
])
def test_it_accepts_what_a_scanner_types(desk, scanned):
    _household, _head, card = verified_household()

    body = verify(desk, {"qr": scanned(qr_payload(card.number))}).json()

    assert body["eligible"] is True
    assert body["card"]["number"] == card.number


def test_it_reports_a_qr_with_one_signature_character_changed(desk):
    _household, _head, card = verified_household()
    qr = qr_payload(card.number)
    last = qr[-1]
    altered = qr[:-1] + BASE32[(BASE32.index(last) + 1) % 32]

    _assert_forged(verify(desk, {"qr": altered}))


def test_it_reports_a_qr_whose_number_was_changed_to_another_valid_number(desk):
    _household, _head, card = verified_household()
    _prefix, _number, signature = qr_payload(card.number).split(".")
    other = card_number(card.pk + 1)

    _assert_forged(verify(desk, {"qr": f"KS1.{other}.{signature}"}))


def test_it_reports_a_qr_whose_number_was_altered_as_forged(desk):
    # Another valid card number (check digit and all) under the old signature.
    _household, _head, card = verified_household()
    other = card_number(int(card.number[4:13]) + 1)
    altered = qr_payload(card.number).replace(card.number, other)
    assert other != card.number and is_valid_card_number(other)

    _assert_forged(verify(desk, {"qr": altered}))


def test_it_asks_to_scan_again_when_a_digit_was_misread(desk):
    # A misread digit breaks the check digit: a bad scan, not a verdict on the card.
    _household, _head, card = verified_household()
    qr = qr_payload(card.number)
    position = 4 + 10  # a digit of the serial
    misread = qr[:position] + str((int(qr[position]) + 1) % 10) + qr[position + 1:]

    response = verify(desk, {"qr": misread})

    assert response.status_code == 400, response.content
    assert list(response.json()) == ["qr"]
    assert VerificationLog.objects.get().result == "invalid_input"


def test_it_reports_a_qr_signed_with_another_key(desk):
    _household, _head, card = verified_household()
    with override_settings(SIGNING_KEY="another-city-" + "x" * 40):
        foreign = qr_payload(card.number)
    assert foreign != qr_payload(card.number)

    _assert_forged(verify(desk, {"qr": foreign}))


def test_it_answers_card_revoked_for_a_genuine_qr_of_a_revoked_card(desk):
    _household, _head, card = verified_household()
    revoke(card)

    response = verify(desk, {"qr": qr_payload(card.number)})

    assert response.status_code == 200
    body = response.json()
    assert (body["eligible"], body["reason_code"]) == (False, "card_revoked")
    assert body["card"] == {"number": card.number, "status": "revoked"}


@pytest.mark.parametrize("text", ["https://example.com", "0001234567890", "BPJS 0001234567890"])
def test_it_refuses_text_that_is_not_a_kartu_sehat_qr(desk, text):
    response = verify(desk, {"qr": text})

    assert response.status_code == 400, response.content
    body = response.json()
    assert list(body) == ["qr"]
    assert body["qr"] and all(body["qr"])
