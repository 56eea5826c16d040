"""Failed status lookups are limited per address, with one counter for the
web page and the API, and a 429 page that says when to try again."""

import pytest

from tests.factories import KRANJI, submit
from tests.web.helpers import STATUS_URL

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_per_hour(settings):
    settings.KARTUSEHAT_RATES = {**settings.KARTUSEHAT_RATES, "status_failures_per_address": "3/hour"}


def fail_on_page(client, reference="KS-ABCD-EFGH-JKMN", nik="3275011505800003"):
    return client.post(STATUS_URL, {"reference": reference, "nik": nik})


def fail_on_api(client, reference="KS-ABCD-EFGH-JKMN", nik="3275011505800003"):
    return client.get(f"/api/v1/registrations/{reference}/", {"nik": nik})


def test_it_answers_the_fourth_failure_with_429_and_retry_after(client, settings, three_per_hour):
    for _ in range(3):
        assert fail_on_page(client).status_code == 404

    response = fail_on_page(client)

    assert response.status_code == 429
    retry_after = int(response["Retry-After"])
    assert 1 <= retry_after <= 3600
    assert settings.KARTUSEHAT_CITY["hotline"] in response.content.decode()


def test_it_limits_a_correct_lookup_too_once_the_address_is_over_the_limit(client, three_per_hour):
    registration = submit(KRANJI)
    for _ in range(3):
        fail_on_page(client)

    response = client.post(STATUS_URL, {"reference": registration.reference, "nik": registration.members.first().nik})

    assert response.status_code == 429


def test_it_never_counts_successful_lookups(client, three_per_hour):
    registration = submit(KRANJI)
    nik = registration.members.first().nik
    for _ in range(5):
        assert client.post(STATUS_URL, {"reference": registration.reference, "nik": nik}).status_code == 200

    assert fail_on_page(client).status_code == 404


def test_it_counts_each_address_separately(client, three_per_hour):
    for _ in range(3):
        fail_on_page(client)

    response = client.post(
        STATUS_URL, {"reference": "KS-ABCD-EFGH-JKMN", "nik": "3275011505800003"}, REMOTE_ADDR="198.51.100.9"
    )

    assert response.status_code == 404


def test_it_shares_the_counter_with_the_api(client, three_per_hour):
    for _ in range(2):
        api_miss = fail_on_api(client)
        assert api_miss.status_code == 404 and "detail" in api_miss.json()
    assert fail_on_page(client).status_code == 404

    response = fail_on_page(client)

    assert response.status_code == 429
    assert "Retry-After" in response


def test_it_shares_the_counter_with_the_api_the_other_way_round(client, three_per_hour):
    fail_on_page(client)
    fail_on_page(client)
    fail_on_api(client)

    response = fail_on_api(client)

    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1


def test_it_does_not_limit_one_citizen_for_other_peoples_typos(client, settings):
    settings.KARTUSEHAT_RATES = {
        **settings.KARTUSEHAT_RATES,
        "status_failures_per_address": "30/hour",
        "status_failures_per_reference": "10/hour",
    }
    for address in range(1, 11):
        client.post(STATUS_URL, {"reference": "KS-12", "nik": "1"}, REMOTE_ADDR=f"10.0.0.{address}")

    response = client.post(STATUS_URL, {"reference": "KS-7M3Q", "nik": "3275011505800003"}, REMOTE_ADDR="192.0.2.77")

    assert response.status_code == 404
