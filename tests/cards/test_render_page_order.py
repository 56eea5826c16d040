"""Two pages per card, front then back, in the order the cards were given."""

import datetime as dt

from cards.numbers import format_card_number
from tests.cards.test_render_helpers import render, sample_card


def test_it_writes_front_then_back_for_each_card_in_order():
    heads = ["Pertama Saja", "Kedua Saja", "Ketiga Saja"]
    children = ["Anak Pertama", "Anak Kedua", "Anak Ketiga"]
    cards = [
        sample_card(10 + index, head_name=head, members=[(head, "Kepala Keluarga"), (child, "Anak")])
        for index, (head, child) in enumerate(zip(heads, children))
    ]

    document, pages = render(cards)

    assert pages == document.page_count == 6
    for index, (card, child) in enumerate(zip(cards, children)):
        front = document[2 * index].get_text()
        back = document[2 * index + 1].get_text()
        number = format_card_number(card.card_number)
        assert card.head_name in front and number in front and "Nomor KK" in front
        assert child not in front
        assert child in back and number in back and "Anggota Keluarga yang Ditanggung" in back


def test_it_shows_the_front_s_fields():
    card = sample_card(5, kk_number="3275011505800003", kelurahan="Margajaya", kecamatan="Bekasi Selatan",
                       issue_date=dt.date(2026, 8, 17), copy_number=2)

    document, _pages = render([card])
    front = document[0].get_text()

    assert "3275 0115 0580 0003" in front
    assert "Margajaya / Bekasi Selatan" in front
    assert "17 Agustus 2026" in front
    assert "Cetakan ke-2" in front


def test_it_accepts_any_iterable_such_as_a_generator():
    document, pages = render(sample_card(serial) for serial in range(1, 6))

    assert pages == document.page_count == 10
