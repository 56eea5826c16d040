"""Every figure of the rollup equals a recount from the raw tables, on a small
city and again after each kind of change made through the services: a
verification, a rejection, card steps (sent, received, collected), a reprint
and a membership ended. On SQLite and on PostgreSQL (whichever the run uses)."""

import pytest

from cards import services as card_services
from figures import selectors, services
from figures.models import KelurahanFigures, WeeklyPrinted
from registrations import services as registration_services
from registrations.models import Region
from tests.factories import BEKASI_BARAT, CITY, KRANJI, submit, superuser
from tests.figures.helpers import end_a_membership, recount, small_city

pytestmark = pytest.mark.django_db

COLUMNS = ["households_verified", "households_pending", "people_covered", "cards_queued", "cards_printed",
           "cards_dispatched", "cards_ready_for_pickup", "cards_collected", "cards_revoked", "emergency_queued",
           "overdue_pickup"]


def assert_rollup_matches_recount() -> None:
    services.figures_recompute()
    expected, weekly = recount()
    rolled = {row["kelurahan_id"]: {k: v for k, v in row.items() if k != "kelurahan_id" and v}
              for row in KelurahanFigures.objects.values("kelurahan_id", *COLUMNS)}
    assert {k: v for k, v in rolled.items() if v} == {k: v for k, v in expected.items() if v}
    assert dict(((row.kelurahan_id, row.week), row.cards) for row in WeeklyPrinted.objects.all()) == weekly

    city = selectors.figures_area(superuser())
    coverage = selectors.coverage(city)
    for name in ("households_verified", "households_pending", "people_covered"):
        assert coverage["area"][name] == sum(row.get(name, 0) for row in expected.values())
        assert sum(child[name] for child in coverage["children"]) == coverage["area"][name]
    cards = selectors.cards(city)
    assert cards["by_status"] == {status: sum(row.get(f"cards_{status}", 0) for row in expected.values())
                                  for status in cards["by_status"]}
    assert cards["emergency_queued"] == sum(row.get("emergency_queued", 0) for row in expected.values())
    assert cards["overdue_pickup"] == sum(row.get("overdue_pickup", 0) for row in expected.values())
    assert sum(week["cards"] for week in cards["printed_per_week"]) == sum(weekly.values())


def test_it_counts_a_small_city_as_a_recount_does():
    small_city()

    assert_rollup_matches_recount()
    figures = selectors.cards(selectors.figures_area(superuser()))
    # The small city has a card at every stage the contract names.
    assert all(figures["by_status"].values()), figures["by_status"]
    assert figures["emergency_queued"] == 1 and figures["overdue_pickup"] == 1


def test_it_follows_each_kind_of_change_made_through_the_services():
    world = small_city()
    root = world["root"]
    assert_rollup_matches_recount()

    registration_services.registration_verify(registration_id=world["pending"].pk, by=root)
    assert_rollup_matches_recount()

    registration_services.registration_reject(registration_id=world["bintara_pending"].pk, by=root,
                                              reason="Data tidak lengkap")
    assert_rollup_matches_recount()

    card_services.card_collect(card_id=world["waiting"].pk, by=root, collector="head")
    assert_rollup_matches_recount()

    card_services.card_reprint(card_id=world["waiting"].pk, kind="damaged", by=root, returned_damaged=True)
    assert_rollup_matches_recount()

    card_services.dispatch_receive(dispatch_id=world["dispatch"].pk, by=root)
    assert_rollup_matches_recount()

    end_a_membership(world["travelling"])
    assert_rollup_matches_recount()

    submit(KRANJI)
    assert_rollup_matches_recount()


def test_it_adds_the_kelurahan_up_to_their_kecamatan_and_the_city():
    small_city()
    services.figures_recompute()
    expected, _weekly = recount()
    coverage = selectors.coverage(selectors.figures_area(superuser()))

    assert coverage["area"]["code"] == CITY
    barat = next(child for child in coverage["children"] if child["code"] == BEKASI_BARAT)
    ids = Region.objects.filter(parent__code=BEKASI_BARAT).values_list("pk", flat=True)
    assert barat["households_verified"] == sum(expected.get(pk, {}).get("households_verified", 0) for pk in ids)
    assert [child["code"] for child in coverage["children"]] == sorted(child["code"] for child in
                                                                        coverage["children"])
