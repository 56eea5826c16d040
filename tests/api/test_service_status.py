"""GET /api/v1/service-status/: the mode follows the blanko stock."""

import pytest

from cards import services as card_services
from tests.api.helpers import SERVICE_STATUS_URL
from tests.factories import blanko, superuser

pytestmark = pytest.mark.django_db


def test_it_answers_normal_mode_in_the_contracts_shape_while_blanko_is_available(api):
    blanko(800, emergency_reserve=300)

    response = api.get(SERVICE_STATUS_URL)

    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"mode", "message", "blanko_available"}
    assert body["mode"] == "normal"
    assert isinstance(body["message"], str) and body["message"].strip()
    assert body["blanko_available"] == 500


def test_it_answers_registration_only_when_only_the_emergency_reserve_is_left(api):
    blanko(300, emergency_reserve=300)

    body = api.get(SERVICE_STATUS_URL).json()

    assert body["mode"] == "registration_only"
    assert body["blanko_available"] == 0


def test_it_shows_the_operators_message_when_a_mode_is_forced(api):
    blanko(800, emergency_reserve=300)
    card_services.mode_force(mode="registration_only", message="Pencetakan dihentikan sementara.", by=superuser())

    body = api.get(SERVICE_STATUS_URL).json()

    assert body["mode"] == "registration_only"
    assert body["message"] == "Pencetakan dihentikan sementara."


def test_it_answers_in_english_with_accept_language_en(api):
    blanko(800, emergency_reserve=300)
    body = api.get(SERVICE_STATUS_URL, HTTP_ACCEPT_LANGUAGE="en").json()

    assert "Registration is open" in body["message"]


def test_it_answers_in_bahasa_indonesia_by_default(api):
    blanko(800, emergency_reserve=300)
    indonesian = api.get(SERVICE_STATUS_URL).json()["message"]
    english = api.get(SERVICE_STATUS_URL, HTTP_ACCEPT_LANGUAGE="en").json()["message"]

    assert indonesian != english
