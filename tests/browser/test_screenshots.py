"""Phone screenshots for the docs: docs/screenshots/registration.png and status.png.

Regenerate them (after changing the pages or the translations) with:

    UPDATE_SCREENSHOTS=1 .venv/bin/pytest tests/browser/test_screenshots.py

Without UPDATE_SCREENSHOTS=1 the same pages are captured into a temporary
directory, so the test still runs but never rewrites the committed files.
The household is fixed (seeded generator, fixed date): only the receipt
reference and the times on the status page change from one run to the next.
"""

import datetime as dt
import os
import random
from pathlib import Path

import pytest

from registrations.demo import NumberSource, household_data
from tests.browser.helpers import check_status, fill_household, fill_member, send_registration
from tests.factories import KRANJI

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PNG = b"\x89PNG\r\n\x1a\n"


def _example_household() -> dict:
    rng = random.Random(2025)
    data = household_data(rng, NumberSource(rng, start=17), kelurahan_code=KRANJI, size=1, today=dt.date(2025, 1, 1))
    return data | {"email": ""}


def _capture(page, path: Path) -> None:
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.screenshot(path=str(path), full_page=True, animations="disabled")


def test_it_takes_the_phone_screenshots_for_the_docs(page, tmp_path):
    folder = DOCS if os.environ.get("UPDATE_SCREENSHOTS") == "1" else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    data = _example_household()

    page.goto("/daftar/")
    fill_household(page, data)
    fill_member(page, 1, data["members"][0])
    _capture(page, folder / "registration.png")

    send_registration(page)
    reference = page.locator("#reference").inner_text().strip()
    check_status(page, reference=reference, nik=data["members"][0]["nik"])
    assert page.locator("#status").is_visible()
    _capture(page, folder / "status.png")

    for name in ("registration.png", "status.png"):
        assert (folder / name).read_bytes()[:8] == PNG
