"""A card number is the city's 4-digit code, a 9-digit serial and a Damm check digit."""

import pytest
from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from cards.numbers import SERIAL_MAX, card_number, damm_check_digit, is_valid_card_number

QUICK = settings(max_examples=100, deadline=None, database=None)


def test_it_computes_the_published_damm_check_digit():
    # Damm (2004) and every reference implementation: 572 -> 4.
    assert damm_check_digit("572") == "4"
    assert damm_check_digit("5724") == "0"


def test_it_lays_out_city_serial_and_check_digit():
    number = card_number(1234, city_code="32.75")

    assert number == "3275" + "000001234" + damm_check_digit("3275000001234")
    assert len(number) == 14
    assert is_valid_card_number(number)


@override_settings(CITY_REGION_CODE="32.76")
def test_it_takes_the_city_prefix_from_the_settings():
    assert card_number(1).startswith("3276000000001")


@QUICK
@given(st.integers(1, SERIAL_MAX), st.from_regex(r"[0-9]{2}\.?[0-9]{2}", fullmatch=True))
def test_it_always_builds_a_valid_number_that_keeps_its_serial(serial, city_code):
    number = card_number(serial, city_code=city_code)

    assert is_valid_card_number(number)
    assert number[:4] == city_code.replace(".", "")
    assert int(number[4:13]) == serial


@pytest.mark.parametrize("serial", [0, -1, SERIAL_MAX + 1, True, 1.0, "1"])
def test_it_refuses_a_serial_out_of_range_or_not_an_integer(serial):
    with pytest.raises(ValueError, match="serial"):
        card_number(serial, city_code="32.75")


@pytest.mark.parametrize("city_code", ["3", "32.7", "32.750", "ab.cd", "32-75", "٣٢.٧٥"])
def test_it_refuses_a_malformed_city_code(city_code):
    with pytest.raises(ValueError, match="city_code"):
        card_number(1, city_code=city_code)
