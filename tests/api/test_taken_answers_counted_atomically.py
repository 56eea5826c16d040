""""Already registered" answers are counted in one atomic step before the
database is read: a burst of simultaneous submissions of a registered KK
from one address, or from one /24, gets exactly the limit's worth of 400s
and 429s for the rest, and nothing is written. Real concurrent requests to
gunicorn counting in Redis, as in production."""

import pytest

from registrations.models import Registration
from tests.api.live_gunicorn import burst, gunicorn
from tests.factories import KRANJI, registration_data

pytestmark = [
    pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True, serialized_rollback=True)
]

LIMIT = 5
BURST = 16
URL = "/api/v1/registrations/"


def _registered() -> dict:
    from registrations import services

    data = registration_data(KRANJI, size=2)
    services.registration_submit(data=data, channel=Registration.Channel.ONLINE)
    return data


def _same_kk(data) -> dict:
    return registration_data(KRANJI, size=2, kk_number=data["kk_number"])


def test_it_answers_exactly_the_limit_of_taken_answers_to_a_burst_from_one_address(settings):
    first = _registered()
    with gunicorn(settings, RATE_TAKEN_ANSWERS_PER_ADDRESS=f"{LIMIT}/hour") as port:
        statuses = burst(port, [(URL, {"X-Forwarded-For": "203.0.113.9"}, _same_kk(first)) for _ in range(BURST)])

    assert sorted(statuses) == [400] * LIMIT + [429] * (BURST - LIMIT), statuses
    assert Registration.objects.count() == 1


def test_it_answers_exactly_the_limit_of_taken_answers_to_a_burst_from_one_network(settings):
    first = _registered()
    with gunicorn(settings, RATE_TAKEN_ANSWERS_PER_NETWORK=f"{LIMIT}/hour") as port:
        statuses = burst(port, [(URL, {"X-Forwarded-For": f"203.0.113.{i}"}, _same_kk(first)) for i in range(BURST)])

    assert sorted(statuses) == [400] * LIMIT + [429] * (BURST - LIMIT), statuses
    assert Registration.objects.count() == 1
