"""Shared by the test_render_* files: sample cards, rendering into memory, reading the PDF back.

No tests here; the name only keeps it with the other rendering test files.
"""

from __future__ import annotations

import datetime as dt
import io

import pymupdf
import zxingcpp
from django.conf import settings
from django.utils import translation

from cards.numbers import card_number
from cards.rendering import CardData, render_cards

MM = 72 / 25.4
CARD_WIDTH_MM = 85.60
CARD_HEIGHT_MM = 53.98
UNICODE_NAMES = ["Ṣiti Nur'aini", "Đặng Văn Lâm", "Zoë O'Brien"]


def sample_card(serial: int = 1, **overrides) -> CardData:
    values = {
        "card_number": card_number(serial, city_code="32.75"),
        "head_name": "Ahmad Hidayat",
        "kk_number": "3275011505800003",
        "kelurahan": "Kranji",
        "kecamatan": "Bekasi Barat",
        "issue_date": dt.date(2026, 11, 22),
        "members": [("Ahmad Hidayat", "Kepala Keluarga"), ("Siti Aminah", "Istri"), ("Budi Hidayat", "Anak")],
    }
    values.update(overrides)
    return CardData(**values)


def render(cards, *, city: dict | None = None) -> tuple[pymupdf.Document, int]:
    """(the PDF opened with PyMuPDF, the page count render_cards returned), printed in Bahasa Indonesia."""
    out = io.BytesIO()
    with translation.override("id"):
        pages = render_cards(cards, out, city=city or settings.KARTUSEHAT_CITY)
    return pymupdf.open(stream=out.getvalue(), filetype="pdf"), pages


def decode(page: pymupdf.Page, *, dpi: int = 600) -> list:
    """Every barcode zxing-cpp finds on the page rasterised in grey at ``dpi``."""
    pixmap = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY, alpha=False)
    image = memoryview(pixmap.samples).cast("B", (pixmap.height, pixmap.stride))
    return zxingcpp.read_barcodes(image)


def spans(page: pymupdf.Page) -> list[dict]:
    """Every text span on the page (text, font, bbox)."""
    return [
        span
        for block in page.get_text("dict")["blocks"]
        for line in block.get("lines", [])
        for span in line["spans"]
    ]
