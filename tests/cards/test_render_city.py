"""The programme, city and complaints line come from the city settings, not from code."""

from cards.numbers import card_number
from tests.cards.test_render_helpers import render, sample_card

OTHER_CITY = {"name": "Kota Depok", "program_name": "Kartu Depok Sehat", "hotline": "+62 812-3456-7890"}


def test_it_prints_the_city_s_programme_name_and_hotline():
    card = sample_card(card_number=card_number(1, city_code="32.76"), kelurahan="Beji", kecamatan="Beji")

    document, _pages = render([card], city=OTHER_CITY)

    front, back = document[0].get_text(), document[1].get_text()
    assert "Kartu Depok Sehat" in front
    assert "Pemerintah Kota Depok" in front
    assert "+62 812-3456-7890" in back
    assert "Bekasi" not in front + back
