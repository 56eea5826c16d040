"""Separators never change a result; mask() shows only the first and last 4 digits."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kartusehat import identity
from tests.identity.identity_strategies import (
    PROPERTY,
    QUICK,
    SEPARATORS,
    TODAY,
    sprinkled,
    valid_kks,
    valid_niks,
)

BULLET = "\u2022"
digit_strings = st.text("0123456789", min_size=0, max_size=30)


def outcome(parse, raw, **kwargs):
    """What a parse returns, or the code and params of its rejection."""
    try:
        return parse(raw, today=TODAY, **kwargs)
    except identity.InvalidNumber as err:
        return (err.code, err.params)


# Anything a person might type: valid numbers, corrupted ones, random digits.
nik_like = st.one_of(
    valid_niks().map(lambda n: n.number),
    valid_niks().map(lambda n: n.number[:12] + "0000"),
    st.text("0123456789", min_size=16, max_size=16),
    digit_strings,
)
kk_like = st.one_of(
    valid_kks().map(lambda k: k.number),
    valid_kks().map(lambda k: k.number[:12] + "0000"),
    st.text("0123456789", min_size=16, max_size=16),
    digit_strings,
)


@PROPERTY
@given(st.data())
def test_it_strips_spaces_dots_and_dashes_anywhere(data):
    digits = data.draw(digit_strings, label="digits")
    typed = data.draw(sprinkled(digits), label="typed")

    assert identity.normalize(typed) == digits


@QUICK
@given(st.text())
def test_it_keeps_everything_but_separators(text):
    normal = identity.normalize(text)

    assert not any(char in normal for char in SEPARATORS)
    assert identity.normalize(normal) == normal
    assert [c for c in text if c.isascii() and (c.isalnum() or c in "/,_+#")] == [
        c for c in normal if c.isascii() and (c.isalnum() or c in "/,_+#")
    ]


def test_it_normalizes_none_to_empty():
    assert identity.normalize(None) == ""


@pytest.mark.parametrize(
    "separator",
    ["\t", "\n", "\u00a0", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015"],
    ids=["tab", "newline", "nbsp", "hyphen", "nb-hyphen", "figure-dash", "en-dash", "em-dash", "bar"],
)
def test_it_also_strips_pasted_whitespace_and_typographic_dashes(separator):
    typed = separator.join(["327501", "150580", "0003"])

    assert identity.normalize(typed) == "3275011505800003"
    assert identity.parse_nik(typed, today=TODAY).nik == "3275011505800003"


@PROPERTY
@given(valid_niks(), st.data())
def test_it_decodes_a_nik_the_same_with_separators(nik, data):
    typed = data.draw(sprinkled(nik.number), label="typed")

    bare = identity.parse_nik(nik.number, birth_date=nik.birth_date, sex=nik.sex, today=TODAY)
    spaced = identity.parse_nik(typed, birth_date=nik.birth_date, sex=nik.sex, today=TODAY)

    assert spaced == bare
    assert spaced.nik == nik.number


@PROPERTY
@given(nik_like, st.data())
def test_it_gives_the_same_nik_verdict_with_separators(raw, data):
    typed = data.draw(sprinkled(raw), label="typed")

    assert outcome(identity.parse_nik, typed) == outcome(identity.parse_nik, raw)


@PROPERTY
@given(valid_kks(), st.data())
def test_it_decodes_a_kk_number_the_same_with_separators(kk, data):
    typed = data.draw(sprinkled(kk.number), label="typed")

    info = identity.parse_kk(typed, today=TODAY)

    assert info == identity.parse_kk(kk.number, today=TODAY)
    assert info.kk_number == kk.number


@PROPERTY
@given(kk_like, st.data())
def test_it_gives_the_same_kk_verdict_with_separators(raw, data):
    typed = data.draw(sprinkled(raw), label="typed")

    assert outcome(identity.parse_kk, typed) == outcome(identity.parse_kk, raw)


@PROPERTY
@given(st.text("0123456789", min_size=16, max_size=16))
def test_it_masks_all_but_the_first_and_last_four_digits(number):
    masked = identity.mask(number)

    assert masked == number[:4] + BULLET * 8 + number[-4:]


@PROPERTY
@given(st.text("0123456789", min_size=9, max_size=30))
def test_it_masks_the_middle_of_any_longer_number(number):
    masked = identity.mask(number)

    assert len(masked) == len(number)
    assert masked[:4] == number[:4]
    assert masked[-4:] == number[-4:]
    assert set(masked[4:-4]) == {BULLET}


@QUICK
@given(st.text("0123456789", max_size=8))
def test_it_masks_short_numbers_completely(number):
    assert identity.mask(number) == BULLET * len(number)


@PROPERTY
@given(st.text("0123456789", min_size=16, max_size=16), st.data())
def test_it_masks_the_same_with_separators(number, data):
    typed = data.draw(sprinkled(number), label="typed")

    assert identity.mask(typed) == identity.mask(number)
