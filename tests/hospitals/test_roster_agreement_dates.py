"""A facility is a partner on a date if an agreement covers that date: one
that lapsed yesterday or starts tomorrow is not listed, one that ends today
is, and it drops off the next day by itself. agreement_valid_until counts a
renewal that follows on without a gap."""

import datetime as dt

import pytest
from django.utils import timezone

from hospitals import selectors
from hospitals.models import Agreement
from tests.hospitals.helpers import HOSPITALS_URL, days, empty_roster, facility, today

pytestmark = pytest.mark.django_db


def listed(api, **query) -> dict:
    response = api.get(HOSPITALS_URL, query)
    assert response.status_code == 200, response.content
    return {item["id"]: item for item in response.json()}


def test_it_does_not_list_a_facility_whose_agreement_ended_yesterday(api):
    lapsed = facility("RS Lewat Kemarin", start=days(-400), end=days(-1))
    current = facility("RS Masih Berlaku")

    items = listed(api)

    assert lapsed.pk not in items
    assert current.pk in items


def test_it_lists_a_facility_whose_agreement_ends_today(api):
    last_day = facility("RS Hari Terakhir", start=days(-400), end=today())

    items = listed(api)

    assert last_day.pk in items
    assert items[last_day.pk]["agreement_valid_until"] == today().isoformat()


def test_it_does_not_list_a_facility_whose_agreement_starts_tomorrow(api):
    upcoming = facility("RS Mulai Besok", start=days(1), end=days(365))

    assert upcoming.pk not in listed(api)


def test_it_lists_a_facility_whose_agreement_starts_today(api):
    starting = facility("RS Mulai Hari Ini", start=today(), end=days(30))

    items = listed(api)

    assert items[starting.pk]["agreement_valid_until"] == days(30).isoformat()


def test_it_does_not_list_a_facility_without_any_agreement(api):
    bare = facility("RS Tanpa PKS", agreement=False)

    assert bare.pk not in listed(api)


def test_it_drops_a_lapsed_facility_the_next_day_without_anyone_touching_it(api, monkeypatch):
    last_day = facility("RS Berakhir Hari Ini", start=days(-400), end=today())
    renewed = facility("RS Diperpanjang", start=days(-400), end=days(365))
    tomorrow = days(1)
    assert last_day.pk in listed(api)

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)

    items = listed(api)
    assert last_day.pk not in items
    assert renewed.pk in items
    # Nothing was written to make it go.
    assert Agreement.objects.get(facility=last_day).end_date == tomorrow - dt.timedelta(days=1)


def test_it_drops_a_lapsed_facility_from_the_public_page_the_next_day(client, monkeypatch):
    facility("RS Halaman Terakhir", start=days(-400), end=today())
    tomorrow = days(1)
    assert "RS Halaman Terakhir" in client.get("/rumah-sakit/").content.decode()

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)

    assert "RS Halaman Terakhir" not in client.get("/rumah-sakit/").content.decode()


def test_it_extends_valid_until_with_a_renewal_starting_the_day_after(api):
    place = facility("RS Perpanjangan", start=days(-300), end=days(10))
    Agreement.objects.create(facility=place, pks_number="PKS/RENEW/1", start_date=days(11), end_date=days(400))

    assert listed(api)[place.pk]["agreement_valid_until"] == days(400).isoformat()


def test_it_extends_valid_until_through_a_chain_of_renewals(api):
    place = facility("RS Berantai", start=days(-300), end=days(10))
    Agreement.objects.create(facility=place, pks_number="PKS/CHAIN/1", start_date=days(11), end_date=days(100))
    Agreement.objects.create(facility=place, pks_number="PKS/CHAIN/2", start_date=days(50), end_date=days(500))

    assert listed(api)[place.pk]["agreement_valid_until"] == days(500).isoformat()


def test_it_does_not_extend_valid_until_over_a_gap(api):
    place = facility("RS Ada Jeda", start=days(-300), end=days(10))
    Agreement.objects.create(facility=place, pks_number="PKS/GAP/1", start_date=days(12), end_date=days(400))

    assert listed(api)[place.pk]["agreement_valid_until"] == days(10).isoformat()


def test_it_lists_a_facility_once_with_overlapping_agreements(api):
    empty_roster()
    place = facility("RS Dua PKS", start=days(-300), end=days(30))
    Agreement.objects.create(facility=place, pks_number="PKS/OVERLAP/1", start_date=days(-10), end_date=days(20))

    response = api.get(HOSPITALS_URL)

    assert [item["id"] for item in response.json()] == [place.pk]
    assert response.json()[0]["agreement_valid_until"] == days(30).isoformat()


# --- selectors.valid_until ------------------------------------------------------

ON = dt.date(2026, 3, 15)


def agreement(start: dt.date, end: dt.date) -> Agreement:
    return Agreement(pks_number=f"PKS/{start}/{end}", start_date=start, end_date=end)


def test_it_answers_none_when_nothing_covers_the_date():
    assert selectors.valid_until([], ON) is None
    assert selectors.valid_until([agreement(dt.date(2025, 1, 1), dt.date(2026, 3, 14))], ON) is None
    assert selectors.valid_until([agreement(dt.date(2026, 3, 16), dt.date(2027, 1, 1))], ON) is None


def test_it_answers_the_end_of_the_agreement_covering_the_date():
    assert selectors.valid_until([agreement(dt.date(2025, 1, 1), dt.date(2026, 12, 31))], ON) == dt.date(2026, 12, 31)
    assert selectors.valid_until([agreement(ON, ON)], ON) == ON


def test_it_follows_renewals_that_start_by_the_day_after():
    agreements = [
        agreement(dt.date(2027, 1, 1), dt.date(2027, 12, 31)),  # renewal, listed first
        agreement(dt.date(2025, 1, 1), dt.date(2026, 12, 31)),
        agreement(dt.date(2028, 1, 1), dt.date(2028, 6, 30)),
    ]

    assert selectors.valid_until(agreements, ON) == dt.date(2028, 6, 30)


def test_it_stops_at_a_gap():
    agreements = [
        agreement(dt.date(2025, 1, 1), dt.date(2026, 12, 31)),
        agreement(dt.date(2027, 1, 2), dt.date(2027, 12, 31)),
    ]

    assert selectors.valid_until(agreements, ON) == dt.date(2026, 12, 31)


def test_it_ignores_agreements_that_ended_before_the_date():
    agreements = [
        agreement(dt.date(2020, 1, 1), dt.date(2024, 12, 31)),
        agreement(dt.date(2025, 1, 1), dt.date(2026, 6, 30)),
    ]

    assert selectors.valid_until(agreements, ON) == dt.date(2026, 6, 30)


def test_it_keeps_the_longest_of_overlapping_agreements():
    agreements = [
        agreement(dt.date(2025, 1, 1), dt.date(2027, 12, 31)),
        agreement(dt.date(2026, 1, 1), dt.date(2026, 6, 30)),
    ]

    assert selectors.valid_until(agreements, ON) == dt.date(2027, 12, 31)
