import json

import pytest

from registrations.models import Registration
from tests.api.helpers import REGISTRATIONS_URL
from tests.factories import registration_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_per_hour(settings):
    settings.KARTUSEHAT_RATES = {**settings.KARTUSEHAT_RATES, "registrations_per_address": "2/hour"}


def post(api, address):
    return api.post(REGISTRATIONS_URL, json.dumps(registration_data()), content_type="application/json",
        REMOTE_ADDR=address)


def test_it_limits_registrations_per_address_with_retry_after(api, two_per_hour):
    assert post(api, "10.0.0.1").status_code == 201
    assert post(api, "10.0.0.1").status_code == 201

    response = post(api, "10.0.0.1")

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert Registration.objects.count() == 2
    assert post(api, "10.0.0.2").status_code == 201


def test_it_counts_an_ipv6_slash_64_as_one_address(api, two_per_hour):
    assert post(api, "2001:db8:1:2::1").status_code == 201
    assert post(api, "2001:db8:1:2::ffff").status_code == 201

    assert post(api, "2001:db8:1:2:abcd::9").status_code == 429
    assert post(api, "2001:db8:1:3::1").status_code == 201


def test_it_shares_the_limit_with_the_web_form(api, client, two_per_hour):
    from tests.web.helpers import form_data

    assert client.post("/daftar/", form_data(registration_data()), REMOTE_ADDR="10.0.0.9").status_code == 302
    assert post(api, "10.0.0.9").status_code == 201

    response = client.post("/daftar/", form_data(registration_data()), REMOTE_ADDR="10.0.0.9")

    assert response.status_code == 429
    assert response["Retry-After"]
