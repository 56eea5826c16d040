"""The dashboard reads the rollup: the same number of queries for a city with
more households and cards, and none of them counts the roster."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from figures import services
from tests.factories import CITY, KRANJI, staff_user, verified
from tests.figures.dashboard_helpers import counted_city, signed_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/admin/figures/dashboard/", "/admin/figures/dashboard/coverage.xlsx"])
def test_it_reads_a_constant_number_of_queries(url):
    counted_city()
    client = signed_in(staff_user(CITY, username="kota.bekasi"))
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200

    for _ in range(5):
        verified(KRANJI)
    services.figures_recompute()
    with CaptureQueriesContext(connection) as after:
        assert client.get(url).status_code == 200

    assert len(after.captured_queries) == len(before.captured_queries)
    for query in after.captured_queries:
        for table in ("registrations_household", "registrations_member", "registrations_registration"):
            assert f'"{table}"' not in query["sql"], query["sql"]
