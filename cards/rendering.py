"""Render health cards to one print-ready PDF.

Each card is two pages of exactly ISO/IEC 7810 ID-1 size (85.60 × 53.98 mm),
front then back, because card printers take one card side per page.

- Front: programme and city, head of household, KK number, kelurahan and
  kecamatan, issue date, card number, a Code 128 barcode of the card number
  (modules from python-barcode) and the signed QR (:mod:`cards.qr`, encoded
  by zxing-cpp).
- Back: the covered members (up to :data:`MAX_MEMBERS` listed), the
  complaints line and how to use the card.

Speed is the point of most choices here (the yearly lot is 600,000 cards; see
README "Performance" and ``benchmarks/render_cards.py``):

- Everything that is the same on every card (bands, titles, labels, the
  how-to text) is drawn once per PDF as a form XObject and placed with one
  ``Do`` per page.
- Per-card text and bars are written as raw PDF operators (``Tj``, ``re``)
  through ``Canvas.addLiteral``: ReportLab's ``drawString`` costs ~80 µs a
  call, more than a third of a whole page. Text still goes through
  ReportLab's TrueType subsetting (``splitString`` / ``getSubsetInternalName``,
  its documented protocol for dynamic fonts), so the font is embedded as
  usual.
- The QR symbol comes from zxing-cpp (C++, ~0.3 ms with automatic mask
  selection; pure-Python encoders take 3-15 ms a code) and is drawn as one
  1-bit inline image: ~200 ``re`` runs measured 30 % slower and 50 % larger.

Texts are Bahasa Indonesia wrapped in gettext: the caller activates the
language (``id`` for printing) before calling :func:`render_cards`.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import zxingcpp
from barcode import Code128
from django.utils import formats
from django.utils.translation import gettext as _
from reportlab.lib.rl_accel import escapePDF
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from .numbers import format_card_number, is_valid_card_number
from .qr import qr_payload

CARD_WIDTH = 85.60 * mm
CARD_HEIGHT = 53.98 * mm
# A household card lists at most this many members; a larger KK gets the
# first ones and a line saying how many more are covered.
MAX_MEMBERS = 20

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_REGULAR = "KartuSehat-Sans"
FONT_BOLD = "KartuSehat-Sans-Bold"
_FONT_FILES = {FONT_REGULAR: "DejaVuSansCondensed.ttf", FONT_BOLD: "DejaVuSansCondensed-Bold.ttf"}

# Module sizes are whole dots of a 300 dpi card printer, so every bar and QR
# module prints the same width. Code 128 at 3 dots (0.254 mm, the common
# 10 mil X-dimension) with its 10-module quiet zone; QR at 6 dots (0.508 mm)
# with its 4-module quiet zone.
BAR_MODULE = 25.4 / 300 * 3 * mm
BAR_QUIET_MODULES = 10
BAR_HEIGHT = 8.0 * mm
QR_MODULE = 25.4 / 300 * 6 * mm
QR_QUIET_MODULES = 4
# 14 digits in Code 128 set C: start, 7 digit pairs, check symbol (11 modules
# each) and the 13-module stop.
BAR_MODULES = 112
# H recovers 30 % of a scratched symbol; the 35-character payload still fits
# version 3 (29 × 29 modules), the same size Q would take.
QR_EC_LEVEL = "H"
QR_SIZE = 29

MARGIN = 3.5 * mm
FRONT_BAND = 10.5 * mm
BACK_BAND = 8.0 * mm
BRAND = "0 0.42 0.44"  # teal, as PDF RGB operands
LABEL_GREY = "0.35"

# Front: the QR sits top right under the band; the left column of text ends
# before its quiet zone.
QR_RIGHT = CARD_WIDTH - 4.5 * mm
QR_TOP = CARD_HEIGHT - FRONT_BAND - 3.0 * mm
QR_LEFT = QR_RIGHT - QR_SIZE * QR_MODULE
QR_BOTTOM = QR_TOP - QR_SIZE * QR_MODULE
TEXT_RIGHT = QR_LEFT - QR_QUIET_MODULES * QR_MODULE - 0.5 * mm
# The barcode sits bottom left; the card's margin holds its left quiet zone.
BAR_X = MARGIN
BAR_Y = 3.2 * mm
BAR_RIGHT = BAR_X + BAR_MODULES * BAR_MODULE
# The issue date shares a row with the KK number.
DATE_X = 35 * mm
KK_WIDTH = DATE_X - MARGIN - 1.5 * mm

# Back: where the member list may go.
MEMBERS_TOP = CARD_HEIGHT - BACK_BAND - 2.0 * mm
MEMBERS_BOTTOM = 16.5 * mm
MEMBER_MAX_SIZE = 7.0
MEMBER_MIN_SIZE = 4.5
MEMBERS_ONE_COLUMN = 10

ELLIPSIS = "…"
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class CardData:
    """What one card shows; the caller reads it from the roster."""

    card_number: str
    head_name: str
    kk_number: str
    kelurahan: str
    kecamatan: str
    issue_date: dt.date
    # (full name, relationship label such as "Istri"), in KK order.
    members: Sequence[tuple[str, str]] = field(default_factory=list)
    # 2 and up for a reprint, printed on the card so a replaced card can be told apart.
    copy_number: int = 1


@functools.cache
def fonts() -> tuple[TTFont, TTFont]:
    """(regular, bold), registered with ReportLab once per process."""
    loaded = []
    for name, filename in _FONT_FILES.items():
        font = TTFont(name, str(FONT_DIR / filename))
        pdfmetrics.registerFont(font)
        loaded.append(font)
    return loaded[0], loaded[1]


def clean_text(text: str) -> str:
    """One line of printable text: composed accents (NFC), whitespace runs collapsed.

    A name typed with combining accents would otherwise print the accent as
    a separate glyph; a stray newline would break the layout.
    """
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def fit_text(font: TTFont, text: str, *, size: float, min_size: float, width: float) -> tuple[str, float]:
    """``(text, size)`` that fits ``width``: shrunk down to ``min_size``, then cut with an ellipsis."""
    full = font.stringWidth(text, size)
    if full <= width:
        return text, size
    shrunk = math.floor(size * width / full * 10) / 10
    if shrunk >= min_size:
        return text, shrunk
    # Longest prefix that fits with the ellipsis; binary search, widths grow with length.
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if font.stringWidth(text[:middle].rstrip() + ELLIPSIS, min_size) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + ELLIPSIS, min_size


def wrap_text(font: TTFont, text: str, *, size: float, width: float) -> list[str]:
    """Greedy word wrap; a single word wider than ``width`` keeps its own line."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if line and font.stringWidth(candidate, size) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines


class _Text:
    """Raw PDF text operators in an embedded TrueType font, for one document.

    ReportLab assigns glyphs to 256-glyph subsets per document, so the
    encoded form of a string is stable within one PDF and cached: labels,
    dates, kelurahan and relationship names repeat on most cards.
    """

    def __init__(self, canvas: Canvas):
        # The subsetting protocol keys on the PDFDocument, which Canvas keeps as _doc.
        self._doc = canvas._doc
        self._encoded: dict[tuple[str, str], list[tuple[str, str]]] = {}

    def _encode(self, font: TTFont, text: str) -> list[tuple[str, str]]:
        key = (font.fontName, text)
        chunks = self._encoded.get(key)
        if chunks is None:
            doc = self._doc
            chunks = [
                (font.getSubsetInternalName(subset, doc), escapePDF(chunk))
                for subset, chunk in font.splitString(text, doc)
            ]
            self._encoded[key] = chunks
        return chunks

    def draw(self, font: TTFont, size: float, x: float, y: float, text: str) -> str:
        parts = [f"BT {x:.2f} {y:.2f} Td"]
        for subset_name, escaped in self._encode(font, text):
            parts.append(f"{subset_name} {size:.2f} Tf ({escaped}) Tj")
        parts.append("ET")
        return " ".join(parts)

    def draw_right(self, font: TTFont, size: float, x: float, y: float, text: str) -> str:
        return self.draw(font, size, x - font.stringWidth(text, size), y, text)

    def draw_centred(self, font: TTFont, size: float, x: float, y: float, text: str) -> str:
        return self.draw(font, size, x - font.stringWidth(text, size) / 2, y, text)


def barcode_modules(card_number: str) -> str:
    """The Code 128 module pattern (``"1"`` = bar) of a card number, from python-barcode's encoder."""
    return Code128(card_number).build()[0]


_BAR_RUN = re.compile("1+")


# "x y w h re" of a bar by (first module, width in modules): a 14-digit number
# has 112 modules and bars 1-4 wide, so a few hundred strings serve every card
# and formatting floats per bar drops out of the per-card cost.
_BAR_RECTS: dict[tuple[int, int], str] = {}


def _barcode_ops(modules: str) -> str:
    if len(modules) != BAR_MODULES:
        # The layout (quiet zone, the note beside it) is measured for this width.
        raise RuntimeError(f"Code 128 of a card number has {len(modules)} modules, not {BAR_MODULES}")
    rects = []
    for run in _BAR_RUN.finditer(modules):
        key = (run.start(), run.end() - run.start())
        rect = _BAR_RECTS.get(key)
        if rect is None:
            rect = _BAR_RECTS[key] = (
                f"{BAR_X + key[0] * BAR_MODULE:.3f} {BAR_Y:.3f} {key[1] * BAR_MODULE:.3f} {BAR_HEIGHT:.3f} re"
            )
        rects.append(rect)
    # One path, one fill: no seams between bars when rasterised.
    return "0 g " + " ".join(rects) + " f"


def qr_matrix(payload: str) -> tuple[int, bytes]:
    """(size, row-major modules as b"0" light / b"1" dark) of the QR symbol for ``payload``."""
    symbol = zxingcpp.create_barcode(payload, zxingcpp.BarcodeFormat.QRCode, ec_level=QR_EC_LEVEL)
    image = symbol.to_image(scale=1, add_quiet_zones=False)
    height, width = image.shape
    if height != width or width != QR_SIZE:
        # The front's layout keeps the quiet zone clear for this size only.
        raise RuntimeError(f"zxing-cpp returned a {width}x{height} QR symbol, not {QR_SIZE}x{QR_SIZE}")
    # 0 (dark) -> "1", 255 (light) -> "0".
    return width, bytes(memoryview(image)).translate(bytes.maketrans(b"\x00\xff", b"10"))


def _qr_image_ops(size: int, modules: bytes, *, x: float, y: float) -> str:
    """The symbol as a 1-bit inline image (one sample per module, no interpolation).

    One image costs one operator instead of ~200 ``re``: the card printer's
    driver scales it by whole dots, so the modules stay sharp.
    """
    # Image samples: 1 = white, so invert the dark-module bits; rows pad to whole bytes.
    row_bytes = (size + 7) // 8
    pad = row_bytes * 8 - size
    light = modules.translate(bytes.maketrans(b"01", b"10"))
    data = b"".join(
        int(light[row * size : (row + 1) * size] + b"1" * pad, 2).to_bytes(row_bytes, "big") for row in range(size)
    )
    side = size * QR_MODULE
    return (
        f"q {side:.3f} 0 0 {side:.3f} {x:.3f} {y:.3f} cm "
        f"BI /W {size} /H {size} /BPC 1 /CS /G /F /AHx ID {data.hex()}> EI Q"
    )


def _texts(city: dict) -> dict[str, str]:
    """Every fixed string on the card, translated once per PDF in the active language."""
    return {
        "program": city["program_name"],
        "government": _("Government of %(city)s") % {"city": city["name"]},
        "head": _("Head of household"),
        "kk": _("KK number"),
        "issued": _("Issue date"),
        "area": _("Kelurahan / Kecamatan"),
        "card_number": _("Card number"),
        "scan": _("Scan to check validity"),
        "valid_for": _("Valid for the family members listed on the back of this card."),
        "copy": _("Copy no. %(number)d"),
        "members": _("Covered family members"),
        "more_members": _("and %(count)d more members"),
        "complaints": _("Complaints (WhatsApp): %(hotline)s") % {"hotline": city["hotline"]},
        "how_to": _(
            "Show this card with the e-KTP or Kartu Keluarga at the registration desk of a city hospital, "
            "puskesmas or partner hospital of %(city)s. Staff scan the QR code to check coverage. This card "
            "may not be passed to others; if you find it, hand it in at the nearest kelurahan office."
        )
        % {"city": city["name"]},
    }


def _define_front(canvas: Canvas, text: _Text, texts: dict[str, str], regular: TTFont, bold: TTFont) -> None:
    canvas.beginForm("kartusehat-front", 0, 0, CARD_WIDTH, CARD_HEIGHT)
    ops = [f"{BRAND} rg 0 {CARD_HEIGHT - FRONT_BAND:.2f} {CARD_WIDTH:.2f} {FRONT_BAND + 1:.2f} re f", "1 g"]
    program, size = fit_text(bold, clean_text(texts["program"]), size=8.5, min_size=6, width=CARD_WIDTH - 2 * MARGIN)
    ops.append(text.draw(bold, size, MARGIN, CARD_HEIGHT - 5.0 * mm, program))
    government, size = fit_text(
        regular, clean_text(texts["government"]), size=6, min_size=4.5, width=CARD_WIDTH - 2 * MARGIN
    )
    ops.append(text.draw(regular, size, MARGIN, CARD_HEIGHT - 8.6 * mm, government))
    ops.append(f"{LABEL_GREY} g")
    for key, x, y, width in (
        ("head", MARGIN, 39.3 * mm, TEXT_RIGHT - MARGIN),
        ("kk", MARGIN, 31.6 * mm, KK_WIDTH),
        ("issued", DATE_X, 31.6 * mm, TEXT_RIGHT - DATE_X),
        ("area", MARGIN, 24.6 * mm, TEXT_RIGHT - MARGIN),
        ("card_number", MARGIN, 17.4 * mm, TEXT_RIGHT - MARGIN),
    ):
        label, size = fit_text(regular, texts[key], size=5, min_size=4, width=width)
        ops.append(text.draw(regular, size, x, y, label))
    qr_centre = (QR_LEFT + QR_RIGHT) / 2
    scan_y = QR_BOTTOM - QR_QUIET_MODULES * QR_MODULE - 2.2 * mm
    # Under the QR's quiet zone, at most two lines.
    for index, line in enumerate(wrap_text(regular, texts["scan"], size=4.6, width=QR_RIGHT - TEXT_RIGHT)[:2]):
        line, size = fit_text(regular, line, size=4.6, min_size=3.8, width=CARD_WIDTH - MARGIN - TEXT_RIGHT)
        ops.append(text.draw_centred(regular, size, qr_centre, scan_y - index * 1.8 * mm, line))
    # Beside the barcode, right of its quiet zone.
    note_x = BAR_RIGHT + BAR_QUIET_MODULES * BAR_MODULE + 1 * mm
    note_width = CARD_WIDTH - MARGIN - note_x
    for index, line in enumerate(wrap_text(regular, texts["valid_for"], size=5, width=note_width)[:3]):
        ops.append(text.draw(regular, 5, note_x, (9.8 - index * 2.1) * mm, line))
    canvas.addLiteral(" ".join(ops))
    canvas.endForm()


def _define_back(canvas: Canvas, text: _Text, texts: dict[str, str], regular: TTFont, bold: TTFont) -> None:
    canvas.beginForm("kartusehat-back", 0, 0, CARD_WIDTH, CARD_HEIGHT)
    ops = [f"{BRAND} rg 0 {CARD_HEIGHT - BACK_BAND:.2f} {CARD_WIDTH:.2f} {BACK_BAND + 1:.2f} re f", "1 g"]
    title, size = fit_text(bold, texts["members"], size=7, min_size=5, width=CARD_WIDTH * 0.55)
    ops.append(text.draw(bold, size, MARGIN, CARD_HEIGHT - 5.2 * mm, title))
    ops.append(f"{BRAND} RG 0.5 w {MARGIN:.2f} {15.2 * mm:.2f} m {CARD_WIDTH - MARGIN:.2f} {15.2 * mm:.2f} l S")
    width = CARD_WIDTH - 2 * MARGIN
    complaints, size = fit_text(bold, clean_text(texts["complaints"]), size=6, min_size=4.5, width=width)
    ops.append(f"0 g {text.draw(bold, size, MARGIN, 12.4 * mm, complaints)}")
    # The how-to text gets four lines at most; shrink until it fits.
    size = 5.4
    while True:
        lines = wrap_text(regular, texts["how_to"], size=size, width=width)
        if len(lines) <= 4 or size <= 3.5:
            break
        size -= 0.2
    ops.append(f"{LABEL_GREY} g")
    for index, line in enumerate(lines[:4]):
        ops.append(text.draw(regular, size, MARGIN, (9.7 - index * 2.05) * mm, line))
    canvas.addLiteral(" ".join(ops))
    canvas.endForm()


class _CardWriter:
    """Per-card operators; built once per PDF with the fonts, texts and forms in place."""

    def __init__(self, canvas: Canvas, texts: dict[str, str]):
        self.canvas = canvas
        self.texts = texts
        self.regular, self.bold = fonts()
        self.text = _Text(canvas)
        self._dates: dict[dt.date, str] = {}
        _define_front(canvas, self.text, texts, self.regular, self.bold)
        _define_back(canvas, self.text, texts, self.regular, self.bold)

    def _date(self, day: dt.date) -> str:
        # Most cards of a batch share their issue date; date_format is not free.
        label = self._dates.get(day)
        if label is None:
            label = self._dates[day] = formats.date_format(day, "j F Y")
        return label

    def front(self, card: CardData) -> str:
        regular, bold, text = self.regular, self.bold, self.text
        ops = ["0 g"]
        name, size = fit_text(bold, clean_text(card.head_name), size=9, min_size=6, width=TEXT_RIGHT - MARGIN)
        ops.append(text.draw(bold, size, MARGIN, 35.6 * mm, name))
        kk = " ".join(card.kk_number[i : i + 4] for i in range(0, len(card.kk_number), 4))
        kk, size = fit_text(regular, kk, size=7, min_size=5, width=KK_WIDTH)
        ops.append(text.draw(regular, size, MARGIN, 28.8 * mm, kk))
        issued, size = fit_text(regular, self._date(card.issue_date), size=7, min_size=5, width=TEXT_RIGHT - DATE_X)
        ops.append(text.draw(regular, size, DATE_X, 28.8 * mm, issued))
        area = clean_text(f"{card.kelurahan} / {card.kecamatan}")
        area, size = fit_text(regular, area, size=7, min_size=5, width=TEXT_RIGHT - MARGIN)
        ops.append(text.draw(regular, size, MARGIN, 21.8 * mm, area))
        ops.append(text.draw(bold, 9.5, MARGIN, 13.9 * mm, format_card_number(card.card_number)))
        if card.copy_number > 1:
            copy = self.texts["copy"] % {"number": card.copy_number}
            ops.append(f"{LABEL_GREY} g {text.draw_right(regular, 5, CARD_WIDTH - MARGIN, 3.4 * mm, copy)}")
        ops.append(_barcode_ops(barcode_modules(card.card_number)))
        size, modules = qr_matrix(qr_payload(card.card_number))
        ops.append(_qr_image_ops(size, modules, x=QR_LEFT, y=QR_BOTTOM))
        return " ".join(ops)

    def back(self, card: CardData) -> str:
        regular, text = self.regular, self.text
        number = format_card_number(card.card_number)
        # White on the band, so front and back of one card can be matched by eye.
        ops = [f"1 g {text.draw_right(regular, 6, CARD_WIDTH - MARGIN, CARD_HEIGHT - 5.2 * mm, number)}"]
        entries = [(clean_text(name), clean_text(relationship)) for name, relationship in card.members]
        if len(entries) > MAX_MEMBERS:
            hidden = len(entries) - (MAX_MEMBERS - 1)
            entries = entries[: MAX_MEMBERS - 1] + [(self.texts["more_members"] % {"count": hidden}, "")]
        if entries:
            ops.append("0 g")
            ops.extend(self._member_ops(entries))
        return " ".join(ops)

    def _member_ops(self, entries: list[tuple[str, str]]) -> list[str]:
        regular, bold, text = self.regular, self.bold, self.text
        # One column while its names stay at 6 pt or more: full width spares long names the cut.
        columns = 1 if len(entries) <= MEMBERS_ONE_COLUMN else 2
        rows = math.ceil(len(entries) / columns)
        gap = 3 * mm
        column_width = (CARD_WIDTH - 2 * MARGIN - gap * (columns - 1)) / columns
        line_height = min(MEMBER_MAX_SIZE * 1.35, (MEMBERS_TOP - MEMBERS_BOTTOM) / rows)
        size = min(MEMBER_MAX_SIZE, math.floor(line_height / 1.25 * 10) / 10)
        # One size for the whole list reads as a list; a long name may shrink a
        # little, then it is cut.
        min_size = max(MEMBER_MIN_SIZE, round(size * 0.85, 1))
        small = round(size * 0.85, 1)
        number_width = regular.stringWidth("20.", small) + 1 * mm
        ops = []
        for index, (name, relationship) in enumerate(entries):
            column, row = divmod(index, rows)
            x = MARGIN + column * (column_width + gap)
            y = MEMBERS_TOP - size - row * line_height
            ops.append(f"{LABEL_GREY} g")
            ops.append(text.draw_right(regular, small, x + number_width - 1 * mm, y, f"{index + 1}."))
            name_width = column_width - number_width
            if relationship:
                relationship, relationship_size = fit_text(
                    regular, relationship, size=small, min_size=MEMBER_MIN_SIZE, width=column_width * 0.4
                )
                ops.append(text.draw_right(regular, relationship_size, x + column_width, y, relationship))
                name_width -= regular.stringWidth(relationship, relationship_size) + 1.5 * mm
            name, name_size = fit_text(bold, name, size=size, min_size=min_size, width=name_width)
            ops.append("0 g")
            ops.append(text.draw(bold, name_size, x + number_width, y, name))
        return ops


def render_cards(cards: Iterable[CardData], out: BinaryIO, *, city: dict) -> int:
    """Write one PDF of ``cards`` to ``out``, two pages per card (front, back); return the page count.

    ``city`` is ``settings.KARTUSEHAT_CITY`` (``name``, ``program_name``,
    ``hotline``). Nothing reaches ``out`` until every card is drawn: a card
    number that fails its check digit, or no card at all, raises
    ``ValueError`` and leaves ``out`` untouched.
    """
    regular, _bold = fonts()
    # A TrueType initial font: otherwise ReportLab declares Helvetica (not embedded) on every page.
    canvas = Canvas(out, pagesize=(CARD_WIDTH, CARD_HEIGHT), pageCompression=1, initialFontName=regular.fontName)
    canvas.setTitle(city["program_name"])
    canvas.setCreator("Kartu Sehat")
    writer = _CardWriter(canvas, _texts(city))
    pages = 0
    for card in cards:
        if not is_valid_card_number(card.card_number):
            raise ValueError(f"not a valid card number: {card.card_number!r}")
        front = writer.front(card)
        canvas.doForm("kartusehat-front")
        canvas.addLiteral(front)
        canvas.showPage()
        back = writer.back(card)
        canvas.doForm("kartusehat-back")
        canvas.addLiteral(back)
        canvas.showPage()
        pages += 2
    if not pages:
        raise ValueError("no cards to render")
    canvas.save()
    return pages
