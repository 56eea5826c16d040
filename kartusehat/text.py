"""Text and contact details as people type them: the rules every app shares.

Names, phone numbers, RT/RW, dates and free text reach the portal from the
citizen form, the API, the admin, hospital systems and imports. Each rule is
written once, here, and each refusal has one message (Bahasa Indonesia in the
catalogue, English in the code).
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _

from . import identity

# Control characters are never part of a name, an address or a note;
# PostgreSQL refuses NUL outright, so they are caught before the database.
# Tabs and line breaks are allowed (notes, messages); lone surrogates
# (possible in JSON) cannot even be encoded for the database.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
# In a one-line value (a search term, a scanned code) no control character
# means anything, line breaks and tabs included.
ANY_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")

# A person's name as on the KK or e-KTP: letters, with spaces, dots, commas,
# apostrophes and dashes between them.
NAME_PATTERN = re.compile(r"^[^\W\d_]+(?:[ .,'\u2019-]+[^\W\d_]+)*[.]?$")
NAME_MAX = 150
# A mobile number as stored: ``+628…`` (database check constraints).
PHONE_E164 = r"^\+628[0-9]{7,11}$"


def single_spaced(raw: object) -> str:
    return " ".join(str(raw or "").split())


def one_line(raw: object) -> str:
    """A search term or scanned code: control characters dropped, trimmed."""
    return ANY_CONTROL_CHARS.sub("", str(raw or "")).strip()


def is_text(raw: object, *, numbers: bool = False) -> bool:
    """A string (or nothing); where people may send digits as a JSON number, an int too."""
    if raw is None or isinstance(raw, str):
        return True
    return numbers and isinstance(raw, int) and not isinstance(raw, bool)


def has_control_chars(raw: object) -> bool:
    return isinstance(raw, str) and CONTROL_CHARS.search(raw) is not None


def not_text_message() -> str:
    return _("Send this field as text.")


def control_chars_message() -> str:
    return _("This field contains characters that are not allowed.")


def identity_message(error: identity.InvalidNumber) -> str:
    """Why a NIK or KK number was refused, in the caller's language."""
    return error.translate(_)


# --- Names ------------------------------------------------------------------------


def clean_full_name(raw: object) -> tuple[str, str]:
    """A person's name as on the KK, single-spaced; or "" and why not."""
    full_name = single_spaced(raw)
    if not is_text(raw):
        return "", not_text_message()
    if has_control_chars(raw):
        return "", control_chars_message()
    if not full_name:
        return "", _("Enter the member's full name as written on the KK.")
    if len(full_name) > NAME_MAX:
        return "", _("The name may be at most 150 characters.")
    if not NAME_PATTERN.match(full_name):
        return "", _("A name may contain only letters, spaces, dots, commas, apostrophes and dashes.")
    return full_name, ""


# --- Phone numbers ----------------------------------------------------------------


def normalize_phone(raw: object) -> str:
    """``0812-3456-7890`` / ``62812…`` / ``+62812…`` -> ``+62812…``; "" if not a mobile number."""
    text = re.sub(r"[\s.\-()]", "", str(raw or ""))
    if text.startswith("+62"):
        rest = text[3:]
    elif text.startswith("62"):
        rest = text[2:]
    elif text.startswith("0"):
        rest = text[1:]
    else:
        return ""
    # Indonesian mobile numbers: 08xx followed by 6-10 more digits.
    if not re.fullmatch(r"8[0-9]{8,11}", rest):
        return ""
    return "+62" + rest


def mask_phone(phone: str) -> str:
    """``+6281234567890`` -> ``+628•••••••890``: enough to recognise, not to dial."""
    if len(phone) <= 7:
        return "•" * len(phone)
    return phone[:4] + "•" * (len(phone) - 7) + phone[-3:]


def phone_message() -> str:
    return _("Enter an Indonesian mobile number, e.g. 081234567890.")


# --- RT/RW and dates ---------------------------------------------------------------


def normalize_rt_rw(raw: object) -> str:
    text = str(raw or "").strip()
    if not re.fullmatch(r"[0-9]{1,3}", text) or int(text) == 0:
        return ""
    return f"{int(text):03d}"


def rt_message() -> str:
    return _("Enter the RT number (1 to 3 digits, e.g. 003).")


def rw_message() -> str:
    return _("Enter the RW number (1 to 3 digits, e.g. 002).")


def parse_date(raw: object) -> dt.date | None:
    """``2026-12-31``, ``31-12-2026`` or ``31/12/2026`` (or a date); None otherwise."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = str(raw or "").strip()
    if len(text) == 10 and text[4] == "-" and text[7] == "-" and text[:4].isdigit():
        # The usual case (the API, the form, an import), without strptime's cost.
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return None
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None
