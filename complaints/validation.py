"""The one validation path for a complaint (aduan).

The API and the web form hand raw input (JSON values or form strings) to
:func:`clean_complaint`. It returns the cleaned values or raises
:class:`~kartusehat.refusals.Invalid` with errors in the API contract's shape::

    {"phone": ["..."], "message": ["..."], "non_field_errors": ["..."]}

Name, phone, NIK and control-character rules are the platform's
(``kartusehat.text`` and ``kartusehat.identity``), as for a registration.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from kartusehat import identity
from kartusehat.refusals import Invalid
from kartusehat.text import (
    NAME_MAX,
    NAME_PATTERN,
    control_chars_message,
    has_control_chars,
    identity_message,
    is_text,
    normalize_phone,
    not_text_message,
    phone_message,
    single_spaced,
)

from .models import Complaint

FIELDS = ("name", "phone", "nik", "category", "message")
MESSAGE_MIN = 10
MESSAGE_MAX = 2000


def _clean_name(raw: object) -> tuple[str, list[str]]:
    if not is_text(raw):
        return "", [not_text_message()]
    if has_control_chars(raw):
        return "", [control_chars_message()]
    name = single_spaced(raw)
    if not name:
        return "", [_("Enter your name.")]
    if len(name) > NAME_MAX:
        return "", [_("The name may be at most 150 characters.")]
    if not NAME_PATTERN.match(name):
        return "", [_("A name may contain only letters, spaces, dots, commas, apostrophes and dashes.")]
    return name, []


def _clean_phone(raw: object) -> tuple[str, list[str]]:
    if not is_text(raw, numbers=True):
        return "", [not_text_message()]
    if has_control_chars(raw):
        return "", [control_chars_message()]
    phone = normalize_phone(raw)
    return phone, [] if phone else [phone_message()]


def _clean_nik(raw: object, *, today: dt.date) -> tuple[str, list[str]]:
    """Optional: blank is fine; anything typed must be a valid NIK."""
    if not is_text(raw, numbers=True):
        return "", [not_text_message()]
    if has_control_chars(raw):
        return "", [control_chars_message()]
    if not identity.normalize(raw):
        return "", []
    try:
        return identity.parse_nik(raw, today=today).nik, []
    except identity.InvalidNumber as exc:
        return "", [identity_message(exc)]


def _clean_category(raw: object) -> tuple[str, list[str]]:
    # The value typed is never echoed back: it may hold anything.
    if not is_text(raw):
        return "", [not_text_message()]
    category = (raw or "").strip()
    if category in Complaint.Category.values:
        return category, []
    if not category:
        return "", [_("Choose what your complaint is about.")]
    return "", [
        _("This is not a complaint category. Choose one of: %(choices)s.")
        % {"choices": ", ".join(Complaint.Category.values)}
    ]


def _clean_message(raw: object) -> tuple[str, list[str]]:
    if not is_text(raw):
        return "", [not_text_message()]
    if has_control_chars(raw):
        return "", [control_chars_message()]
    # Browsers send a textarea's line breaks as CRLF; count each as one character.
    message = (raw or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not message:
        return "", [_("Describe your complaint.")]
    if len(message) < MESSAGE_MIN:
        return "", [
            _("Describe your complaint in at least %(min)d characters, so staff can follow it up.")
            % {"min": MESSAGE_MIN}
        ]
    if len(message) > MESSAGE_MAX:
        return "", [
            _("The complaint may be at most %(max)d characters; it has %(count)d.")
            % {"max": MESSAGE_MAX, "count": len(message)}
        ]
    return message, []


def clean_complaint(data: object, *, today: dt.date | None = None) -> dict:
    """Check every rule of a complaint; return ``name, phone, nik, category, message`` cleaned.

    Raises :class:`~kartusehat.refusals.Invalid` with every broken rule, each on its field.
    """
    today = today or timezone.localdate()
    if not isinstance(data, dict):
        raise Invalid({"non_field_errors": [_("Send the complaint as a JSON object with its fields.")]})
    cleaners = {
        "name": _clean_name,
        "phone": _clean_phone,
        "nik": lambda raw: _clean_nik(raw, today=today),
        "category": _clean_category,
        "message": _clean_message,
    }
    clean: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    for field, cleaner in cleaners.items():
        value, messages = cleaner(data.get(field))
        if messages:
            errors[field] = messages
        else:
            clean[field] = value
    if errors:
        raise Invalid(errors)
    return clean
