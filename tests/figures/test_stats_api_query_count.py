"""The endpoints read the rollup: the same number of queries for a city with
more households and cards, and none of them counts the roster."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from figures import services
from tests.factories import CITY, KRANJI, staff_user, verified
from tests.figures.helpers import small_city

pytestmark = pytest.mark.django_db

URLS = ["/api/v1/stats/coverage/", "/api/v1/stats/cards/", "/api/v1/stats/coverage/?format=csv"]


def _queries(api, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert api.get(url).status_code == 200
    return [query["sql"] for query in queries.captured_queries]


@pytest.mark.parametrize("url", URLS)
def test_it_reads_a_constant_number_of_queries(url):
    small_city()
    services.figures_recompute()
    api = APIClient()
    api.force_login(staff_user(CITY, username="kota.bekasi"))
    before = _queries(api, url)

    for _ in range(5):
        verified(KRANJI)
    services.figures_recompute()
    after = _queries(api, url)

    assert len(after) == len(before)
    for sql in after:
        for table in ("registrations_household", "registrations_member", "cards_card", "registrations_registration"):
            assert f'"{table}"' not in sql, sql
