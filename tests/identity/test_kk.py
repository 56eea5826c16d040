"""KK numbers: valid ones decode; every single-rule corruption names its rule."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kartusehat import identity
from tests.identity.identity_strategies import (
    BAD_MONTHS,
    KK_BAD_DAYS,
    PROPERTY,
    QUICK,
    SEPARATORS,
    THIRTY_DAY_MONTHS,
    TODAY,
    kk_digits,
    make_kk,
    non_digit_chars,
    regions,
    serials,
    unknown_regions,
    valid_kks,
)


def rejection(raw, **kwargs):
    kwargs.setdefault("today", TODAY)
    with pytest.raises(identity.InvalidNumber) as excinfo:
        identity.parse_kk(raw, **kwargs)
    return excinfo.value


@PROPERTY
@given(valid_kks())
def test_it_round_trips_a_kk_number(kk):
    info = identity.parse_kk(kk.number, today=TODAY)

    assert info.kk_number == kk.number
    assert info.region_code == f"{kk.region6[:2]}.{kk.region6[2:4]}.{kk.region6[4:]}"
    assert info.issue_date == kk.issue_date
    assert info.serial == f"{kk.serial:04d}"


@QUICK
@given(valid_kks())
def test_it_builds_with_encode_kk_what_the_spec_lays_out(kk):
    assert identity.encode_kk(kk.region6, kk.issue_date, kk.serial) == kk.number


@QUICK
@given(st.text(SEPARATORS, max_size=5))
def test_it_asks_for_the_kk_number_when_nothing_is_typed(raw):
    assert rejection(raw).code == "kk.required"


@PROPERTY
@given(valid_kks(), unknown_regions())
def test_it_rejects_an_unknown_region(kk, six):
    err = rejection(six + kk.number[6:])

    assert err.code == "kk.region"
    assert err.params == {"code": six}


@PROPERTY
@given(valid_kks())
def test_it_rejects_serial_0000(kk):
    assert rejection(kk.number[:12] + "0000").code == "kk.serial"


@PROPERTY
@given(
    st.integers(min_value=1, max_value=30)
    .filter(lambda n: n != 16)
    .flatmap(lambda n: st.text("0123456789", min_size=n, max_size=n))
)
def test_it_rejects_any_digit_string_not_16_long(digits):
    err = rejection(digits)

    assert err.code == "kk.length"
    assert err.params == {"count": len(digits)}


@PROPERTY
@given(valid_kks(), non_digit_chars, st.integers(min_value=0, max_value=16), st.booleans())
def test_it_rejects_non_digit_characters(kk, char, position, replace):
    number = kk.number[:position] + char + kk.number[position + replace :]

    assert rejection(number).code == "kk.not_digits"


@PROPERTY
@given(valid_kks())
def test_it_rejects_a_day_plus_40_because_kk_dates_have_no_sex_offset(kk):
    day_field = kk.issue_date.day + 40
    number = kk_digits(
        kk.region6, day_field, kk.issue_date.month, kk.issue_date.year % 100, kk.serial
    )

    err = rejection(number)

    assert err.code == "kk.date_invalid"
    assert err.params == {"ddmmyy": number[6:12]}


@PROPERTY
@given(
    regions,
    st.sampled_from(KK_BAD_DAYS),
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=0, max_value=99),
    serials,
)
def test_it_rejects_an_impossible_day(region6, day, month, yy, serial):
    assert rejection(kk_digits(region6, day, month, yy, serial)).code == "kk.date_invalid"


@PROPERTY
@given(
    regions,
    st.integers(min_value=1, max_value=28),
    st.sampled_from(BAD_MONTHS),
    st.integers(min_value=0, max_value=99),
    serials,
)
def test_it_rejects_an_impossible_month(region6, day, month, yy, serial):
    assert rejection(kk_digits(region6, day, month, yy, serial)).code == "kk.date_invalid"


@PROPERTY
@given(
    regions,
    st.one_of(
        st.tuples(st.just(31), st.sampled_from(THIRTY_DAY_MONTHS)),
        st.tuples(st.sampled_from([30, 31]), st.just(2)),
    ),
    st.integers(min_value=0, max_value=99),
    serials,
)
def test_it_rejects_a_day_past_the_end_of_its_month(region6, day_month, yy, serial):
    day, month = day_month

    assert rejection(kk_digits(region6, day, month, yy, serial)).code == "kk.date_invalid"


@PROPERTY
@given(
    regions,
    st.integers(min_value=0, max_value=99).filter(lambda yy: yy % 4 != 0),
    serials,
)
def test_it_rejects_29_february_of_a_non_leap_year(region6, yy, serial):
    assert rejection(kk_digits(region6, 29, 2, yy, serial)).code == "kk.date_invalid"


def test_it_accepts_29_february_2000():
    info = identity.parse_kk(kk_digits("327502", 29, 2, 0, 7), today=TODAY)

    assert info.issue_date == dt.date(2000, 2, 29)


@QUICK
@given(
    regions,
    # Dates up to 2030: read 100 years back they would be 1926-1930, before
    # Indonesia (and its Kartu Keluarga) existed, so "future" is the only reading.
    st.dates(min_value=TODAY + dt.timedelta(days=1), max_value=dt.date(2030, 12, 31)),
    serials,
)
def test_it_rejects_an_issue_date_in_the_future(region6, issue_date, serial):
    kk = make_kk(region6, issue_date, serial)

    err = rejection(kk.number)

    assert err.code == "kk.date_future"
    assert err.params == {"date": issue_date.strftime("%d-%m-%Y")}


@PROPERTY
@given(valid_kks())
def test_it_names_the_rule_in_every_rejection(kk):
    err = rejection(kk.number[:12] + "0000")

    assert err.field_kind == "kk"
    assert err.rule == "serial"
