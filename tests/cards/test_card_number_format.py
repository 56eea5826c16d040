"""Display: groups of four, "3275 0000 0012 34"; never a wrong number that looks right."""

import pytest

from cards.numbers import card_number, format_card_number, normalize_card_number


def test_it_groups_the_digits_by_four():
    number = card_number(123, city_code="32.75")

    assert format_card_number(number) == f"3275 0000 0012 3{number[-1]}"


def test_it_round_trips_through_normalize():
    number = card_number(987_654_321, city_code="32.75")

    assert normalize_card_number(format_card_number(number)) == number


@pytest.mark.parametrize("bad", ["", "32750000001230", "3275000000123", "abc"])
def test_it_refuses_to_format_an_invalid_number(bad):
    assert normalize_card_number(bad) == ""  # the check digit of 3275000000123 is not 0
    with pytest.raises(ValueError):
        format_card_number(bad)
