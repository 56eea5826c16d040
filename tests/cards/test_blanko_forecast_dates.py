"""The forecast: the average of the last 4 full weeks, and the days the stock runs out at that rate."""

import datetime as dt

import pytest

from cards import selectors
from cards.models import LedgerEntry, Stock
from tests.cards.forecast_helpers import at, used
from tests.cards.queue_helpers import receive

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 3)  # Thursday


def history():
    """580 blanks in the 4 full weeks before 30 November, and noise outside them."""
    used(at(dt.date(2026, 11, 2), 0, 0), 100)
    used(at(dt.date(2026, 11, 10)), 150)
    used(at(dt.date(2026, 11, 17)), 200)
    used(at(dt.date(2026, 11, 20)), 20, kind=LedgerEntry.Kind.SPOILED)
    used(at(dt.date(2026, 11, 29), 23, 59), 110)
    used(at(dt.date(2026, 10, 30)), 5000)  # before the window
    used(at(dt.date(2026, 12, 1)), 5000)  # this week


def test_it_gives_the_exact_dates_of_a_constructed_history():
    receive(1000, emergency_reserve=300)  # 700 for regular cards, 1000 in all
    history()

    forecast = selectors.blanko_forecast(today=TODAY)

    # 580 blanks in 28 days: 700 last ceil(700 x 28 / 580) = 34 days, 1000 last 49.
    assert forecast == {
        "consumption_per_week": 145.0,
        "regular_runs_out_on": dt.date(2027, 1, 6),
        "emergency_reserve_runs_out_on": dt.date(2027, 1, 21),
    }


def test_it_counts_the_day_the_last_blank_goes_as_the_day_it_runs_out():
    # 28 blanks in 4 weeks: one a day. 3 available last until the third day.
    receive(5, emergency_reserve=2)
    used(at(dt.date(2026, 11, 5)), 28)

    forecast = selectors.blanko_forecast(today=TODAY)

    assert forecast["consumption_per_week"] == 7.0
    assert forecast["regular_runs_out_on"] == dt.date(2026, 12, 6)
    assert forecast["emergency_reserve_runs_out_on"] == dt.date(2026, 12, 8)


def test_it_leaves_blanks_reserved_for_running_batches_out_of_the_runway():
    receive(100, emergency_reserve=30)
    Stock.objects.filter(pk=1).update(reserved=40)  # a batch is printing 40 cards
    used(at(dt.date(2026, 11, 5)), 28)

    forecast = selectors.blanko_forecast(today=TODAY)

    assert forecast["regular_runs_out_on"] == TODAY + dt.timedelta(days=30)
    assert forecast["emergency_reserve_runs_out_on"] == TODAY + dt.timedelta(days=60)


def test_it_says_today_when_regular_printing_has_already_stopped():
    receive(200, emergency_reserve=200)
    used(at(dt.date(2026, 11, 5)), 56)

    forecast = selectors.blanko_forecast(today=TODAY)

    assert forecast["regular_runs_out_on"] == TODAY
    assert forecast["emergency_reserve_runs_out_on"] == TODAY + dt.timedelta(days=100)


def test_it_gives_no_date_when_nothing_was_used():
    receive(1000, emergency_reserve=300)
    used(at(dt.date(2026, 12, 1)), 400)  # this week only: not a full week yet

    forecast = selectors.blanko_forecast(today=TODAY)

    assert forecast == {"consumption_per_week": 0.0, "regular_runs_out_on": None,
                        "emergency_reserve_runs_out_on": None}
