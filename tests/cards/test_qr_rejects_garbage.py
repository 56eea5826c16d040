"""Anything that is not a card QR at all fails as "malformed"."""

import pytest

from cards.numbers import card_number
from cards.qr import QrInvalid, qr_payload, qr_verify

NUMBER = card_number(123, city_code="32.75")
GOOD = qr_payload(NUMBER)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "hello",
        "https://example.com/kartu?no=" + NUMBER,
        NUMBER,
        GOOD.replace("KS1.", "KS2."),
        GOOD.replace(".", ":"),
        GOOD[:-1],
        GOOD + "A",
        GOOD.replace(NUMBER, NUMBER[:-1]),
        # A number whose check digit is wrong is not a card number, signed or not.
        GOOD.replace(NUMBER, NUMBER[:-1] + str((int(NUMBER[-1]) + 1) % 10)),
        GOOD[:-1] + "1",  # "1" is not in base32
        GOOD + "\x00",
        "KS1." + "9" * 5000,
        b"\xff\xfe",
        None,
        12345,
    ],
)
def test_it_calls_anything_else_malformed(text):
    with pytest.raises(QrInvalid) as excinfo:
        qr_verify(text)

    assert excinfo.value.reason == "malformed"
