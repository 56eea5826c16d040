"""A NIK that disagrees with the birth date typed beside it is refused next to
the NIK field; everything typed stays in the form and nothing is written."""

import datetime as dt

import pytest

from registrations.models import Registration
from tests.browser.helpers import fill_household, fill_member, send_registration
from tests.factories import KRANJI, registration_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_it_shows_the_nik_error_next_to_the_nik_and_keeps_what_was_typed(page):
    data = registration_data(KRANJI, size=1)
    head = data["members"][0]
    # The NIK encodes the real birth date; the person types the next day.
    typed_birth = (dt.date.fromisoformat(head["birth_date"]) + dt.timedelta(days=1)).isoformat()
    typed = head | {"birth_date": typed_birth}

    page.goto("/daftar/")
    fill_household(page, data)
    fill_member(page, 1, typed)
    send_registration(page)

    error = page.locator("#members-0-nik-error")
    assert error.is_visible()
    assert error.inner_text().strip()
    assert page.get_attribute("#members-0-nik", "aria-invalid") == "true"
    assert page.locator("#error-summary").is_visible()
    # Only the NIK is wrong: no other field shows an error.
    assert page.locator("p.error:visible").count() == 1
    # What was typed is still there.
    assert page.input_value("#members-0-nik") == head["nik"]
    assert page.input_value("#members-0-full_name") == head["full_name"]
    assert page.input_value("#members-0-birth_date") == typed_birth
    assert page.input_value("#members-0-sex") == head["sex"]
    assert page.input_value("#members-0-relationship") == head["relationship"]
    assert page.input_value("#kk_number") == data["kk_number"]
    assert page.input_value("#kelurahan_code") == KRANJI
    assert page.input_value("#address") == data["address"]
    assert page.input_value("#rt") == data["rt"]
    assert page.input_value("#rw") == data["rw"]
    assert page.input_value("#phone") == data["phone"]
    assert page.input_value("#email") == data["email"]
    assert page.is_checked("#consent")

    assert not Registration.objects.exists()
