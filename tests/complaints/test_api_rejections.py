"""Every rule of the contract refuses with 400, the message on the right field,
and writes nothing."""

import json

import pytest

from complaints.models import Complaint
from tests.complaints.helpers import API_URL, NIK, complaint_data

pytestmark = pytest.mark.django_db


def _refused(client, body, *, field: str, **headers) -> str:
    response = client.post(API_URL, json.dumps(body), content_type="application/json", headers=headers)

    assert response.status_code == 400, response.content
    assert Complaint.objects.count() == 0, "a refused complaint must leave no row"
    errors = response.json()
    assert field in errors, errors
    assert isinstance(errors[field], list) and all(isinstance(m, str) and m for m in errors[field])
    return " ".join(errors[field])


@pytest.mark.parametrize("name", [None, "", "   "])
def test_it_refuses_a_missing_name(client, name):
    _refused(client, complaint_data(name=name), field="name")


@pytest.mark.parametrize("name", ["Siti 123", "R2-D2", "<script>", "_"])
def test_it_refuses_a_name_with_digits_or_symbols(client, name):
    message = _refused(client, complaint_data(name=name), field="name", **{"Accept-Language": "en"})
    assert "letters" in message


def test_it_refuses_a_name_longer_than_150_characters(client):
    message = _refused(client, complaint_data(name="A" * 151), field="name", **{"Accept-Language": "en"})
    assert "150" in message


@pytest.mark.parametrize("phone", ["", "12345", "021-8765432", "0812", "+1 555 123 4567", "08123456789012345"])
def test_it_refuses_a_phone_that_is_not_an_indonesian_mobile_number(client, phone):
    message = _refused(client, complaint_data(phone=phone), field="phone", **{"Accept-Language": "en"})
    assert message == "Enter an Indonesian mobile number, e.g. 081234567890."


def test_it_refuses_an_invalid_nik_with_the_nik_rule_that_failed(client):
    message = _refused(client, complaint_data(nik=NIK[:-4] + "0000"), field="nik", **{"Accept-Language": "en"})
    assert message == "The last 4 digits of the NIK (serial number) cannot be 0000."


def test_it_refuses_a_nik_that_is_too_short(client):
    message = _refused(client, complaint_data(nik="32750157"), field="nik", **{"Accept-Language": "en"})
    assert message == "The NIK must be 16 digits; 8 digits were entered."


@pytest.mark.parametrize("category", ["", "kartu", "KARTU_BELUM_JADI", None, 3])
def test_it_refuses_a_category_outside_the_contract(client, category):
    _refused(client, complaint_data(category=category), field="category")


def test_it_names_the_valid_categories(client):
    message = _refused(client, complaint_data(category="lain"), field="category", **{"Accept-Language": "en"})
    for value in ("kartu_belum_jadi", "data_salah", "pendaftaran", "layanan_rumah_sakit", "lainnya"):
        assert value in message


@pytest.mark.parametrize("message", [None, "", "Tolong", "  123456789  "])
def test_it_refuses_a_missing_or_too_short_message(client, message):
    _refused(client, complaint_data(message=message), field="message")


def test_it_refuses_a_message_longer_than_2000_characters(client):
    message = _refused(client, complaint_data(message="a" * 2001), field="message", **{"Accept-Language": "en"})
    assert "2000" in message and "2001" in message


def test_it_accepts_a_message_of_exactly_2000_characters(client):
    response = client.post(API_URL, complaint_data(message="a" * 2000), content_type="application/json")
    assert response.status_code == 201


@pytest.mark.parametrize("field", ["name", "phone", "nik", "message"])
@pytest.mark.parametrize("bad", ["\x00", "\x1b[31m", "\x7f", "\ud800"])
def test_it_refuses_control_characters(client, field, bad):
    data = complaint_data()
    data[field] = data[field][:5] + bad + data[field][5:]
    # json.dumps escapes the lone surrogate as \ud800, as a client would send it.
    message = _refused(client, data, field=field, **{"Accept-Language": "en"})
    assert message == "This field contains characters that are not allowed."


def test_it_refuses_a_control_character_in_the_category_without_echoing_it(client):
    response = client.post(
        API_URL, json.dumps(complaint_data(category="lainnya\ud800")), content_type="application/json"
    )
    assert response.status_code == 400
    assert "category" in response.json()
    assert Complaint.objects.count() == 0


@pytest.mark.parametrize("field", ["name", "category", "message"])
@pytest.mark.parametrize("value", [["Siti Aminah"], {"text": "x"}, 12345, True])
def test_it_refuses_a_field_that_is_not_text(client, field, value):
    _refused(client, complaint_data(**{field: value}), field=field)


@pytest.mark.parametrize("body", [[], ["name", "phone"], "aduan", 42, None, True])
def test_it_refuses_a_json_body_that_is_not_an_object(client, body):
    message = _refused(client, body, field="non_field_errors", **{"Accept-Language": "en"})
    assert "JSON object" in message


@pytest.mark.parametrize("body", ['{"name": "Siti",', "{name: 'Siti'}", "\x00\x01", '{"a": NaN}', "[1, 2"])
def test_it_refuses_malformed_json_with_400(client, body):
    response = client.post(API_URL, body, content_type="application/json")

    assert response.status_code == 400
    assert "JSON" in response.json()["non_field_errors"][0]
    assert Complaint.objects.count() == 0


def test_it_reports_every_broken_rule_at_once(client):
    response = client.post(
        API_URL, {"name": "", "phone": "123", "nik": "1", "category": "x", "message": "short"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert set(response.json()) == {"name", "phone", "nik", "category", "message"}
    assert Complaint.objects.count() == 0
