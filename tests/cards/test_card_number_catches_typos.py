"""Damm: every single-digit change and every swap of two adjacent different digits is rejected."""

from hypothesis import given, settings
from hypothesis import strategies as st

from cards.numbers import SERIAL_MAX, card_number, is_valid_card_number, normalize_card_number

PROPERTY = settings(max_examples=200, deadline=None, database=None)

numbers = st.builds(
    lambda serial, city: card_number(serial, city_code=city),
    st.integers(1, SERIAL_MAX),
    st.from_regex(r"[0-9]{4}", fullmatch=True),
)


@PROPERTY
@given(numbers)
def test_it_rejects_every_single_digit_change(number):
    assert is_valid_card_number(number)
    for position in range(len(number)):
        for digit in "0123456789":
            if digit == number[position]:
                continue
            typo = number[:position] + digit + number[position + 1 :]
            assert not is_valid_card_number(typo), typo
            assert normalize_card_number(typo) == ""


@PROPERTY
@given(numbers)
def test_it_rejects_every_adjacent_transposition(number):
    for position in range(len(number) - 1):
        if number[position] == number[position + 1]:
            continue
        swapped = number[:position] + number[position + 1] + number[position] + number[position + 2 :]
        assert not is_valid_card_number(swapped), swapped


@PROPERTY
@given(st.integers(1, SERIAL_MAX), st.sampled_from("0123456789"), st.sampled_from("0123456789"))
def test_it_rejects_a_typo_even_in_a_number_full_of_repeats(serial, a, b):
    # Hand-built runs like 3275 0000 0000 0x stress the anti-symmetry of the table.
    number = card_number(serial, city_code=a * 2 + b * 2)
    for position in range(len(number) - 1):
        if number[position] != number[position + 1]:
            swapped = number[:position] + number[position + 1] + number[position] + number[position + 2 :]
            assert not is_valid_card_number(swapped)
