"""Text is set in the shipped DejaVu font, embedded; no base-14 font (never embedded) is used."""

from tests.cards.test_render_helpers import UNICODE_NAMES, render, sample_card, spans

BASE_14 = {
    "Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique",
    "Helvetica", "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique",
    "Times-Roman", "Times-Bold", "Times-Italic", "Times-BoldItalic", "Symbol", "ZapfDingbats",
}


def test_it_embeds_every_font_it_uses_and_no_base_14_font():
    document, _pages = render([sample_card(1, head_name=UNICODE_NAMES[0], members=[(UNICODE_NAMES[1], "Anak")])])

    for page in document:
        fonts = page.get_fonts(full=True)
        assert fonts, "a card page declares its fonts"
        for _xref, ext, _type, basefont, _name, _encoding, _referencer in fonts:
            assert ext != "n/a", f"{basefont} is not embedded"
            assert basefont.split("+")[-1] not in BASE_14
            assert "DejaVuSansCondensed" in basefont


def test_it_sets_every_span_of_text_in_the_shipped_font():
    document, _pages = render([sample_card(1)])

    for page in document:
        used = {span["font"] for span in spans(page) if span["text"].strip()}
        assert used and all(font.startswith("DejaVuSansCondensed") for font in used), used
