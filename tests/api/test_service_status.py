"""GET /api/v1/service-status/: normal mode while no blanko is held back."""

import pytest

from tests.api.helpers import SERVICE_STATUS_URL

pytestmark = pytest.mark.django_db


def test_it_answers_normal_mode_in_the_contracts_shape(api):
    response = api.get(SERVICE_STATUS_URL)

    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"mode", "message", "blanko_available"}
    assert body["mode"] == "normal"
    assert isinstance(body["message"], str) and body["message"].strip()
    assert body["blanko_available"] is None


def test_it_answers_in_english_with_accept_language_en(api):
    body = api.get(SERVICE_STATUS_URL, HTTP_ACCEPT_LANGUAGE="en").json()

    assert "Registration is open" in body["message"]


def test_it_answers_in_bahasa_indonesia_by_default(api):
    indonesian = api.get(SERVICE_STATUS_URL).json()["message"]
    english = api.get(SERVICE_STATUS_URL, HTTP_ACCEPT_LANGUAGE="en").json()["message"]

    assert indonesian != english
