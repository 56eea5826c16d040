"""Past 256 distinct glyphs, ReportLab opens a second font subset; names still print as typed."""

from cards.rendering import fonts
from tests.cards.test_render_helpers import render, sample_card


def _letters() -> list[str]:
    regular, bold = fonts()
    # Latin Extended-A, Latin Extended Additional, Cyrillic.
    blocks = [range(0x0100, 0x0180), range(0x1E00, 0x1F00), range(0x0410, 0x0450)]
    return [
        chr(code)
        for block in blocks
        for code in block
        if chr(code).isalpha() and code in regular.face.charToGlyph and code in bold.face.charToGlyph
    ]


def test_it_prints_names_that_need_more_than_one_font_subset():
    letters = _letters()
    assert len(letters) > 300
    names = ["".join(letters[start : start + 12]) for start in range(0, len(letters), 12)]
    cards = [
        sample_card(index + 1, head_name=name, members=[(name, "Anak")])
        for index, name in enumerate(names)
    ]

    document, _pages = render(cards)

    subsets = {font[4] for page in document for font in page.get_fonts()}
    assert any(name.endswith("+1") for name in subsets), subsets
    for index, name in enumerate(names):
        assert name in document[2 * index].get_text()
        assert name in document[2 * index + 1].get_text()
