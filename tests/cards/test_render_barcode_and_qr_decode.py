"""The front's Code 128 and QR, rasterised at 600 dpi, decode with zxing-cpp to the card's number."""

import zxingcpp

from cards.qr import qr_verify
from tests.cards.test_render_helpers import decode, render, sample_card


def test_it_prints_a_barcode_and_a_qr_that_a_real_decoder_reads_back_to_the_card_number():
    cards = [sample_card(serial) for serial in (1, 42, 999_999_999)]
    document, _pages = render(cards)

    for index, card in enumerate(cards):
        found = decode(document[2 * index])
        barcodes = [code.text for code in found if code.format == zxingcpp.BarcodeFormat.Code128]
        qr_texts = [code.text for code in found if code.format == zxingcpp.BarcodeFormat.QRCode]

        assert barcodes == [card.card_number]
        assert len(qr_texts) == 1
        assert qr_verify(qr_texts[0]) == card.card_number


def test_it_still_decodes_both_codes_at_a_desk_scanner_s_150_dpi():
    card = sample_card(7)
    document, _pages = render([card])

    found = {code.format: code.text for code in decode(document[0], dpi=150)}

    assert found[zxingcpp.BarcodeFormat.Code128] == card.card_number
    assert qr_verify(found[zxingcpp.BarcodeFormat.QRCode]) == card.card_number


def test_it_puts_no_code_on_the_back():
    document, _pages = render([sample_card(3)])

    assert decode(document[1]) == []
