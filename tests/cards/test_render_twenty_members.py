"""Up to 20 members fit the back: all listed, nothing overlapping, nothing off the card."""

import pymupdf

from tests.cards.test_render_helpers import render, sample_card, spans

TWENTY = [
    ("Ahmad Hidayat", "Kepala Keluarga"), ("Siti Aminah", "Istri"), ("Budi Santoso", "Anak"),
    ("Dewi Lestari", "Anak"), ("Rina Wahyuni", "Anak"), ("Agus Saputra", "Anak"), ("Eko Kurniawan", "Anak"),
    ("Putri Rahayu", "Menantu"), ("Nur Hasanah", "Cucu"), ("Yusuf Maulana", "Cucu"), ("Ṣiti Nur'aini", "Cucu"),
    ("Đặng Văn Lâm", "Famili Lain"), ("Zoë O'Brien", "Famili Lain"), ("Joko Susilo", "Orang Tua"),
    ("Sri Mulyani", "Mertua"), ("Bambang Irawan", "Famili Lain"), ("Wati Kusuma", "Famili Lain"),
    ("Hendra Gunawan", "Famili Lain"), ("Lina Marlina", "Famili Lain"), ("Fajar Ramadhan", "Lainnya"),
]


def _inside(rect: pymupdf.Rect, page: pymupdf.Page) -> bool:
    return page.rect.contains(rect)


def test_it_lists_twenty_members_within_the_card():
    document, _pages = render([sample_card(1, members=TWENTY)])
    back = document[1]

    text = back.get_text()
    for index, (name, relationship) in enumerate(TWENTY, start=1):
        assert name in text
        assert f"{index}." in text
    for span in spans(back):
        assert _inside(pymupdf.Rect(span["bbox"]), back), span["text"]


def test_it_lets_no_two_pieces_of_text_overlap_on_a_full_back():
    long_names = [(f"{name} binti Abdurrahman Syaifuddin", relationship) for name, relationship in TWENTY]
    document, _pages = render([sample_card(1, members=long_names)])

    boxes = [(span["text"], pymupdf.Rect(span["bbox"])) for span in spans(document[1]) if span["text"].strip()]
    for index, (text, box) in enumerate(boxes):
        for other_text, other in boxes[index + 1 :]:
            overlap = box & other
            # Glyph boxes of neighbouring lines may touch; text must not run into text.
            assert overlap.is_empty or overlap.width < 0.5 or overlap.height < 1.0, (text, other_text)


def test_it_summarises_members_beyond_twenty_on_the_last_line():
    members = TWENTY + [("Tambahan Satu", "Anak"), ("Tambahan Dua", "Anak")]

    document, _pages = render([sample_card(1, members=members)])
    text = document[1].get_text()

    assert TWENTY[18][0] in text
    assert TWENTY[19][0] not in text and "Tambahan Dua" not in text
    assert "dan 3 anggota lainnya" in text
    for span in spans(document[1]):
        assert _inside(pymupdf.Rect(span["bbox"]), document[1])
