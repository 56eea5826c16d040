"""Failed status lookups are counted in one atomic step before the lookup,
so a burst of simultaneous failures gets exactly the limit's worth of 404s
and 429s for the rest: real concurrent requests to gunicorn counting in
Redis, as in production."""

import pytest

from tests.api.live_gunicorn import burst, gunicorn

pytestmark = [
    pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True, serialized_rollback=True)
]

LIMIT = 10
BURST = 24


@pytest.fixture
def server(settings):
    with gunicorn(settings, RATE_STATUS_FAILURES_PER_ADDRESS=f"{LIMIT}/hour",
            RATE_STATUS_FAILURES_PER_REFERENCE=f"{LIMIT}/hour") as port:
        yield port


def test_it_answers_exactly_the_limit_of_failures_to_a_burst_from_one_address(server):
    requests = [(f"/api/v1/registrations/KS-0000-0000-{i:04d}/?nik=3275011505800003",
        {"X-Forwarded-For": "203.0.113.9"}) for i in range(BURST)]

    statuses = burst(server, requests)

    assert sorted(statuses) == [404] * LIMIT + [429] * (BURST - LIMIT), statuses


def test_it_answers_exactly_the_limit_of_failures_on_one_reference_from_many_addresses(server):
    requests = [("/api/v1/registrations/KS-7M3Q-9XKD-2HFA/?nik=3275011505800003",
        {"X-Forwarded-For": f"198.51.100.{i}"}) for i in range(BURST)]

    statuses = burst(server, requests)

    assert sorted(statuses) == [404] * LIMIT + [429] * (BURST - LIMIT), statuses
