"""The QR text carries the card number and its signature, nothing else, and verifies back."""

import re

import pytest

from cards.numbers import card_number
from cards.qr import qr_payload, qr_verify

NUMBER = card_number(123, city_code="32.75")


def test_it_verifies_its_own_payload_back_to_the_card_number():
    assert qr_verify(qr_payload(NUMBER)) == NUMBER


def test_it_holds_only_the_number_and_a_short_signature_in_qr_alphanumeric_characters():
    payload = qr_payload(NUMBER)

    assert re.fullmatch(rf"KS1\.{NUMBER}\.[A-Z2-7]{{16}}", payload)
    # Digits, capitals and "." only: QR alphanumeric mode, a small symbol.
    assert set(payload) <= set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
    assert len(payload) == 35


def test_it_signs_each_number_differently():
    other = card_number(124, city_code="32.75")

    assert qr_payload(NUMBER).split(".")[2] != qr_payload(other).split(".")[2]


@pytest.mark.parametrize("scanned", [lambda p: p + "\r\n", lambda p: p.lower(), lambda p: p.encode("ascii")])
def test_it_accepts_what_keyboard_wedge_scanners_send(scanned):
    assert qr_verify(scanned(qr_payload(NUMBER))) == NUMBER


def test_it_refuses_to_sign_an_invalid_number():
    with pytest.raises(ValueError):
        qr_payload(NUMBER[:-1] + str((int(NUMBER[-1]) + 1) % 10))
