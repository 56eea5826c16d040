"""Complaints are limited per client address: 429 with Retry-After, nothing stored."""

import pytest

from complaints.models import Complaint
from tests.complaints.helpers import API_URL, complaint_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_per_hour(settings):
    settings.KARTUSEHAT_RATES = {**settings.KARTUSEHAT_RATES, "complaints_per_address": "2/hour"}


def _post(client, data=None, **extra):
    return client.post(API_URL, data or complaint_data(), content_type="application/json", **extra)


def test_it_answers_429_with_retry_after_past_the_limit_and_stores_nothing(client, two_per_hour):
    assert _post(client).status_code == 201
    assert _post(client).status_code == 201

    response = _post(client, headers={"Accept-Language": "en"})

    assert response.status_code == 429
    retry_after = int(response["Retry-After"])
    assert 1 <= retry_after <= 3600
    assert "Try again in" in response.json()["detail"]
    assert Complaint.objects.count() == 2


def test_it_counts_refused_attempts_too(client, two_per_hour):
    assert _post(client, complaint_data(phone="1")).status_code == 400
    assert _post(client, "{not json").status_code == 400

    response = _post(client)

    assert response.status_code == 429
    assert Complaint.objects.count() == 0


def test_it_counts_each_client_address_on_its_own(client, two_per_hour):
    for _ in range(2):
        _post(client, REMOTE_ADDR="203.0.113.7")

    assert _post(client, REMOTE_ADDR="203.0.113.7").status_code == 429
    assert _post(client, REMOTE_ADDR="203.0.113.8").status_code == 201

