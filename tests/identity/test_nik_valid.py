"""Valid NIKs decode to what was encoded (property-based)."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from kartusehat import identity
from tests.identity.identity_strategies import (
    PROPERTY,
    QUICK,
    TODAY,
    historic_regions,
    latest_past_date,
    valid_niks,
)


@PROPERTY
@given(valid_niks())
def test_it_round_trips_a_nik_given_the_typed_birth_date_and_sex(nik):
    info = identity.parse_nik(
        nik.number, birth_date=nik.birth_date, sex=nik.sex, today=TODAY
    )

    assert info.nik == nik.number
    assert info.region_code == nik.region_code
    assert info.birth_date == nik.birth_date
    assert info.sex == nik.sex
    assert info.serial == nik.serial4


@PROPERTY
@given(valid_niks())
def test_it_takes_the_century_from_the_typed_birth_date(nik):
    # Same digits, only the typed year tells 1915 from 2015.
    info = identity.parse_nik(nik.number, birth_date=nik.birth_date, today=TODAY)

    assert info.birth_date.year == nik.birth_date.year


@PROPERTY
@given(valid_niks())
def test_it_decodes_a_nik_alone_to_the_latest_century_not_in_the_future(nik):
    info = identity.parse_nik(nik.number, today=TODAY)

    expected = latest_past_date(
        nik.birth_date.day, nik.birth_date.month, nik.birth_date.year % 100, TODAY
    )
    assert info.birth_date == expected
    assert info.birth_date <= TODAY
    # Same day and month; the year may only differ by whole centuries.
    assert (info.birth_date.month, info.birth_date.day) == (
        nik.birth_date.month,
        nik.birth_date.day,
    )
    assert info.birth_date.year % 100 == nik.birth_date.year % 100
    assert info.birth_date.year >= nik.birth_date.year
    assert info.region_code == nik.region_code
    assert info.sex == nik.sex
    assert info.serial == nik.serial4


@PROPERTY
@given(valid_niks(date_strategy=st.dates(dt.date(1926, 11, 23), TODAY)))
def test_it_decodes_the_exact_birth_date_when_the_century_is_unambiguous(nik):
    # Within the 100 years up to today, the NIK alone names one date.
    info = identity.parse_nik(nik.number, today=TODAY)

    assert info.birth_date == nik.birth_date


@PROPERTY
@given(valid_niks())
def test_it_reads_women_from_the_day_plus_40(nik):
    day_field = int(nik.number[6:8])
    info = identity.parse_nik(nik.number, today=TODAY)

    if nik.sex == identity.SEX_FEMALE:
        assert 41 <= day_field <= 71
        assert info.sex == identity.SEX_FEMALE
        assert info.birth_date.day == day_field - 40
    else:
        assert 1 <= day_field <= 31
        assert info.sex == identity.SEX_MALE
        assert info.birth_date.day == day_field


@QUICK
@given(valid_niks(region_strategy=historic_regions))
def test_it_accepts_historic_kecamatan_codes(nik):
    info = identity.parse_nik(
        nik.number, birth_date=nik.birth_date, sex=nik.sex, today=TODAY
    )

    assert info.region_code == nik.region_code


@QUICK
@given(valid_niks())
def test_it_accepts_a_nik_typed_as_an_int(nik):
    # A NIK never starts with 0 (no province 0x), so int() keeps all 16 digits.
    info = identity.parse_nik(int(nik.number), birth_date=nik.birth_date, today=TODAY)

    assert info.nik == nik.number


@PROPERTY
@given(valid_niks())
def test_it_builds_with_encode_nik_what_the_spec_lays_out(nik):
    built = identity.encode_nik(nik.region6, nik.birth_date, nik.sex, nik.serial)

    assert built == nik.number
    assert identity.encode_nik(
        nik.region6, nik.birth_date, nik.sex, nik.serial4
    ) == nik.number


@PROPERTY
@given(
    valid_niks(date_strategy=st.dates(dt.date(1900, 3, 1), dt.date(1926, 11, 22))),
)
def test_it_lets_the_typed_century_choose_between_two_real_dates(nik):
    # These DDMMYY are real, past dates in both the 1900s and the 2000s.
    later = nik.birth_date.replace(year=nik.birth_date.year + 100)

    earlier_info = identity.parse_nik(nik.number, birth_date=nik.birth_date, today=TODAY)
    later_info = identity.parse_nik(nik.number, birth_date=later, today=TODAY)
    alone_info = identity.parse_nik(nik.number, today=TODAY)

    assert earlier_info.birth_date == nik.birth_date
    assert later_info.birth_date == later
    assert alone_info.birth_date == later
