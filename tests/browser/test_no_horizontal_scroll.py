"""Every public page fits a phone's width: nothing to scroll sideways.

On a mobile viewport Chromium widens the layout viewport to fit content that
is too wide (and zooms out), so ``scrollWidth <= innerWidth`` alone would
pass: the page must also keep ``innerWidth`` at the phone's 390 px.
"""

import pytest

from tests.browser.helpers import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE_WIDTH = PHONE["viewport"]["width"]
MEASURE = """() => ({
  scroll: document.scrollingElement.scrollWidth,
  inner: window.innerWidth,
  wider: [...document.querySelectorAll("body *")]
    .filter(e => e.getBoundingClientRect().right > %d + 0.5)
    .map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "")),
})""" % PHONE_WIDTH


def _overflow(page, path: str) -> dict | None:
    response = page.goto(path)
    assert response.status == 200, path
    widths = page.evaluate(MEASURE)
    if widths["inner"] == PHONE_WIDTH and widths["scroll"] <= PHONE_WIDTH:
        return None
    return widths


def test_it_fits_the_phone_width_without_horizontal_scroll(page):
    # One browser test for all pages: each transactional test restores the
    # region table (serialized_rollback), which costs seconds.
    too_wide = {path: _overflow(page, path) for path in ["/", "/status/", "/rumah-sakit/", "/aduan/"]}

    assert {path: widths for path, widths in too_wide.items() if widths} == {}


def test_it_fits_the_registration_form_in_the_phone_width(page):
    assert _overflow(page, "/daftar/") is None
