"""The one input path of the hospital side: what a desk scanned or typed, what
a hospital system sent to the coverage check and the emergency request.

Each function returns cleaned values and errors in the API contract's shape
(field -> messages); the services decide and record (``hospitals.services``).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from cards.numbers import normalize_card_number
from cards.qr import PREFIX as QR_PREFIX
from cards.qr import QrInvalid, qr_verify
from kartusehat import identity
from kartusehat.logging import mask_identity_numbers
from kartusehat.text import (
    CONTROL_CHARS,
    control_chars_message,
    has_control_chars,
    identity_message,
    not_text_message,
)
from kartusehat.uploads import UploadInvalid, check_upload

from .models import EmergencyRequest, Facility, VerificationLog

QUERY_FIELDS = ("card_number", "qr", "nik")
NOTES_MAX = 1000


def nik_hash(nik: str) -> str:
    # Keyed: the audit table alone does not let anyone test a guessed NIK.
    return hmac.new(settings.SIGNING_KEY.encode(), f"kartusehat/verify-nik:{nik}".encode(), hashlib.sha256).hexdigest()


def nik_search_hash(raw: str) -> str:
    """The audit hash of a NIK typed into a search box ("" if it is not 16 digits)."""
    digits = identity.normalize(raw)
    return nik_hash(digits) if len(digits) == 16 and digits.isascii() and digits.isdigit() else ""


@dataclass
class Query:
    method: str
    value: str = ""
    shown: str = ""  # what the audit row says was asked (masked)
    query_hash: str = ""


def desk_query(text: object) -> dict:
    """What a desk scanned or typed into its one field, as the API's body.

    A USB scanner types the barcode (14-digit card number) or the QR text
    (``KS1.…``) followed by Enter; staff may also type a card number or a NIK
    (15 digits or more is a NIK, maybe mistyped: it is checked as one).
    """
    raw = str(text or "").strip()
    if raw.upper().startswith(QR_PREFIX + "."):
        return {"qr": raw}
    digits = identity.normalize(raw)
    if len(digits) >= 15:
        return {"nik": raw}
    return {"card_number": raw}


def masked(raw: str) -> str:
    """What was sent, as the audit row keeps it: numbers masked, control
    characters dropped (PostgreSQL refuses NUL)."""
    return CONTROL_CHARS.sub("", mask_identity_numbers(raw))[:50]


def invalid(name: str, raw: object, message: str) -> tuple[Query, dict]:
    """A refused field, recorded with what was sent (numbers masked)."""
    shown = f"{name}: {masked(raw)}" if isinstance(raw, str) else name
    return Query(VerificationLog.Method.INVALID, shown=shown), {name: [message]}


def parse_query(data) -> tuple[Query, dict]:
    """The one thing asked, checked; or the errors in the contract's shape."""
    if not isinstance(data, dict):
        return Query(VerificationLog.Method.INVALID), {
            "non_field_errors": [_("Send a JSON object with one of card_number, qr or nik.")]
        }
    given = [name for name in QUERY_FIELDS if data.get(name) not in (None, "")]
    if len(given) != 1:
        return Query(VerificationLog.Method.INVALID, shown=",".join(given)), {
            "non_field_errors": [_("Send exactly one of card_number, qr or nik.")]
        }
    name = given[0]
    raw = data[name]
    if not isinstance(raw, str):
        return invalid(name, raw, not_text_message())
    if has_control_chars(raw.strip()):
        return invalid(name, raw, control_chars_message())
    if name == "nik":
        try:
            nik = identity.parse_nik(raw).nik
        except identity.InvalidNumber as exc:
            return invalid(name, raw, identity_message(exc))
        return Query(VerificationLog.Method.NIK, nik, identity.mask(nik), nik_hash(nik)), {}
    if name == "card_number":
        number = normalize_card_number(raw)
        if not number:
            return invalid(name, raw, _(
                "This is not a valid Kartu Sehat number: 14 digits, the last one a check digit. Check for a typo."
            ))
        return Query(VerificationLog.Method.CARD_NUMBER, number, number), {}
    text = raw.strip()
    if not text.upper().startswith(QR_PREFIX + "."):
        return invalid(name, raw,
            _("This is not the QR code of a Kartu Sehat. Scan the QR code on the back of the card."))
    try:
        number = qr_verify(text)
    except QrInvalid as exc:
        if exc.reason == "malformed":  # a partial or garbled scan: no verdict on the card
            return invalid(name, raw, _(
                "The QR code could not be read completely. Scan it again, or type the card number or the NIK."
            ))
        return Query(VerificationLog.Method.QR, "", masked(text)), {}  # a bad signature: forged or altered
    return Query(VerificationLog.Method.QR, number, number), {}


def clean_emergency(data, files) -> tuple[dict, dict]:
    if not isinstance(data, dict):
        return {}, {"non_field_errors": [_("Send the request as multipart/form-data with nik, reason and letter.")]}
    errors: dict[str, list[str]] = {}
    clean: dict = {}
    raw_nik = data.get("nik")
    if not isinstance(raw_nik, (str, type(None))):
        errors["nik"] = [not_text_message()]
    else:
        try:
            clean["nik"] = identity.parse_nik(raw_nik).nik
        except identity.InvalidNumber as exc:
            errors["nik"] = [identity_message(exc)]
    reason = data.get("reason")
    if not isinstance(reason, str) or reason.strip() not in EmergencyRequest.Reason.values:
        errors["reason"] = [_(
            "Choose the reason: inpatient care (rawat_inap), emergency (gawat_darurat) or sick (sakit)."
        )]
    else:
        clean["reason"] = reason.strip()
    notes = data.get("notes")
    if notes not in (None, "") and not isinstance(notes, str):
        errors["notes"] = [not_text_message()]
    elif has_control_chars(notes):  # line breaks and tabs are allowed
        errors["notes"] = [control_chars_message()]
    else:
        clean["notes"] = str(notes or "").replace("\r\n", "\n").strip()
        if len(clean["notes"]) > NOTES_MAX:
            errors["notes"] = [_("Notes may be at most %(max)d characters.") % {"max": NOTES_MAX}]
    letter = (files or {}).get("letter")
    if letter in (None, ""):
        letter = data.get("letter")
    if letter in (None, ""):
        errors["letter"] = [_("Attach the hospital's letter (surat keterangan), as a PDF, JPEG or PNG file.")]
    elif not hasattr(letter, "read"):
        errors["letter"] = [_("Send the letter as a file upload (multipart/form-data).")]
    else:
        try:
            clean["letter"] = (letter, check_upload(letter))
        except UploadInvalid as exc:
            errors["letter"] = [str(exc)]
    return clean, errors


# --- The public list's filters (API and page) ---------------------------------------


class HospitalFilters(serializers.Serializer):
    """The query string, checked: a bad filter is a 400 that says what to fix."""

    kecamatan = serializers.RegexField(
        r"^[0-9]{2}\.[0-9]{2}\.[0-9]{2}$", required=False,
        error_messages={"invalid": gettext_lazy("Use a kecamatan code like 32.75.04 (see /api/v1/regions/).")},
    )
    type = serializers.ChoiceField(
        Facility.Type.values, required=False,
        error_messages={"invalid_choice": gettext_lazy("Use one of: rsud, rs_swasta, puskesmas, klinik.")},
    )
    inpatient = serializers.BooleanField(required=False, default=None,
                                         error_messages={"invalid": gettext_lazy("Use true or false.")})
    emergency_24h = serializers.BooleanField(required=False, default=None,
                                             error_messages={"invalid": gettext_lazy("Use true or false.")})
    q = serializers.CharField(required=False, max_length=100, allow_blank=True, trim_whitespace=True)

    def validate_kecamatan(self, value):
        if not value.startswith(settings.CITY_REGION_CODE + "."):
            raise serializers.ValidationError(
                _("Use a kecamatan code of %(city)s, e.g. %(code)s.01.")
                % {"city": settings.KARTUSEHAT_CITY["name"], "code": settings.CITY_REGION_CODE}
            )
        return value

    def validate_q(self, value):
        if has_control_chars(value):
            raise serializers.ValidationError(control_chars_message())
        return value


def hospital_filters(query) -> dict:
    """Validated filters from a query string; raises ValidationError (400).

    An empty filter is no filter: the public form sends ``?type=`` for "All".
    """
    fields = HospitalFilters().fields
    filters = HospitalFilters(data={key: value for key in query if key in fields and (value := query.get(key)) != ""})
    filters.is_valid(raise_exception=True)
    return {key: value for key, value in filters.validated_data.items() if value not in (None, "")}
