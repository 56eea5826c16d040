import json

import pytest

from tests.api.helpers import REGIONS_URL, REGISTRATIONS_URL
from tests.factories import registration_data, superuser

pytestmark = pytest.mark.django_db


def test_it_answers_a_public_endpoint_whatever_token_is_sent(api):
    response = api.get(REGIONS_URL, HTTP_AUTHORIZATION="Token not-a-real-token")

    assert response.status_code == 200


def test_it_accepts_a_registration_from_a_logged_in_staff_browser_without_csrf(client):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(superuser())

    response = browser.post(REGISTRATIONS_URL, json.dumps(registration_data()), content_type="application/json")

    assert response.status_code == 201
