"""A batch with a wrong card number, or no card, fails before anything reaches the output."""

import io

import pytest
from django.conf import settings

from cards.rendering import render_cards
from tests.cards.test_render_helpers import sample_card


def test_it_refuses_a_card_number_with_a_wrong_check_digit_and_writes_nothing():
    good = sample_card(1)
    typo = good.card_number[:-1] + str((int(good.card_number[-1]) + 1) % 10)
    out = io.BytesIO()

    with pytest.raises(ValueError, match="not a valid card number"):
        render_cards([good, sample_card(2, card_number=typo)], out, city=settings.KARTUSEHAT_CITY)
    assert out.getvalue() == b""


def test_it_refuses_an_empty_batch():
    out = io.BytesIO()

    with pytest.raises(ValueError, match="no cards"):
        render_cards([], out, city=settings.KARTUSEHAT_CITY)
    assert out.getvalue() == b""
