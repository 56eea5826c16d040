"""The card's words go through gettext and dates through Django's formats: they follow the active language."""

import datetime as dt
import io

import pymupdf
from django.conf import settings
from django.utils import translation

from cards import rendering
from tests.cards.test_render_helpers import render, sample_card


def test_it_prints_the_issue_date_in_the_active_language():
    card = sample_card(1, issue_date=dt.date(2026, 8, 17))

    indonesian, _pages = render([card])
    out = io.BytesIO()
    with translation.override("en"):
        rendering.render_cards([card], out, city=settings.KARTUSEHAT_CITY)
    english = pymupdf.open(stream=out.getvalue(), filetype="pdf")

    assert "17 Agustus 2026" in indonesian[0].get_text()
    assert "17 August 2026" in english[0].get_text()


def test_it_passes_every_fixed_word_through_gettext(monkeypatch):
    monkeypatch.setattr(rendering, "_", lambda message: f"«{message}»")

    document, _pages = render([sample_card(1, copy_number=2)])
    front, back = document[0].get_text(), document[1].get_text()

    for word in ("«Head of household»", "«KK number»", "«Issue date»", "«Card number»", "«Copy no. 2»"):
        assert word in front
    assert "«Covered family members»" in back
    assert "«Complaints (WhatsApp): " in back
