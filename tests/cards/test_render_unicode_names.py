"""Names with any Latin letters (dots below, horns, diaereses, apostrophes) print as typed."""

import unicodedata

from tests.cards.test_render_helpers import UNICODE_NAMES, render, sample_card


def test_it_prints_unicode_names_on_the_front_and_the_back():
    members = [(name, "Anak") for name in UNICODE_NAMES]

    document, _pages = render([sample_card(1, head_name=UNICODE_NAMES[0], members=members)])

    assert UNICODE_NAMES[0] in document[0].get_text()
    back = document[1].get_text()
    for name in UNICODE_NAMES:
        assert name in back


def test_it_composes_accents_typed_as_combining_marks():
    decomposed = unicodedata.normalize("NFD", "Đặng Văn Lâm")
    assert decomposed != "Đặng Văn Lâm"

    document, _pages = render([sample_card(1, head_name=decomposed)])

    assert "Đặng Văn Lâm" in document[0].get_text()
