"""A citizen registers a three-member household on a phone, then looks up its status."""

import pytest
from django.utils import translation

from registrations.models import Registration, Relationship
from tests.browser.helpers import add_member_row, check_status, fill_household, fill_member, send_registration
from tests.factories import KRANJI, registration_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_it_registers_a_three_member_household_and_shows_its_status(page):
    data = registration_data(KRANJI, size=3)
    head, spouse, child = data["members"]

    page.goto("/daftar/")
    fill_household(page, data)
    assert page.locator("[data-member]").count() == 1
    assert page.input_value("#members-0-relationship") == Relationship.KEPALA_KELUARGA
    fill_member(page, 1, head)
    add_member_row(page)
    add_member_row(page)
    fill_member(page, 2, spouse)
    fill_member(page, 3, child)
    send_registration(page)

    assert page.url.endswith("/daftar/selesai/"), page.locator("#error-summary").all_inner_texts()
    reference = page.locator("#reference").inner_text().strip()
    assert reference.startswith("KS-")

    check_status(page, reference=reference, nik=child["nik"])

    with translation.override("id"):
        submitted = str(Registration.Status.SUBMITTED.label)
    status = page.locator("#status")
    assert status.inner_text().strip() == submitted
    assert "status-submitted" in status.get_attribute("class")

    registration = Registration.objects.get(reference=reference)
    assert registration.members.count() == 3
    assert sorted(registration.members.values_list("nik", flat=True)) == sorted(m["nik"] for m in data["members"])
    assert registration.channel == Registration.Channel.ONLINE
    assert registration.status == Registration.Status.SUBMITTED
    assert registration.kelurahan.code == KRANJI
    assert registration.kk_number == data["kk_number"]
