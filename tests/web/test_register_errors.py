"""A refused registration form: 400, each message beside its field (the one
the shared validation gives), everything typed kept, nothing stored."""

import pytest
from django.utils import translation
from django.utils.html import escape

from kartusehat.refusals import Invalid
from registrations.models import Registration, RegistrationMember
from registrations.validation import clean_registration
from tests.factories import KRANJI, registration_data
from tests.web.helpers import REGISTER_URL, attributes, element, form_data, text

pytestmark = pytest.mark.django_db


def validation_errors(data: dict) -> dict:
    """What the one validation path says about ``data``, in the page's language."""
    with translation.override("id"):
        with pytest.raises(Invalid) as caught:
            clean_registration(data)
    return caught.value.errors


def test_it_puts_an_invalid_nik_beside_that_members_field_and_keeps_everything(client):
    data = registration_data(KRANJI, size=3, email="keluarga@example.com")
    data["members"][1]["nik"] = "3275 0115 0580"
    expected = validation_errors(data)["members"][1]["nik"][0]

    response = client.post(REGISTER_URL, form_data(data))

    assert response.status_code == 400
    html = response.content.decode()
    error = element(html, "members-1-nik-error")
    assert error.startswith('<p class="error" id="members-1-nik-error">')
    assert text(error) == expected
    nik_input = attributes(html, "members-1-nik")
    assert nik_input["aria-invalid"] == "true"
    assert "members-1-nik-error" in nik_input["aria-describedby"]
    assert nik_input["value"] == "3275 0115 0580"
    assert "aria-invalid" not in attributes(html, "members-0-nik")
    assert "hidden" in attributes(html, "members-0-nik-error")
    for field in ("kk_number", "address", "rt", "rw", "phone", "email"):
        assert attributes(html, field)["value"] == data[field], field
    for index, member in enumerate(data["members"]):
        assert attributes(html, f"members-{index}-full_name")["value"] == member["full_name"]
        assert attributes(html, f"members-{index}-birth_date")["value"] == member["birth_date"]
        assert f'<option value="{member["sex"]}" selected>' in element(html, f"members-{index}-sex")
        assert f'<option value="{member["relationship"]}" selected>' in element(html, f"members-{index}-relationship")
    assert attributes(html, "members-0-nik")["value"] == data["members"][0]["nik"]
    assert f'<option value="{KRANJI}" selected>' in element(html, "kelurahan_code")
    assert "checked" in attributes(html, "consent")
    assert Registration.objects.count() == 0 and RegistrationMember.objects.count() == 0


def test_it_asks_for_consent_beside_the_consent_box(client):
    data = registration_data(KRANJI)
    expected = validation_errors(data | {"consent": ""})["consent"][0]

    response = client.post(REGISTER_URL, form_data(data, consent=False))

    assert response.status_code == 400
    html = response.content.decode()
    assert text(element(html, "consent-error")) == expected
    box = attributes(html, "consent")
    assert box["aria-invalid"] == "true" and "checked" not in box
    assert Registration.objects.count() == 0


def test_it_shows_the_plain_validation_message_for_a_nik_that_does_not_match_the_birth_date(client):
    data = registration_data(KRANJI, size=2)
    head = data["members"][0]
    year, month, day = head["birth_date"].split("-")
    head["birth_date"] = f"{year}-{month}-{int(day) % 28 + 1:02d}"
    expected = validation_errors(data)["members"][0]["nik"][0]

    response = client.post(REGISTER_URL, form_data(data))

    assert response.status_code == 400
    html = response.content.decode()
    assert text(element(html, "members-0-nik-error")) == expected
    assert escape(expected) in html
    assert "hidden" in attributes(html, "members-0-birth_date-error")
    assert Registration.objects.count() == 0


def test_it_shows_errors_about_the_whole_list_in_the_summary(client):
    data = registration_data(KRANJI, size=3)
    data["members"][1]["relationship"] = "kepala_keluarga"
    expected = validation_errors(data)["non_field_errors"][0]

    response = client.post(REGISTER_URL, form_data(data))

    assert response.status_code == 400
    html = response.content.decode()
    assert escape(expected) in element(html, "error-summary")
    members_error = element(html, "members-error")
    assert escape(expected) in members_error and "hidden" not in attributes(html, "members-error")
    assert Registration.objects.count() == 0


def test_it_puts_a_kk_already_registered_beside_the_kk_number(client):
    data = registration_data(KRANJI)
    client.post(REGISTER_URL, form_data(data))
    again = registration_data(KRANJI, kk_number=data["kk_number"])

    response = client.post(REGISTER_URL, form_data(again))

    assert response.status_code == 400
    html = response.content.decode()
    assert text(element(html, "kk_number-error"))
    assert attributes(html, "kk_number")["aria-invalid"] == "true"
    assert Registration.objects.count() == 1
