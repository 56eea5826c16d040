"""Sending the registration form: the household is stored as an online
application with the consent recorded, and the receipt shows the reference."""

import pytest
from django.test import Client
from django.urls import reverse

from kartusehat import identity
from registrations import services
from registrations.models import Registration
from tests.factories import KRANJI, registration_data
from tests.web.helpers import DONE_URL, REGISTER_URL, element, form_data, text

pytestmark = pytest.mark.django_db


def test_it_stores_the_household_and_redirects_to_the_receipt(client):
    data = registration_data(KRANJI, size=3)

    response = client.post(REGISTER_URL, form_data(data))

    assert response.status_code == 302
    assert response["Location"] == DONE_URL == reverse("registrations:done")
    registration = Registration.objects.get()
    assert registration.channel == "online"
    assert registration.status == "submitted"
    assert registration.kk_number == data["kk_number"]
    assert registration.kelurahan.code == KRANJI
    assert registration.consent_at is not None
    assert registration.consent_version == services.CONSENT_VERSION
    members = list(registration.members.order_by("position"))
    assert [(m.nik, m.full_name, m.birth_date.isoformat(), m.sex, m.relationship) for m in members] == [
        (m["nik"], m["full_name"], m["birth_date"], m["sex"], m["relationship"]) for m in data["members"]
    ]
    assert registration.reference not in response["Location"]


def test_it_shows_the_reference_masked_kk_and_head_on_the_receipt(client):
    data = registration_data(KRANJI, size=2)
    client.post(REGISTER_URL, form_data(data))
    registration = Registration.objects.get()

    response = client.get(DONE_URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert text(element(html, "reference")) == registration.reference
    assert identity.mask(registration.kk_number) in html
    assert registration.kk_number not in html
    assert data["members"][0]["full_name"] in text(element(html, "receipt"))
    assert "Kranji" in html


def test_it_never_shows_a_receipt_to_a_browser_that_did_not_register(client):
    client.post(REGISTER_URL, form_data(registration_data(KRANJI)))
    reference = Registration.objects.get().reference

    response = Client().get(DONE_URL)

    assert response.status_code == 302
    assert response["Location"] == REGISTER_URL
    assert reference not in response.content.decode()


def test_it_ignores_a_reference_put_in_the_receipt_url(client):
    client.post(REGISTER_URL, form_data(registration_data(KRANJI)))
    reference = Registration.objects.get().reference

    response = Client().get(DONE_URL, {"ref": reference, "reference": reference})

    assert response.status_code == 302 and response["Location"] == REGISTER_URL
