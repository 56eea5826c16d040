"""Nothing is printed in the barcode's or the QR's quiet zone (10 and 4 modules of white)."""

import pymupdf

from cards import rendering
from tests.cards.test_render_helpers import render, sample_card

DPI = 600
# Anti-aliasing may grey the pixel row that touches a symbol's edge.
EDGE_PX = 2


def _to_pixels(x0: float, y0: float, x1: float, y1: float, height: float) -> tuple[int, int, int, int]:
    """PDF points (origin bottom left) to a pixel box (origin top left), shrunk off the symbol's edge."""
    scale = DPI / 72
    return (
        round(x0 * scale) + EDGE_PX,
        round((height - y1) * scale) + EDGE_PX,
        round(x1 * scale) - EDGE_PX,
        round((height - y0) * scale) - EDGE_PX,
    )


def _darkest(pixmap: pymupdf.Pixmap, box: tuple[int, int, int, int]) -> int:
    left, top, right, bottom = box
    samples = pixmap.samples
    return min(min(samples[row * pixmap.stride + left : row * pixmap.stride + right]) for row in range(top, bottom))


def test_it_keeps_both_quiet_zones_white_even_with_long_text_around():
    long = "Muhammad Abdurrahman Syaifuddin Al-Hasyimi bin Haji Abdul Wahab"
    document, _pages = render(
        [sample_card(1, head_name=long, kelurahan=long, kecamatan=long, copy_number=3)]
    )
    page = document[0]
    pixmap = page.get_pixmap(dpi=DPI, colorspace=pymupdf.csGRAY, alpha=False)
    height = page.rect.height

    qr_quiet = rendering.QR_QUIET_MODULES * rendering.QR_MODULE
    left, right, bottom, top = rendering.QR_LEFT, rendering.QR_RIGHT, rendering.QR_BOTTOM, rendering.QR_TOP
    qr_ring = [
        (left - qr_quiet, bottom - qr_quiet, left, top + qr_quiet),  # left strip
        (right, bottom - qr_quiet, right + qr_quiet, top + qr_quiet),  # right strip
        (left, top, right, top + qr_quiet),  # above
        (left, bottom - qr_quiet, right, bottom),  # below
    ]
    bar_quiet = rendering.BAR_QUIET_MODULES * rendering.BAR_MODULE
    bar_top = rendering.BAR_Y + rendering.BAR_HEIGHT
    bar_sides = [
        (rendering.BAR_X - bar_quiet, rendering.BAR_Y, rendering.BAR_X, bar_top),
        (rendering.BAR_RIGHT, rendering.BAR_Y, rendering.BAR_RIGHT + bar_quiet, bar_top),
    ]

    for zone in qr_ring + bar_sides:
        assert _darkest(pixmap, _to_pixels(*zone, height)) > 250, zone
    # ...and the symbols themselves are where the zones assume they are.
    assert _darkest(pixmap, _to_pixels(left, bottom, right, top, height)) < 5
    assert _darkest(pixmap, _to_pixels(rendering.BAR_X, rendering.BAR_Y, rendering.BAR_RIGHT, bar_top, height)) < 5
