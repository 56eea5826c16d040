"""The hospital desk in Chromium, as a USB barcode scanner uses it: the
scanner types the QR text (or the barcode's card number) into the focused
field and presses Enter; the answer shows and the field is ready for the next
patient."""

import pytest

from cards.qr import qr_payload
from hospitals.models import VerificationLog
from hospitals.selectors import partial_name
from tests.hospitals.helpers import PASSWORD, hospital_user, verified_household

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _log_in(page, username: str) -> None:
    page.goto("/rs/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_selector("#query")


def test_it_answers_a_scanned_qr_and_is_ready_for_the_next_scan(page):
    household, head, card = verified_household()
    desk = hospital_user()
    _log_in(page, desk.user.username)

    # The field has the focus: a scanner types into it without a click.
    page.keyboard.type(qr_payload(card.number))
    page.keyboard.press("Enter")

    page.wait_for_selector("#verdict")
    assert "covered" in page.get_attribute("#answer", "class")
    assert "not-covered" not in page.get_attribute("#answer", "class")
    assert partial_name(head.full_name) in page.inner_text("#members")
    assert head.nik not in page.content()
    assert page.input_value("#query") == ""
    assert page.evaluate("document.activeElement.id") == "query"

    page.keyboard.type(card.number)  # the barcode: the card number alone
    page.keyboard.press("Enter")
    page.wait_for_selector("#verdict")
    assert "not-covered" not in page.get_attribute("#answer", "class")
    assert VerificationLog.objects.filter(user=desk.user, channel="web", eligible=True).count() == 2


def test_it_says_not_covered_for_a_forged_qr(page):
    _household, _head, card = verified_household()
    desk = hospital_user()
    _log_in(page, desk.user.username)
    genuine = qr_payload(card.number)
    forged = genuine[:-1] + ("A" if genuine[-1] != "A" else "B")

    page.keyboard.type(forged)
    page.keyboard.press("Enter")

    page.wait_for_selector("#verdict")
    assert "not-covered" in page.get_attribute("#answer", "class")
    assert VerificationLog.objects.get(user=desk.user).result == "qr_forged"
