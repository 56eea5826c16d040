"""Every change is in the history, with who made it; edits obey the same rules."""

import re

import pytest
from django.urls import reverse

from registrations import services
from tests.factories import KRANJI, staff_user, submit

pytestmark = pytest.mark.django_db


def test_it_shows_the_registrations_change_history(client):
    registration = submit(KRANJI)
    staff = staff_user(KRANJI, first_name="Rina")
    services.registration_verify(registration_id=registration.pk, by=staff)
    client.force_login(staff)

    response = client.get(reverse("admin:registrations_registration_history", args=[registration.pk]))

    assert response.status_code == 200
    records = list(response.context["page_obj"].object_list)
    assert [r.status for r in records][:2] == ["verified", "submitted"]
    page = response.content.decode()
    assert re.search(r"Diajukan[\s&nbsp;]*&rarr;[\s&nbsp;]*Terverifikasi", page)  # labels, not codes
    assert "pk=None" not in page and "Deleted" not in page


def _edit_household(client, **changes):
    """A staff user of the area posts the household's change form."""
    registration = submit(KRANJI)
    staff = staff_user(KRANJI)
    household = services.registration_verify(registration_id=registration.pk, by=staff).household
    client.force_login(staff)
    form = {"address": "Jl. Baru No. 9", "rt": "4", "rw": "2", "phone": "0812 9999 8888", "email": "",
            "members-TOTAL_FORMS": "0", "members-INITIAL_FORMS": "0", **changes}
    response = client.post(reverse("admin:registrations_household_change", args=[household.pk]), form)
    return response, registration, household, staff


def test_it_normalises_a_corrected_phone_and_records_who_changed_it(client):
    response, _registration, household, staff = _edit_household(client)

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    household.refresh_from_db()
    assert (household.phone, household.rt, household.rw) == ("+6281299998888", "004", "002")
    assert household.history.latest().history_user == staff


def test_it_refuses_a_bad_phone_with_a_message_not_an_error_page(client):
    response, registration, household, _staff = _edit_household(client, phone="12345")

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["phone"]
    household.refresh_from_db()
    assert household.phone == registration.phone


def test_it_applies_the_registration_rules_to_every_corrected_field(client):
    from registrations import validation

    response, registration, household, _staff = _edit_household(client, address="Jl. Baru\x07 9", rt="0")

    errors = response.context["adminform"].form.errors
    assert errors["address"] == [validation.control_chars_message()]
    assert errors["rt"] == [validation.rt_message()]
    household.refresh_from_db()
    assert (household.address, household.rt) == (registration.address, registration.rt)
