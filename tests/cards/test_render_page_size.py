"""Every page is exactly ISO/IEC 7810 ID-1: 85.60 × 53.98 mm."""

from tests.cards.test_render_helpers import CARD_HEIGHT_MM, CARD_WIDTH_MM, MM, render, sample_card


def test_it_makes_every_page_exactly_id_1_size():
    document, _pages = render([sample_card(serial) for serial in range(1, 4)])

    assert document.page_count == 6
    for page in document:
        for box in (page.mediabox, page.cropbox):
            assert abs(box.width / MM - CARD_WIDTH_MM) < 0.01
            assert abs(box.height / MM - CARD_HEIGHT_MM) < 0.01
        assert page.rotation == 0
