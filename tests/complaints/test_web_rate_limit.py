"""The complaint form shares the API's limit per address: a 429 page that says
when to try again."""

import pytest

from complaints.models import Complaint
from tests.complaints.helpers import API_URL, FORM_URL, complaint_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_per_hour(settings):
    settings.KARTUSEHAT_RATES = {**settings.KARTUSEHAT_RATES, "complaints_per_address": "2/hour"}


def test_it_answers_429_with_retry_after_and_keeps_the_message_to_copy(client, two_per_hour):
    client.post(FORM_URL, complaint_data())
    client.post(FORM_URL, complaint_data(phone="1"))  # refused attempts count too

    response = client.post(FORM_URL, complaint_data(message="Pesan yang tidak boleh hilang begitu saja."))

    assert response.status_code == 429
    retry_after = int(response["Retry-After"])
    assert 1 <= retry_after <= 3600
    html = response.content.decode()
    assert "Pesan yang tidak boleh hilang begitu saja." in html
    assert "+62 811-1999-119" in html
    assert Complaint.objects.count() == 1


def test_it_says_in_how_many_minutes_to_try_again(client, two_per_hour):
    for _ in range(2):
        client.post(FORM_URL, complaint_data())

    response = client.post(FORM_URL, complaint_data(), headers={"Cookie": "django_language=en"})

    minutes = -(-int(response["Retry-After"]) // 60)
    assert f"Try again in {minutes} minute" in response.content.decode()


def test_it_shares_the_limit_with_the_api(client, two_per_hour):
    client.post(API_URL, complaint_data(), content_type="application/json")
    client.post(API_URL, complaint_data(), content_type="application/json")

    response = client.post(FORM_URL, complaint_data())

    assert response.status_code == 429
    assert Complaint.objects.count() == 2
