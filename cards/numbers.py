"""Card numbers: ``CCCC SSSSSSSSS D``, 14 digits.

- ``CCCC``: the city's Kemendagri regency/city code without its dot
  (``32.75`` → ``3275``), so a card from another city's portal is told apart
  at a glance.
- ``SSSSSSSSS``: a 9-digit serial, zero-padded (1 to 999,999,999).
- ``D``: a Damm check digit over the 13 digits before it.

Damm rather than Luhn: Luhn misses the transposition 09 ↔ 90, Damm catches
every single-digit error and every swap of two adjacent digits, which are the
mistakes a desk clerk makes typing a number off a card.

Pure functions; only :func:`card_number` reads Django settings, and only
when no ``city_code`` is given.
"""

from __future__ import annotations

import re

from django.conf import settings

SERIAL_MAX = 999_999_999
LENGTH = 14

# A totally anti-symmetric quasigroup of order 10 (Damm, 2004). Row = interim
# digit, column = next digit; the diagonal is zero so a valid number, check
# digit included, always ends at interim 0.
_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)

# ASCII digits only: str.isdigit() and \d also accept e.g. Arabic-Indic digits.
_CANONICAL = re.compile(r"[0-9]{14}")
_CITY_CODE = re.compile(r"[0-9]{2}\.?[0-9]{2}")
# What people type between groups or what a photocopy of a card introduces.
_SEPARATORS = re.compile(r"[\s.\-\u2010-\u2015]")


def damm_check_digit(digits: str) -> str:
    """The Damm check digit of a string of ASCII digits."""
    interim = 0
    for char in digits:
        interim = _DAMM[interim][ord(char) - 48]
    return chr(interim + 48)


def card_number(serial: int, *, city_code: str | None = None) -> str:
    """The 14-digit card number of ``serial`` in the city ``city_code``.

    ``city_code`` is a Kemendagri regency/city code, with or without its dot
    (``"32.75"`` or ``"3275"``); the default is ``settings.CITY_REGION_CODE``.
    """
    if city_code is None:
        city_code = settings.CITY_REGION_CODE
    if not isinstance(city_code, str) or _CITY_CODE.fullmatch(city_code) is None:
        raise ValueError(f"city_code must look like 32.75 or 3275, not {city_code!r}")
    # bool is an int; True as a serial is a bug upstream, not serial 1.
    if isinstance(serial, bool) or not isinstance(serial, int) or not 1 <= serial <= SERIAL_MAX:
        raise ValueError(f"serial must be an integer from 1 to {SERIAL_MAX}, not {serial!r}")
    body = city_code.replace(".", "") + f"{serial:09d}"
    return body + damm_check_digit(body)


def is_valid_card_number(text: object) -> bool:
    """Whether ``text`` is a card number in canonical form (14 ASCII digits, check digit right)."""
    if not isinstance(text, str) or _CANONICAL.fullmatch(text) is None:
        return False
    interim = 0
    for char in text:
        interim = _DAMM[interim][ord(char) - 48]
    return interim == 0


def normalize_card_number(raw: object) -> str:
    """``raw`` as typed or scanned, in canonical form; ``""`` when it is not a valid card number.

    Spaces, dots and dashes are dropped, so ``"3275 0000 0012 34"`` and
    ``"3275-0000-0012-34"`` both give ``"32750000001234"``.
    """
    if not isinstance(raw, str):
        return ""
    candidate = _SEPARATORS.sub("", raw)
    return candidate if is_valid_card_number(candidate) else ""


def format_card_number(number: str) -> str:
    """``number`` for display, in groups of four: ``"3275 0000 0012 34"``.

    Raises ``ValueError`` for anything that is not a valid card number: a
    wrong number must never reach a printed card looking right.
    """
    canonical = normalize_card_number(number)
    if not canonical:
        raise ValueError(f"not a valid card number: {number!r}")
    return " ".join(canonical[i : i + 4] for i in range(0, LENGTH, 4))
