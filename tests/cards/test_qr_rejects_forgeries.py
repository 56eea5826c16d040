"""A changed number, a changed signature or another key's signature fails as "bad_signature"."""

import hmac

import pytest
from django.test import override_settings

from cards.numbers import card_number
from cards.qr import QrInvalid, qr_payload, qr_verify

NUMBER = card_number(123, city_code="32.75")


def reason(text) -> str:
    with pytest.raises(QrInvalid) as excinfo:
        qr_verify(text)
    return excinfo.value.reason


def test_it_rejects_another_valid_card_number_under_this_signature():
    prefix, _number, signature = qr_payload(NUMBER).split(".")
    other = card_number(124, city_code="32.75")

    assert reason(f"{prefix}.{other}.{signature}") == "bad_signature"


def test_it_rejects_any_single_changed_signature_character():
    payload = qr_payload(NUMBER)
    for position in range(len(payload) - 16, len(payload)):
        replacement = "A" if payload[position] != "A" else "B"
        assert reason(payload[:position] + replacement + payload[position + 1 :]) == "bad_signature"


def test_it_rejects_a_signature_made_with_another_key():
    with override_settings(SIGNING_KEY="another-key-" + "x" * 40):
        forged = qr_payload(NUMBER)

    assert forged != qr_payload(NUMBER)
    assert reason(forged) == "bad_signature"


def test_it_compares_signatures_in_constant_time(monkeypatch):
    calls = []
    real = hmac.compare_digest

    def spy(a, b):
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    qr_verify(qr_payload(NUMBER))

    assert len(calls) == 1
