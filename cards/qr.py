"""The card's QR payload: the card number and a signature, nothing else.

``KS1.<14-digit card number>.<16 base32 characters>``, e.g.
``KS1.32750000000125.7QK2M4XJ3DPA5ZRT`` (35 characters). The signature is the
first 80 bits of HMAC-SHA256 under ``settings.SIGNING_KEY``: a hospital desk
tells a forged QR from a real one without the card carrying any personal
data (UU No. 27/2022), and 80 bits cannot be guessed online.

Every character is in the QR alphanumeric set (digits, A-Z, ``.``), so the
payload fits a version 2 symbol (25 × 25 modules) at error correction M: small
enough to print at 0.5 mm per module on the card.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

from django.conf import settings

from .numbers import is_valid_card_number

PREFIX = "KS1"
SIGNATURE_LENGTH = 16
# Domain separation: SIGNING_KEY signs other tokens too, and none of their
# signatures may double as a card's.
_CONTEXT = b"kartusehat/card-qr/v1:"
_PAYLOAD = re.compile(r"KS1\.([0-9]{14})\.([A-Z2-7]{16})")
# Longest text worth parsing; anything longer is not ours.
_MAX_INPUT = 100


class QrInvalid(ValueError):
    """A scanned QR that is not a genuine card's; ``reason`` is ``"malformed"`` or ``"bad_signature"``."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _signature(card_number: str) -> str:
    digest = hmac.digest(settings.SIGNING_KEY.encode("utf-8"), _CONTEXT + card_number.encode("ascii"), hashlib.sha256)
    return base64.b32encode(digest)[:SIGNATURE_LENGTH].decode("ascii")


def qr_payload(card_number: str) -> str:
    """The signed QR text of a canonical card number."""
    if not is_valid_card_number(card_number):
        raise ValueError(f"not a valid card number: {card_number!r}")
    return f"{PREFIX}.{card_number}.{_signature(card_number)}"


def qr_verify(text: str | bytes) -> str:
    """The card number in a scanned QR text, or :class:`QrInvalid` if it is not genuine.

    Case and surrounding whitespace are ignored: keyboard-wedge scanners add
    a line end and some flip case.
    """
    if isinstance(text, bytes):
        try:
            text = text.decode("ascii")
        except UnicodeDecodeError:
            raise QrInvalid("malformed") from None
    if not isinstance(text, str) or len(text) > _MAX_INPUT:
        raise QrInvalid("malformed")
    match = _PAYLOAD.fullmatch(text.strip().upper())
    if match is None or not is_valid_card_number(match[1]):
        raise QrInvalid("malformed")
    number, signature = match[1], match[2]
    if not hmac.compare_digest(signature, _signature(number)):
        raise QrInvalid("bad_signature")
    return number
