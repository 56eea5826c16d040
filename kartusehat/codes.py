"""Random codes people read off a receipt or a phone screen and type back:
registration references (``KS-…``) and complaint tickets (``ADU-…``)."""

from __future__ import annotations

import secrets

# Crockford base32: no I, L, O or U, so a code read aloud or typed from a
# receipt is not misread.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def random_code(prefix: str, length: int) -> str:
    """``PREFIX-XXXX-XXXX…``: ``length`` random Crockford characters in groups of 4."""
    chars = "".join(secrets.choice(ALPHABET) for _ in range(length))
    return "-".join([prefix, *(chars[i:i + 4] for i in range(0, length, 4))])


def normalize_code(raw: object, prefix: str, length: int) -> str:
    """Accept a code as people type it: any case, spaces, O for 0; "" if it is not one."""
    text = "".join(ch for ch in str(raw or "").upper() if ch.isalnum())
    text = text.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))
    if text.startswith(prefix):
        text = text[len(prefix):]
    if len(text) != length or any(ch not in ALPHABET for ch in text):
        return ""
    return "-".join([prefix, *(text[i:i + 4] for i in range(0, length, 4))])
