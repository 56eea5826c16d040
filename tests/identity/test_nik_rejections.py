"""Every single-rule corruption of a valid NIK is rejected with that rule's code."""

import datetime as dt

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from kartusehat import identity
from tests.identity.identity_strategies import (
    BAD_MONTHS,
    NIK_BAD_DAYS,
    PROPERTY,
    QUICK,
    SEPARATORS,
    THIRTY_DAY_MONTHS,
    TODAY,
    make_nik,
    nik_digits,
    non_digit_chars,
    regions,
    serials,
    sexes,
    unknown_regions,
    valid_niks,
)


def rejection(raw, **kwargs):
    kwargs.setdefault("today", TODAY)
    with pytest.raises(identity.InvalidNumber) as excinfo:
        identity.parse_nik(raw, **kwargs)
    return excinfo.value


def other_sex(sex):
    return identity.SEX_FEMALE if sex == identity.SEX_MALE else identity.SEX_MALE


@QUICK
@given(st.text(SEPARATORS, max_size=5))
def test_it_asks_for_the_nik_when_nothing_but_separators_is_typed(raw):
    assert rejection(raw).code == "nik.required"


def test_it_asks_for_the_nik_when_given_none():
    assert rejection(None).code == "nik.required"


@PROPERTY
@given(valid_niks(), unknown_regions())
def test_it_rejects_an_unknown_region(nik, six):
    number = six + nik.number[6:]

    err = rejection(number, birth_date=nik.birth_date, sex=nik.sex)

    assert err.code == "nik.region"
    assert err.params == {"code": six}


@PROPERTY
@given(valid_niks(), st.booleans())
def test_it_rejects_serial_0000(nik, with_typed_fields):
    number = nik.number[:12] + "0000"
    typed = {"birth_date": nik.birth_date, "sex": nik.sex} if with_typed_fields else {}

    assert rejection(number, **typed).code == "nik.serial"


@PROPERTY
@given(
    st.integers(min_value=1, max_value=30)
    .filter(lambda n: n != 16)
    .flatmap(lambda n: st.text("0123456789", min_size=n, max_size=n))
)
def test_it_rejects_any_digit_string_not_16_long(digits):
    err = rejection(digits)

    assert err.code == "nik.length"
    assert err.params == {"count": len(digits)}


@PROPERTY
@given(valid_niks(), st.data())
def test_it_rejects_a_valid_nik_with_digits_dropped_or_added(nik, data):
    if data.draw(st.booleans(), label="drop"):
        keep = data.draw(st.integers(min_value=1, max_value=15), label="keep")
        number = nik.number[:keep]
    else:
        number = nik.number + data.draw(st.text("0123456789", min_size=1, max_size=14))

    err = rejection(number, birth_date=nik.birth_date, sex=nik.sex)

    assert err.code == "nik.length"
    assert err.params == {"count": len(number)}


@PROPERTY
@given(valid_niks(), non_digit_chars, st.data())
def test_it_rejects_non_digit_characters(nik, char, data):
    position = data.draw(st.integers(min_value=0, max_value=16), label="position")
    replace = data.draw(st.booleans(), label="replace")
    number = nik.number[:position] + char + nik.number[position + replace :]

    err = rejection(number, birth_date=nik.birth_date, sex=nik.sex)

    assert err.code == "nik.not_digits"


@PROPERTY
@given(
    regions,
    st.sampled_from(NIK_BAD_DAYS),
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=0, max_value=99),
    serials,
)
def test_it_rejects_an_impossible_day(region6, day, month, yy, serial):
    number = nik_digits(region6, day, month, yy, serial)

    err = rejection(number)

    assert err.code == "nik.date_invalid"
    assert err.params == {"ddmmyy": number[6:12]}


@PROPERTY
@given(
    regions,
    st.integers(min_value=1, max_value=28),
    sexes,
    st.sampled_from(BAD_MONTHS),
    st.integers(min_value=0, max_value=99),
    serials,
)
def test_it_rejects_an_impossible_month(region6, day, sex, month, yy, serial):
    day_field = day + (40 if sex == identity.SEX_FEMALE else 0)
    number = nik_digits(region6, day_field, month, yy, serial)

    assert rejection(number).code == "nik.date_invalid"


@PROPERTY
@given(
    regions,
    sexes,
    st.sampled_from(THIRTY_DAY_MONTHS),
    st.integers(min_value=0, max_value=99),
    serials,
    st.booleans(),
)
def test_it_rejects_the_31st_of_a_30_day_month(region6, sex, month, yy, serial, typed):
    day_field = 31 + (40 if sex == identity.SEX_FEMALE else 0)
    number = nik_digits(region6, day_field, month, yy, serial)
    # The person types a date in that year; the 30th of the month will do.
    kwargs = {"birth_date": dt.date(1900 + yy, month, 30)} if typed else {}

    assert rejection(number, **kwargs).code == "nik.date_invalid"


@PROPERTY
@given(
    regions,
    sexes,
    st.sampled_from([30, 31]),
    st.integers(min_value=0, max_value=99),
    serials,
)
def test_it_rejects_30_and_31_february(region6, sex, day, yy, serial):
    day_field = day + (40 if sex == identity.SEX_FEMALE else 0)

    assert rejection(nik_digits(region6, day_field, 2, yy, serial)).code == "nik.date_invalid"


@PROPERTY
@given(
    regions,
    sexes,
    st.integers(min_value=1901, max_value=TODAY.year).filter(lambda y: y % 4 != 0),
    serials,
    st.booleans(),
)
def test_it_rejects_29_february_of_a_non_leap_year(region6, sex, year, serial, typed):
    day_field = 29 + (40 if sex == identity.SEX_FEMALE else 0)
    number = nik_digits(region6, day_field, 2, year % 100, serial)
    kwargs = {"birth_date": dt.date(year, 3, 1), "sex": sex} if typed else {}

    assert rejection(number, **kwargs).code == "nik.date_invalid"


@PROPERTY
@given(
    regions,
    st.dates(min_value=TODAY + dt.timedelta(days=1), max_value=dt.date(2099, 12, 31)),
    sexes,
    serials,
)
def test_it_rejects_a_typed_birth_date_in_the_future(region6, birth_date, sex, serial):
    nik = make_nik(region6, birth_date, sex, serial)

    err = rejection(nik.number, birth_date=birth_date, sex=sex)

    assert err.code == "nik.date_future"
    assert err.params == {"date": birth_date.strftime("%d-%m-%Y")}


def test_it_rejects_a_nik_alone_whose_only_real_date_is_in_the_future():
    # 29-02-00: 1900 was not a leap year, and on 28 Feb 2000 the 29th is tomorrow.
    err = rejection("3275012902000003", today=dt.date(2000, 2, 28))

    assert err.code == "nik.date_future"


def _ambiguous_29_february_1900s(nik, typed):
    """29-02-00 typed with a 1900s year: the spec is unclear (invalid or mismatch)."""
    return (
        (nik.birth_date.month, nik.birth_date.day, nik.birth_date.year % 100) == (2, 29, 0)
        and typed.year // 100 != nik.birth_date.year // 100
    )


@PROPERTY
@given(valid_niks(), st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY))
def test_it_rejects_a_typed_birth_date_that_disagrees(nik, typed):
    # The typed century decides; only a typed date whose DDMMYY differs disagrees.
    assume(typed.strftime("%d%m%y") != nik.birth_date.strftime("%d%m%y"))
    assume(not _ambiguous_29_february_1900s(nik, typed))

    err = rejection(nik.number, birth_date=typed, sex=nik.sex)

    assert err.code == "nik.birth_date_mismatch"
    assert err.params["given_date"] == typed.strftime("%d-%m-%Y")
    assert err.params["nik_date"].startswith(nik.birth_date.strftime("%d-%m-"))


@PROPERTY
@given(valid_niks(), st.booleans())
def test_it_rejects_a_typed_sex_that_disagrees(nik, with_birth_date):
    typed_sex = other_sex(nik.sex)
    kwargs = {"birth_date": nik.birth_date} if with_birth_date else {}

    err = rejection(nik.number, sex=typed_sex, **kwargs)

    assert err.code == "nik.sex_mismatch"
    assert err.params == {
        "nik_sex": nik.sex,
        "day": nik.number[6:8],
        "given_sex": typed_sex,
    }


@PROPERTY
@given(valid_niks())
def test_it_names_the_rule_in_every_rejection(nik):
    err = rejection(nik.number[:12] + "0000")

    assert err.field_kind == "nik"
    assert err.rule == "serial"
    assert isinstance(err, ValueError)
