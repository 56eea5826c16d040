"""GET /api/v1/registrations/{reference}/?nik=: failed lookups are limited per
client address and per reference (429 with Retry-After); successful lookups
never use up the limit."""

import pytest

from tests.api.helpers import post_json, status_url
from tests.factories import registration_data

pytestmark = pytest.mark.django_db

UNKNOWN = ["KS-0000-0000-%04d" % i for i in range(1, 40)]


def _rates(settings, **rates):
    settings.KARTUSEHAT_RATES = {**settings.KARTUSEHAT_RATES, **rates}


@pytest.fixture
def household(api):
    data = registration_data(size=2)
    response = post_json(api, data)
    assert response.status_code == 201, response.content
    return response.json()["reference"], data["members"][0]["nik"]


def _assert_throttled(response):
    assert response.status_code == 429, (response.status_code, response.content)
    retry_after = int(response["Retry-After"])
    assert retry_after > 0
    return retry_after


def test_it_answers_429_with_retry_after_after_too_many_failures_from_one_address(api, settings, household):
    _rates(settings, status_failures_per_address="3/hour", status_failures_per_reference="100/hour")
    _reference, nik = household

    for ref in UNKNOWN[:3]:
        assert api.get(status_url(ref), {"nik": nik}, REMOTE_ADDR="203.0.113.10").status_code == 404

    retry_after = _assert_throttled(api.get(status_url(UNKNOWN[3]), {"nik": nik}, REMOTE_ADDR="203.0.113.10"))
    assert retry_after <= 3600


def test_it_counts_failures_of_each_address_on_its_own(api, settings, household):
    _rates(settings, status_failures_per_address="3/hour", status_failures_per_reference="100/hour")
    _reference, nik = household
    for ref in UNKNOWN[:3]:
        api.get(status_url(ref), {"nik": nik}, REMOTE_ADDR="203.0.113.10")

    assert api.get(status_url(UNKNOWN[4]), {"nik": nik}, REMOTE_ADDR="203.0.113.10").status_code == 429
    assert api.get(status_url(UNKNOWN[5]), {"nik": nik}, REMOTE_ADDR="203.0.113.11").status_code == 404


def test_it_does_not_count_successful_lookups(api, settings, household):
    _rates(settings, status_failures_per_address="3/hour", status_failures_per_reference="3/hour")
    reference, nik = household

    for _ in range(25):
        assert api.get(status_url(reference), {"nik": nik}, REMOTE_ADDR="198.51.100.7").status_code == 200

    # The failure budget of the address (and the reference) is still whole.
    for _ in range(3):
        assert api.get(status_url(reference), {"nik": "3275"}, REMOTE_ADDR="198.51.100.7").status_code == 404
    _assert_throttled(api.get(status_url(reference), {"nik": "3275"}, REMOTE_ADDR="198.51.100.7"))


def test_it_limits_failures_on_one_reference_across_addresses(api, settings, household):
    _rates(settings, status_failures_per_address="100/hour", status_failures_per_reference="3/hour")
    reference, _nik = household
    wrong = registration_data(size=1)["members"][0]["nik"]

    for i in range(3):
        response = api.get(status_url(reference), {"nik": wrong}, REMOTE_ADDR=f"203.0.113.{20 + i}")
        assert response.status_code == 404

    _assert_throttled(api.get(status_url(reference), {"nik": wrong}, REMOTE_ADDR="203.0.113.99"))
    # Another reference from the same fresh address is not affected.
    assert api.get(status_url(UNKNOWN[0]), {"nik": wrong}, REMOTE_ADDR="203.0.113.99").status_code == 404


def test_it_limits_a_reference_typed_in_different_ways_as_one(api, settings, household):
    _rates(settings, status_failures_per_address="100/hour", status_failures_per_reference="3/hour")
    reference, _nik = household

    for i, typed in enumerate([reference, reference.lower(), reference.replace("-", "")]):
        assert api.get(status_url(typed), {"nik": "1"}, REMOTE_ADDR=f"203.0.113.{30 + i}").status_code == 404

    _assert_throttled(api.get(status_url(reference.lower()), {"nik": "1"}, REMOTE_ADDR="203.0.113.40"))


def test_it_answers_429_in_english_with_accept_language_en(api, settings, household):
    _rates(settings, status_failures_per_address="1/hour", status_failures_per_reference="100/hour")
    api.get(status_url(UNKNOWN[0]), {"nik": "1"})

    response = api.get(status_url(UNKNOWN[1]), {"nik": "1"}, HTTP_ACCEPT_LANGUAGE="en")

    _assert_throttled(response)
    assert "try again in" in response.json()["detail"].lower()


def test_it_ignores_a_forwarded_for_header_sent_by_the_client(api, settings, household):
    _rates(settings, status_failures_per_address="3/hour", status_failures_per_reference="100/hour")
    settings.NUM_PROXIES = 0

    for i, ref in enumerate(UNKNOWN[:3]):
        api.get(status_url(ref), {"nik": "1"}, REMOTE_ADDR="203.0.113.50", HTTP_X_FORWARDED_FOR=f"10.0.0.{i}")

    response = api.get(
        status_url(UNKNOWN[3]), {"nik": "1"}, REMOTE_ADDR="203.0.113.50", HTTP_X_FORWARDED_FOR="10.9.9.9"
    )

    _assert_throttled(response)
