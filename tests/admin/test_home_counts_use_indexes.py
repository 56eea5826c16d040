"""The kelurahan home page's counts are served by their partial indexes on
PostgreSQL (the waiting registrations, the cards waiting for pickup), so they
read an area's waiting rows only, never the city's."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cards.home import kelurahan_card_counts
from registrations.home import registration_work_counts
from tests.admin.test_home_kelurahan import world
from tests.factories import BEKASI_BARAT, KRANJI, staff_user

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def plan_of(count, table: str) -> str:
    with CaptureQueriesContext(connection) as captured:
        count()
    sql = next(query["sql"] for query in captured.captured_queries if f'FROM "{table}"' in query["sql"])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE registrations_registration; ANALYZE cards_card; ANALYZE cards_dispatch; "
                       "ANALYZE hospitals_verificationlog")
        # Few rows here: make the planner show whether the index can serve the
        # query at all (on the city, the index is what it chooses).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET LOCAL enable_seqscan = on")
    return plan


@pytest.mark.parametrize("area", [KRANJI, BEKASI_BARAT])
def test_it_counts_waiting_registrations_from_their_partial_index(area):
    world()
    user = staff_user(area)

    plan = plan_of(lambda: registration_work_counts(user), "registrations_registration")

    # An index of the waiting registrations only (with these few rows the
    # planner may take either): never every registration of the area.
    assert "registration_waiting" in plan or "registration_one_pending_per_kk" in plan, plan
    assert "registration_area_recent" not in plan, plan


@pytest.mark.parametrize("area", [KRANJI, BEKASI_BARAT])
def test_it_counts_cards_waiting_for_pickup_through_the_areas_dispatches(area):
    world()
    user = staff_user(area)

    plan = plan_of(lambda: kelurahan_card_counts(user), "cards_card")

    # With these few rows the planner may prefer another partial index of the
    # live cards; on the city, card_ready_by_dispatch is the small one. Either
    # way the households are never read.
    assert "card_ready_by_dispatch" in plan or "card_one_live_per_household" in plan, plan
    assert "registrations_household" not in plan and "Seq Scan on cards_card" not in plan, plan


def test_it_asks_each_facility_for_its_checks_through_their_index():
    from hospitals.selectors import facilities_checks_stopped
    from tests.admin.test_home_health_office import world as health_world

    health_world()

    plan = plan_of(lambda: facilities_checks_stopped(now=timezone.now()).count(), "hospitals_facility")

    # "None since" is one probe per facility; "some before" the planner may
    # also read from the checks' time index, as few rows as that is here.
    assert "verificationlog_facility_at" in plan, plan
    assert "Seq Scan on hospitals_verificationlog" not in plan, plan
