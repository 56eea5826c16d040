"""Indonesian identity numbers: NIK and Kartu Keluarga (KK) number.

Pure functions, standard library only: no Django, so the rules can be used
(and property-tested) anywhere. Both numbers are 16 digits laid out as
``PPKKCC DDMMYY SSSS``:

- ``PPKKCC``: a Kemendagri kecamatan code (province, regency/city, kecamatan).
  A NIK keeps the code of its first registration for life, so it is checked
  against every kecamatan code Kemendagri ever published, current or not.
- ``DDMMYY``: for a NIK the birth date, with 40 added to the day for women;
  for a KK the issue date, as is.
- ``SSSS``: a serial, never ``0000``.

Every rejection is an :class:`InvalidNumber` carrying a stable ``code`` (which
rule failed), an English message id and its parameters. Callers that speak to
people translate the message id through gettext (the ``id`` catalogue holds the
Bahasa Indonesia text); :func:`gettext_noop` below only marks the strings so
``makemessages`` extracts them.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import re
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
KEMENDAGRI_CSV = DATA_DIR / "kemendagri-kecamatan.csv"

# The 16-digit KK number came with the civil registry system; no KK in this
# form was issued before this year, so a two-digit year never means 19xx
# below it.
KK_EARLIEST_YEAR = 1970

# A NIK or KK number as stored: 16 plain digits (database check constraints).
DIGITS16 = r"^[0-9]{16}$"

SEX_MALE = "L"
SEX_FEMALE = "P"
FEMALE_DAY_OFFSET = 40

# Separators people type or that scanners and photocopies introduce.
_SEPARATORS = re.compile(r"[\s.\-\u2010-\u2015]")


def gettext_noop(message: str) -> str:
    """Mark a string for extraction without translating it here."""
    return message


MESSAGES = {
    # NIK
    "nik.required": gettext_noop("Enter the NIK."),
    "nik.not_digits": gettext_noop(
        "The NIK may contain only digits (spaces, dots and dashes are ignored)."
    ),
    "nik.length": gettext_noop("The NIK must be 16 digits; %(count)d digits were entered."),
    "nik.region": gettext_noop(
        "The first 6 digits of the NIK (%(code)s) are not a kecamatan code in the Kemendagri table."
    ),
    "nik.date_invalid": gettext_noop(
        "Digits 7-12 of the NIK (%(ddmmyy)s) are not a valid birth date "
        "(DDMMYY; for women 40 is added to the day)."
    ),
    "nik.date_future": gettext_noop(
        "The birth date in the NIK (%(date)s) is in the future."
    ),
    "nik.serial": gettext_noop("The last 4 digits of the NIK (serial number) cannot be 0000."),
    "nik.birth_date_mismatch": gettext_noop(
        "This NIK encodes the birth date %(nik_date)s, which does not match the birth date "
        "entered (%(given_date)s)."
    ),
    "nik.sex_mismatch": gettext_noop(
        "This NIK belongs to a %(nik_sex)s (day of birth %(day)s), but the sex entered is %(given_sex)s."
    ),
    # KK
    "kk.required": gettext_noop("Enter the KK number."),
    "kk.not_digits": gettext_noop(
        "The KK number may contain only digits (spaces, dots and dashes are ignored)."
    ),
    "kk.length": gettext_noop(
        "The KK number must be 16 digits; %(count)d digits were entered."
    ),
    "kk.region": gettext_noop(
        "The first 6 digits of the KK number (%(code)s) are not a kecamatan code in the "
        "Kemendagri table."
    ),
    "kk.date_invalid": gettext_noop(
        "Digits 7-12 of the KK number (%(ddmmyy)s) are not a valid issue date (DDMMYY)."
    ),
    "kk.date_future": gettext_noop(
        "The issue date in the KK number (%(date)s) is in the future."
    ),
    "kk.serial": gettext_noop(
        "The last 4 digits of the KK number (serial number) cannot be 0000."
    ),
}

# Words used inside messages; translated by the caller like the messages.
SEX_WORDS = {
    SEX_MALE: gettext_noop("man"),
    SEX_FEMALE: gettext_noop("woman"),
}


class InvalidNumber(ValueError):
    """A NIK or KK number broke one rule; ``code`` says which."""

    def __init__(self, rule_code: str, /, **params):
        self.code = rule_code
        self.params = params
        self.message_id = MESSAGES[rule_code]
        super().__init__(self.translate(lambda text: text))

    @property
    def field_kind(self) -> str:
        """``"nik"`` or ``"kk"``."""
        return self.code.split(".", 1)[0]

    @property
    def rule(self) -> str:
        """The rule that failed, e.g. ``"region"`` or ``"serial"``."""
        return self.code.split(".", 1)[1]

    def translate(self, gettext) -> str:
        """The message in the caller's language, via its ``gettext``."""
        params = dict(self.params)
        for key in ("nik_sex", "given_sex"):
            if key in params:
                params[key] = gettext(SEX_WORDS[params[key]])
        text = gettext(self.message_id)
        return text % params if params else text


@dataclass(frozen=True)
class NikInfo:
    nik: str
    region_code: str  # "PP.KK.CC", Kemendagri style
    birth_date: dt.date
    sex: str  # "L" or "P"
    serial: str


@dataclass(frozen=True)
class KkInfo:
    kk_number: str
    region_code: str  # "PP.KK.CC" of the issuing kecamatan
    issue_date: dt.date
    serial: str


def normalize(raw: object) -> str:
    """Drop the separators people type; keep everything else for the checks."""
    if raw is None:
        return ""
    return _SEPARATORS.sub("", str(raw))


def region_code_of(digits6: str) -> str:
    """``"327502"`` -> ``"32.75.02"``."""
    return f"{digits6[0:2]}.{digits6[2:4]}.{digits6[4:6]}"


@functools.cache
def kecamatan_codes() -> frozenset[str]:
    """Every kecamatan code Kemendagri published, current and historic."""
    with KEMENDAGRI_CSV.open(newline="", encoding="utf-8") as fh:
        return frozenset(
            row["code"] for row in csv.DictReader(fh) if row["level"] == "kecamatan"
        )


def is_known_kecamatan(code: str) -> bool:
    return code in kecamatan_codes()


def _check_shape(kind: str, raw: object) -> str:
    number = normalize(raw)
    if not number:
        raise InvalidNumber(f"{kind}.required")
    if not (number.isascii() and number.isdigit()):
        raise InvalidNumber(f"{kind}.not_digits")
    if len(number) != 16:
        raise InvalidNumber(f"{kind}.length", count=len(number))
    region = region_code_of(number[:6])
    if not is_known_kecamatan(region):
        raise InvalidNumber(f"{kind}.region", code=number[:6])
    return number


def _date_or_none(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _dates(day: int, month: int, yy: int, today: dt.date) -> list[dt.date]:
    """The real dates ``DDMMYY`` can be, this century first, then the last."""
    century = today.year // 100 * 100
    candidates = (_date_or_none(base + yy, month, day) for base in (century, century - 100))
    return [date for date in candidates if date is not None]


def _latest_past_date(day: int, month: int, yy: int, today: dt.date) -> dt.date | None:
    """The latest century that gives a real date not after ``today``."""
    return next((date for date in _dates(day, month, yy, today) if date <= today), None)


def decode_nik_date(ddmmyy: str) -> tuple[int, int, int, str]:
    """``DDMMYY`` of a NIK -> (day, month, yy, sex), without calendar checks."""
    day, month, yy = int(ddmmyy[0:2]), int(ddmmyy[2:4]), int(ddmmyy[4:6])
    if day > FEMALE_DAY_OFFSET:
        return day - FEMALE_DAY_OFFSET, month, yy, SEX_FEMALE
    return day, month, yy, SEX_MALE


def parse_nik(
    raw: object,
    *,
    birth_date: dt.date | None = None,
    sex: str | None = None,
    today: dt.date | None = None,
) -> NikInfo:
    """Check a NIK and decode it.

    ``birth_date`` and ``sex``, when given, are what the person typed beside
    the NIK: the century comes from ``birth_date`` and both must agree with
    what the NIK encodes. Without ``birth_date`` the century is the latest one
    that does not put the birth date in the future.
    """
    today = today or dt.date.today()
    if sex is not None and sex not in SEX_WORDS:
        raise ValueError(f"sex must be {SEX_MALE!r} or {SEX_FEMALE!r}, not {sex!r}")
    number = _check_shape("nik", raw)
    ddmmyy = number[6:12]
    day, month, yy, nik_sex = decode_nik_date(ddmmyy)

    if not 1 <= day <= 31 or not 1 <= month <= 12:
        raise InvalidNumber("nik.date_invalid", ddmmyy=ddmmyy)

    if birth_date is not None:
        encoded = _date_or_none(birth_date.year // 100 * 100 + yy, month, day)
        if encoded is None:
            # 29 February in a year the typed century makes non-leap.
            if not _dates(day, month, yy, today):
                raise InvalidNumber("nik.date_invalid", ddmmyy=ddmmyy)
            raise InvalidNumber(
                "nik.birth_date_mismatch",
                nik_date=f"{day:02d}-{month:02d}-{yy:02d}",
                given_date=birth_date.strftime("%d-%m-%Y"),
            )
        if encoded != birth_date:
            raise InvalidNumber(
                "nik.birth_date_mismatch",
                nik_date=encoded.strftime("%d-%m-%Y"),
                given_date=birth_date.strftime("%d-%m-%Y"),
            )
        decoded = encoded
        if decoded > today:
            raise InvalidNumber("nik.date_future", date=decoded.strftime("%d-%m-%Y"))
    else:
        decoded = _latest_past_date(day, month, yy, today)
        if decoded is None:
            real = _dates(day, month, yy, today)
            if not real:
                raise InvalidNumber("nik.date_invalid", ddmmyy=ddmmyy)
            # A real date, but not in the past in either century: only the
            # current century can be in the future, so report that one.
            raise InvalidNumber("nik.date_future", date=real[0].strftime("%d-%m-%Y"))

    if number[12:] == "0000":
        raise InvalidNumber("nik.serial")

    if sex is not None and sex != nik_sex:
        raise InvalidNumber(
            "nik.sex_mismatch",
            nik_sex=nik_sex,
            day=ddmmyy[0:2],
            given_sex=sex,
        )

    return NikInfo(
        nik=number,
        region_code=region_code_of(number[:6]),
        birth_date=decoded,
        sex=nik_sex,
        serial=number[12:],
    )


def parse_kk(raw: object, *, today: dt.date | None = None) -> KkInfo:
    """Check a KK number and decode its issuing kecamatan and issue date."""
    today = today or dt.date.today()
    number = _check_shape("kk", raw)
    ddmmyy = number[6:12]
    day, month, yy = int(ddmmyy[0:2]), int(ddmmyy[2:4]), int(ddmmyy[4:6])
    if not _dates(day, month, yy, today):
        raise InvalidNumber("kk.date_invalid", ddmmyy=ddmmyy)
    # Unlike a birth date, an issue date cannot be a century back: KK numbers
    # of this form are younger than KK_EARLIEST_YEAR. So a date after today
    # in this century is a future date, not an old one.
    century = today.year // 100 * 100
    issued = _date_or_none(century + yy, month, day)
    if issued is None or issued > today:
        earlier = _date_or_none(century - 100 + yy, month, day)
        if earlier is not None and earlier.year >= KK_EARLIEST_YEAR:
            issued = earlier
        elif issued is not None:
            raise InvalidNumber("kk.date_future", date=issued.strftime("%d-%m-%Y"))
        else:
            raise InvalidNumber("kk.date_invalid", ddmmyy=ddmmyy)
    if number[12:] == "0000":
        raise InvalidNumber("kk.serial")
    return KkInfo(
        kk_number=number,
        region_code=region_code_of(number[:6]),
        issue_date=issued,
        serial=number[12:],
    )


def mask(number: str) -> str:
    """``3275011505800003`` -> ``3275••••••••0003`` (first and last 4 kept)."""
    number = normalize(number)
    if len(number) <= 8:
        return "•" * len(number)
    return number[:4] + "•" * (len(number) - 8) + number[-4:]


def encode_nik(
    region6: str, birth_date: dt.date, sex: str, serial: int | str
) -> str:
    """Build a NIK from its parts (demo data and tests)."""
    day = birth_date.day + (FEMALE_DAY_OFFSET if sex == SEX_FEMALE else 0)
    return f"{region6}{day:02d}{birth_date:%m%y}{int(serial):04d}"


def encode_kk(region6: str, issue_date: dt.date, serial: int | str) -> str:
    """Build a KK number from its parts (demo data and tests)."""
    return f"{region6}{issue_date:%d%m%y}{int(serial):04d}"
