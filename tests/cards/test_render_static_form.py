"""What every card shares is drawn once per PDF as a form XObject and placed on each page."""

from tests.cards.test_render_helpers import render, sample_card


def test_it_draws_each_side_s_static_layout_once_and_reuses_it():
    document, _pages = render([sample_card(serial) for serial in range(1, 6)])

    fronts = {tuple(xobject[:2]) for page in document.pages(0, None, 2) for xobject in page.get_xobjects()}
    backs = {tuple(xobject[:2]) for page in document.pages(1, None, 2) for xobject in page.get_xobjects()}

    assert len(fronts) == 1 and len(backs) == 1
    assert fronts != backs
    # The static text (titles, labels, how-to) lives in the form, not once per page.
    assert "Kepala Keluarga" in document[0].get_text()
    assert b"Kepala Keluarga" not in document.xref_stream(document[0].get_contents()[0])
