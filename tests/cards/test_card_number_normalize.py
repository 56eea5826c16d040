"""Typed or scanned numbers: separators dropped, anything invalid becomes ""."""

import pytest

from cards.numbers import card_number, is_valid_card_number, normalize_card_number

NUMBER = card_number(1234, city_code="32.75")


@pytest.mark.parametrize(
    "typed",
    [
        "3275 0000 0123 4" + NUMBER[-1],
        "3275-0000-0123-4" + NUMBER[-1],
        " 3275.0000.0123.4" + NUMBER[-1] + "\n",
        "3275 – 0000 0123 4" + NUMBER[-1],
    ],
)
def test_it_drops_spaces_dots_and_dashes(typed):
    assert normalize_card_number(typed) == NUMBER


@pytest.mark.parametrize(
    "raw",
    [
        "",
        NUMBER[:-1],
        NUMBER + "0",
        NUMBER[:-1] + str((int(NUMBER[-1]) + 1) % 10),
        NUMBER.replace("3", "٣"),  # Arabic-Indic digit: looks like a digit, is not ours
        "３２７５" + NUMBER[4:],  # full-width digits
        "KS1." + NUMBER,
        None,
        int(NUMBER),
    ],
)
def test_it_returns_empty_for_anything_that_is_not_a_card_number(raw):
    assert normalize_card_number(raw) == ""
    assert not is_valid_card_number(raw)


def test_it_accepts_only_the_canonical_form_as_valid():
    assert is_valid_card_number(NUMBER)
    assert not is_valid_card_number(NUMBER[:4] + " " + NUMBER[4:])
