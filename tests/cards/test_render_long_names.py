"""Long names and places are shrunk, then cut with an ellipsis; they never leave their column."""

import pymupdf

from cards.rendering import TEXT_RIGHT
from tests.cards.test_render_helpers import render, sample_card, spans

LONG = "Muhammad Abdurrahman Syaifuddin Al-Hasyimi bin Haji Abdul Wahab Kusumanegara Wiryawan Putra"


def test_it_cuts_a_very_long_head_of_household_name_with_an_ellipsis_inside_the_text_column():
    document, _pages = render([sample_card(1, head_name=LONG)])
    front = document[0]

    name_spans = [span for span in spans(front) if span["text"].startswith("Muhammad")]
    assert len(name_spans) == 1
    assert name_spans[0]["text"].endswith("…")
    # The left column stops before the QR code's quiet zone.
    assert pymupdf.Rect(name_spans[0]["bbox"]).x1 <= TEXT_RIGHT


def test_it_shrinks_a_slightly_long_name_rather_than_cutting_it():
    name = "Muhammad Abdurrahman Syaifuddin Al-Hasyimi"
    document, _pages = render([sample_card(1, head_name=name)])

    name_span = next(span for span in spans(document[0]) if span["text"].startswith("Muhammad"))
    assert name_span["text"] == name
    assert name_span["size"] < 9


def test_it_keeps_long_place_names_and_member_names_on_the_card():
    members = [(LONG, "Kepala Keluarga"), (LONG + " Junior", "Anak Angkat dari Saudara Jauh")]
    document, _pages = render(
        [sample_card(1, head_name=LONG, members=members, kelurahan="Kelurahan " * 8, kecamatan="Kecamatan " * 8)]
    )

    for page in document:
        for span in spans(page):
            assert page.rect.contains(pymupdf.Rect(span["bbox"])), span["text"]
    assert "…" in document[1].get_text()
