"""POST /api/v1/verify/ refuses malformed input with a 400 in the contract's
shape, answers nothing, and still records the call once."""

import json

import pytest

from hospitals.models import VerificationLog
from tests.hospitals.helpers import VERIFY_URL, hospital_key, keyed, verified_household, verify

pytestmark = pytest.mark.django_db

ANSWER_KEYS = {"eligible", "reason", "reason_code", "card", "member", "household", "members"}


@pytest.fixture
def desk(api):
    _staff, key = hospital_key()
    return keyed(api, key)


@pytest.fixture
def nik():
    _household, head, _card = verified_household()
    return head.nik


def _assert_refused(response, field: str):
    assert response.status_code == 400, response.content
    body = response.json()
    assert isinstance(body, dict)
    assert list(body) == [field]
    assert isinstance(body[field], list) and body[field]
    assert all(isinstance(message, str) and message for message in body[field])
    assert not ANSWER_KEYS & set(body)
    log = VerificationLog.objects.get()
    assert (log.http_status, log.result, log.eligible) == (400, "invalid_input", None)
    assert log.household_id is None and log.card_id is None
    return body


def _raw(client, text: str):
    return client.post(VERIFY_URL, text, content_type="application/json")


def test_it_refuses_an_empty_body(desk):
    _assert_refused(verify(desk, {}), "non_field_errors")


def test_it_refuses_a_body_with_nothing_in_it(desk):
    _assert_refused(desk.post(VERIFY_URL, b"", content_type="application/json"), "non_field_errors")


def test_it_refuses_empty_values(desk):
    _assert_refused(verify(desk, {"nik": "", "card_number": None}), "non_field_errors")


def test_it_refuses_two_fields_at_once(desk, nik):
    _household, _head, card = verified_household()

    _assert_refused(verify(desk, {"nik": nik, "card_number": card.number}), "non_field_errors")


def test_it_refuses_three_fields_at_once(desk, nik):
    from cards.qr import qr_payload

    _household, _head, card = verified_household()

    _assert_refused(
        verify(desk, {"nik": nik, "card_number": card.number, "qr": qr_payload(card.number)}), "non_field_errors"
    )


@pytest.mark.parametrize("body", [["nik"], "3275011505800003", 42, None])
def test_it_refuses_json_that_is_not_an_object(desk, body):
    _assert_refused(_raw(desk, json.dumps(body)), "non_field_errors")


@pytest.mark.parametrize("text", ['{"nik": ', "{nik: 1}", "not json", '{"nik": "1"}}'])
def test_it_refuses_malformed_json(desk, text):
    _assert_refused(_raw(desk, text), "non_field_errors")


@pytest.mark.parametrize("value", [3275011505800003, ["3275011505800003"], {"nik": "x"}, True])
def test_it_refuses_a_nik_that_is_not_text(desk, value):
    _assert_refused(verify(desk, {"nik": value}), "nik")


@pytest.mark.parametrize("value", [32750000000125, ["32750000000125"]])
def test_it_refuses_a_card_number_that_is_not_text(desk, value):
    _assert_refused(verify(desk, {"card_number": value}), "card_number")


def test_it_refuses_a_qr_that_is_not_text(desk):
    _assert_refused(verify(desk, {"qr": 12345}), "qr")


@pytest.mark.parametrize("value", [
    "9999011505800003",  # no such region
    "3275013205800003",  # day 32
    "3275011513800003",  # month 13
    "3275011505800000",  # serial 0000
    "327501150580",      # too short
    "32750115058000031",  # too long
    "3275O11505800003",  # a letter O
])
def test_it_refuses_an_invalid_nik(desk, value):
    _assert_refused(verify(desk, {"nik": value}), "nik")


@pytest.mark.parametrize("field,value", [
    ("nik", "3275011505800003\x00"),
    ("nik", "3275\x0011505800003"),
    ("card_number", "3275\x1b0000000125"),
    ("qr", "KS1.32750000000125.\x007QK2M4XJ3DPA5ZR"),
    ("nik", "3275011505\x7f800003"),
])
def test_it_refuses_control_characters(desk, field, value):
    _assert_refused(verify(desk, {field: value}), field)


def test_it_does_not_log_the_refused_nik_in_clear(desk, nik):
    verify(desk, {"nik": nik, "card_number": "x"})

    log = VerificationLog.objects.get()
    assert log.method == "invalid"
    assert nik not in log.query
