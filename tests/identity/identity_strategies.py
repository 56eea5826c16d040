"""Hypothesis strategies and independent helpers for the NIK / KK tests.

Numbers are assembled here digit by digit from the spec (``PPKKCC DDMMYY
SSSS``; +40 on the day for women), not with ``identity.encode_nik``, so the
tests do not trust the code they check.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import string
from dataclasses import dataclass

from hypothesis import settings
from hypothesis import strategies as st

from kartusehat import identity

# Fixed "today" so every run decodes the same centuries.
TODAY = dt.date(2026, 11, 22)

# Modest budgets: the whole folder must run in seconds.
PROPERTY = settings(max_examples=150, deadline=None, database=None)
QUICK = settings(max_examples=60, deadline=None, database=None)

SEPARATORS = " .-"


def read_csv_kecamatan() -> dict[str, str]:
    """code -> current ("yes"/"no") for every kecamatan row, read independently."""
    with identity.KEMENDAGRI_CSV.open(newline="", encoding="utf-8") as fh:
        return {
            row["code"]: row["current"]
            for row in csv.DictReader(fh)
            if row["level"] == "kecamatan"
        }


CSV_KECAMATAN = read_csv_kecamatan()
KNOWN_CODES = sorted(CSV_KECAMATAN)  # "PP.KK.CC"
KNOWN_SIX = sorted(code.replace(".", "") for code in KNOWN_CODES)
KNOWN_SIX_SET = frozenset(KNOWN_SIX)
HISTORIC_SIX = sorted(
    code.replace(".", "") for code, current in CSV_KECAMATAN.items() if current == "no"
)


def dotted(six: str) -> str:
    return f"{six[0:2]}.{six[2:4]}.{six[4:6]}"


def nik_digits(region6: str, day: int, month: int, yy: int, serial: int) -> str:
    """Raw NIK digits from already-offset fields (day is 41-71 for women)."""
    return f"{region6}{day:02d}{month:02d}{yy:02d}{serial:04d}"


def kk_digits(region6: str, day: int, month: int, yy: int, serial: int) -> str:
    return f"{region6}{day:02d}{month:02d}{yy:02d}{serial:04d}"


def is_real_date(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


def latest_past_date(day: int, month: int, yy: int, today: dt.date) -> dt.date | None:
    """Spec: a NIK alone takes the latest century not putting the date in the future.

    Brute force over every year ending in ``yy`` from 1800 to today's year.
    """
    candidates = [
        dt.date(year, month, day)
        for year in range(1800, today.year + 1)
        if year % 100 == yy and is_real_date(year, month, day)
    ]
    past = [d for d in candidates if d <= today]
    return max(past) if past else None


@dataclass(frozen=True)
class Nik:
    number: str
    region6: str
    birth_date: dt.date
    sex: str
    serial: int

    @property
    def region_code(self) -> str:
        return dotted(self.region6)

    @property
    def serial4(self) -> str:
        return f"{self.serial:04d}"


@dataclass(frozen=True)
class Kk:
    number: str
    region6: str
    issue_date: dt.date
    serial: int


regions = st.sampled_from(KNOWN_SIX)
historic_regions = st.sampled_from(HISTORIC_SIX)
sexes = st.sampled_from([identity.SEX_MALE, identity.SEX_FEMALE])
serials = st.integers(min_value=1, max_value=9999)
birth_dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY)
# KK numbers in this format are a SIAK-era document; keep issue dates in the
# current century, where "latest century" and "current century" agree.
issue_dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=TODAY)


def make_nik(region6: str, birth_date: dt.date, sex: str, serial: int) -> Nik:
    day = birth_date.day + (40 if sex == identity.SEX_FEMALE else 0)
    number = nik_digits(region6, day, birth_date.month, birth_date.year % 100, serial)
    return Nik(number, region6, birth_date, sex, serial)


def make_kk(region6: str, issue_date: dt.date, serial: int) -> Kk:
    number = kk_digits(region6, issue_date.day, issue_date.month, issue_date.year % 100, serial)
    return Kk(number, region6, issue_date, serial)


@st.composite
def valid_niks(draw, region_strategy=regions, date_strategy=birth_dates) -> Nik:
    return make_nik(
        draw(region_strategy), draw(date_strategy), draw(sexes), draw(serials)
    )


@st.composite
def valid_kks(draw, date_strategy=issue_dates) -> Kk:
    return make_kk(draw(regions), draw(date_strategy), draw(serials))


@st.composite
def unknown_regions(draw) -> str:
    """Six digits that are not a kecamatan code in the table."""
    near_miss = st.builds(
        lambda known, tail: known[:4] + tail,
        regions,
        st.text(string.digits, min_size=2, max_size=2),
    )
    anything = st.text(string.digits, min_size=6, max_size=6)
    six = draw(st.one_of(near_miss, anything).filter(lambda s: s not in KNOWN_SIX_SET))
    return six


@st.composite
def sprinkled(draw, text: str) -> str:
    """``text`` with random spaces, dots and dashes inserted anywhere."""
    pieces = []
    for char in text:
        pieces.append(draw(st.text(SEPARATORS, max_size=3)))
        pieces.append(char)
    pieces.append(draw(st.text(SEPARATORS, max_size=3)))
    return "".join(pieces)


def _is_foreign(char: str) -> bool:
    """Not an ASCII digit, and not something normalize() strips."""
    return not (char.isascii() and char.isdigit()) and identity.normalize(char) == char


non_digit_chars = st.one_of(
    st.sampled_from(list("abcxyzOlI/,_+#*()'\"")),
    st.sampled_from(["\u0663", "\uff13", "\u00b2"]),  # Arabic-Indic 3, full-width 3, superscript 2
    st.characters(exclude_categories=("Cs",)),
).filter(_is_foreign)


# --- invalid DDMM fields ---------------------------------------------------

# Day fields that are never valid in a NIK, whatever the month:
# 00, 32-40 (no man is born on the 32nd, and 40 is a woman's day 0), 72-99.
NIK_BAD_DAYS = [0, *range(32, 41), *range(72, 100)]
# Day fields never valid in a KK (no +40): 00 and 32-99.
KK_BAD_DAYS = [0, *range(32, 100)]
BAD_MONTHS = [0, *range(13, 100)]
THIRTY_DAY_MONTHS = [4, 6, 9, 11]
