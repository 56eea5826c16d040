"""The one validation path for a household registration.

The API, the citizen web form, staff entry at the kelurahan and imports all
hand raw input (strings from JSON or a form POST) to :func:`clean_registration`.
It returns cleaned values or an error dict in the API contract's shape::

    {"kk_number": ["..."], "members": [{}, {"nik": ["..."]}], "non_field_errors": ["..."]}

Rules that need the database (a KK or NIK already taken) live in
``services.registration_submit``, which reports them in the same shape.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from kartusehat import identity
from kartusehat.refusals import Invalid
from kartusehat.text import (
    clean_full_name,
    control_chars_message,
    has_control_chars,
    identity_message,
    is_text,
    normalize_phone,
    normalize_rt_rw,
    not_text_message,
    parse_date,
    phone_message,
    rt_message,
    rw_message,
    single_spaced,
)
from kartusehat.uploads import CheckedUpload, UploadInvalid, check_upload

from .models import Region, RegistrationDocument, Relationship, Sex

MAX_MEMBERS = 20
OLDEST_BIRTH_DATE = dt.date(1900, 1, 1)
# JSON true, or what a form checkbox and a multipart client send for it.
TRUE_WORDS = {"true", "on"}
KELURAHAN_CODE = re.compile(r"^[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{4}$")
EMAIL_MAX = 254


@dataclass
class CleanMember:
    nik: str
    full_name: str
    birth_date: dt.date
    sex: str
    relationship: str


@dataclass
class CleanRegistration:
    kk_number: str
    kelurahan: Region
    address: str
    rt: str
    rw: str
    phone: str
    email: str
    consent: bool
    members: list[CleanMember] = field(default_factory=list)
    kk_kecamatan_mismatch: bool = False
    # kind -> (upload, what its content was checked to be)
    documents: dict[str, tuple[object, CheckedUpload]] = field(default_factory=dict)


# Upload fields of a registration (API multipart and web form alike).
DOCUMENT_FIELDS = {"kk_scan": RegistrationDocument.Kind.KK, "ektp_scan": RegistrationDocument.Kind.EKTP}


def city_kelurahan(code: str) -> Region | None:
    city = settings.CITY_REGION_CODE
    if not KELURAHAN_CODE.match(code) or not code.startswith(city + "."):
        return None
    return Region.objects.filter(code=code, level=Region.Level.KELURAHAN, current=True).select_related("parent").first()


# Read once: Django's choices properties build a new list on every access.
SEXES = frozenset(Sex.values)
RELATIONSHIPS = frozenset(Relationship.values)


def clean_member(raw: object, *, today: dt.date) -> tuple[CleanMember | None, dict]:
    if not isinstance(raw, dict):
        return None, {"non_field_errors": [_("Each member must be an object with the member's details.")]}
    errors: dict[str, list[str]] = {}

    full_name, name_error = clean_full_name(raw.get("full_name"))
    if name_error:
        errors["full_name"] = [name_error]

    birth_date = parse_date(raw.get("birth_date"))
    if raw.get("birth_date") in (None, ""):
        errors["birth_date"] = [_("Enter the birth date.")]
    elif birth_date is None:
        errors["birth_date"] = [_("Enter the birth date as YYYY-MM-DD.")]
    elif birth_date > today:
        errors["birth_date"] = [_("The birth date cannot be in the future.")]
        birth_date = None
    elif birth_date < OLDEST_BIRTH_DATE:
        errors["birth_date"] = [_("The birth date cannot be before 1900.")]
        birth_date = None

    sex = str(raw.get("sex") or "").strip().upper()
    if sex not in SEXES:
        errors["sex"] = [_("Choose the sex: L (male) or P (female).")]
        sex = ""

    relationship = str(raw.get("relationship") or "").strip().lower()
    if relationship not in RELATIONSHIPS:
        errors["relationship"] = [_("Choose the relationship to the head of household.")]

    nik = ""
    try:
        # Check against what was typed beside it only when that was valid,
        # so each problem is reported once, on its own field.
        info = identity.parse_nik(
            raw.get("nik"), birth_date=birth_date, sex=sex or None, today=today,
        )
        nik = info.nik
    except identity.InvalidNumber as exc:
        errors["nik"] = [identity_message(exc)]

    if errors:
        return None, errors
    return CleanMember(nik, full_name, birth_date, sex, relationship), {}


def clean_contact(data: dict) -> tuple[dict, dict]:
    """Address, RT/RW, phone and email of a household: the rules for an
    application and for staff correcting a household on the roster."""
    errors: dict[str, list[str]] = {}
    address = single_spaced(data.get("address"))
    if not is_text(data.get("address")):
        errors["address"] = [not_text_message()]
    elif has_control_chars(data.get("address")):
        errors["address"] = [control_chars_message()]
    elif not any(ch.isalnum() for ch in address):
        errors["address"] = [_("Enter the street address as written on the KK.")]
    elif len(address) > 200:
        errors["address"] = [_("The address may be at most 200 characters.")]

    rt = normalize_rt_rw(data.get("rt"))
    if not rt:
        errors["rt"] = [rt_message()]
    rw = normalize_rt_rw(data.get("rw"))
    if not rw:
        errors["rw"] = [rw_message()]

    phone = normalize_phone(data.get("phone"))
    if not phone:
        errors["phone"] = [phone_message()]

    email = str(data.get("email") or "").strip()
    if not is_text(data.get("email")):
        errors["email"] = [not_text_message()]
    elif email:
        try:
            if len(email) > EMAIL_MAX or has_control_chars(email):
                raise ValidationError("too long")
            validate_email(email)
        except ValidationError:
            errors["email"] = [_("Enter a valid email address, or leave it empty.")]

    return {"address": address, "rt": rt, "rw": rw, "phone": phone, "email": email}, errors


def clean_documents(files) -> tuple[dict, dict]:
    """Optional scans: each a PDF, JPEG or PNG checked by content and size."""
    documents, errors = {}, {}
    for name, kind in DOCUMENT_FIELDS.items():
        upload = files.get(name) if files is not None else None
        if upload is None or upload == "":
            continue
        if not hasattr(upload, "read"):
            errors[name] = [_("Send the scan as a file upload (multipart/form-data).")]
            continue
        try:
            documents[kind] = (upload, check_upload(upload))
        except UploadInvalid as exc:
            errors[name] = [str(exc)]
    return documents, errors


def clean_registration(
    data: dict, *, files=None, today: dt.date | None = None, regions: Mapping[str, Region] | None = None,
) -> CleanRegistration:
    """Check every rule that needs no database lookup beyond the region table.

    ``regions``: the city's current kelurahan by code (parents loaded), for a
    caller checking many households (an import): then nothing is queried.
    """
    today = today or timezone.localdate()
    if not isinstance(data, dict):
        raise Invalid({"non_field_errors": [_("Send the registration as a JSON object.")]})
    errors: dict = {}
    city = settings.CITY_REGION_CODE
    city_name = settings.KARTUSEHAT_CITY["name"]

    kk_number, kk_region = "", ""
    try:
        kk = identity.parse_kk(data.get("kk_number"), today=today)
        kk_number, kk_region = kk.kk_number, kk.region_code
        if not kk_region.startswith(city + "."):
            errors["kk_number"] = [
                _("This KK was issued outside %(city)s (region %(code)s). Kartu Sehat is for households whose KK is "
                    "issued in %(city)s.")
                % {"city": city_name, "code": city}
            ]
    except identity.InvalidNumber as exc:
        errors["kk_number"] = [identity_message(exc)]

    kelurahan = None
    code = str(data.get("kelurahan_code") or "").strip()
    if has_control_chars(code):
        errors["kelurahan_code"] = [control_chars_message()]
    elif not code:
        errors["kelurahan_code"] = [_("Choose your kelurahan.")]
    else:
        kelurahan = city_kelurahan(code) if regions is None else regions.get(code)
        if kelurahan is None:
            errors["kelurahan_code"] = [
                _("%(code)s is not a kelurahan of %(city)s.") % {"code": code[:20], "city": city_name}
            ]

    contact, contact_errors = clean_contact(data)
    errors.update(contact_errors)

    consent_raw = data.get("consent")
    consent = consent_raw is True or str(consent_raw).strip().lower() in TRUE_WORDS
    if not consent:
        errors["consent"] = [_("Registration needs your consent to the processing of personal data.")]

    members: list[CleanMember] = []
    raw_members = data.get("members")
    if isinstance(raw_members, str) and raw_members.strip():
        errors["members"] = [_("Send the members as a JSON list of objects.")]
    elif not isinstance(raw_members, list) or not raw_members:
        errors["members"] = [_("List at least one member of the household.")]
    elif len(raw_members) > MAX_MEMBERS:
        errors["members"] = [_("A household may list at most %(max)d members.") % {"max": MAX_MEMBERS}]
    else:
        member_errors = []
        for raw in raw_members:
            member, member_error = clean_member(raw, today=today)
            member_errors.append(member_error)
            if member:
                members.append(member)
        list_errors = _member_list_errors(raw_members, member_errors)
        if any(member_errors):
            errors["members"] = member_errors
        if list_errors:
            errors.setdefault("non_field_errors", []).extend(list_errors)

    documents, document_errors = clean_documents(files)
    errors.update(document_errors)

    if errors:
        raise Invalid(errors)
    return CleanRegistration(
        kk_number=kk_number, kelurahan=kelurahan, **contact, consent=True, members=members,
        kk_kecamatan_mismatch=kk_region != kelurahan.parent.code, documents=documents,
    )


def _member_list_errors(raw_members: list, member_errors: list[dict]) -> list[str]:
    """Rules about the list as a whole: one head, no NIK twice."""
    messages = []
    heads = sum(
        1 for raw in raw_members
        if isinstance(raw, dict) and str(raw.get("relationship") or "").strip().lower() == Relationship.KEPALA_KELUARGA
    )
    if heads == 0:
        messages.append(_("Mark exactly one member as head of household (kepala keluarga); none is marked."))
    elif heads > 1:
        messages.append(
            _("Mark exactly one member as head of household (kepala keluarga); %(count)d are marked.")
            % {"count": heads}
        )
    seen: dict[str, int] = {}
    for index, raw in enumerate(raw_members):
        if not isinstance(raw, dict):
            continue
        nik = identity.normalize(raw.get("nik"))
        if not nik:
            continue
        if nik in seen:
            message = _("The NIK of member %(second)d is the same as that of member %(first)d.") % {
                "first": seen[nik] + 1, "second": index + 1,
            }
            messages.append(message)
            member_errors[index].setdefault("nik", []).append(message)
        else:
            seen[nik] = index
    return messages
