"""API messages are in Bahasa Indonesia unless the client asks for English."""

import pytest

from tests.complaints.helpers import API_URL, NIK, complaint_data

pytestmark = pytest.mark.django_db


def _errors(client, **headers) -> dict:
    response = client.post(
        API_URL, complaint_data(phone="12345", nik=NIK[:-4] + "0000"), content_type="application/json", headers=headers
    )
    assert response.status_code == 400
    return response.json()


def test_it_answers_in_bahasa_indonesia_by_default(client):
    errors = _errors(client)

    assert errors["phone"] == ["Masukkan nomor ponsel Indonesia, misalnya 081234567890."]
    assert "0000" in errors["nik"][0] and "cannot" not in errors["nik"][0]


def test_it_answers_in_english_with_accept_language_en(client):
    errors = _errors(client, **{"Accept-Language": "en"})

    assert errors["phone"] == ["Enter an Indonesian mobile number, e.g. 081234567890."]
    assert errors["nik"] == ["The last 4 digits of the NIK (serial number) cannot be 0000."]
