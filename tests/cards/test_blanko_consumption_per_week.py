"""Blanks used per ISO week, from the ledger: printing and spoiled blanks, city time."""

import datetime as dt

import pytest

from cards import selectors
from cards.models import LedgerEntry
from tests.cards.forecast_helpers import at, used
from tests.cards.queue_helpers import queue

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 3)  # a Thursday; its week starts on Monday 30 November


def test_it_sums_printing_and_blank_spoilage_per_full_week():
    used(at(dt.date(2026, 11, 9), 0, 0), 100)  # Monday, the first minute of the week
    used(at(dt.date(2026, 11, 12)), 50)
    used(at(dt.date(2026, 11, 15), 23, 59), 7)  # Sunday night, still that week
    used(at(dt.date(2026, 11, 18)), 20, kind=LedgerEntry.Kind.SPOILED)  # blank cards damaged
    used(at(dt.date(2026, 11, 27)), 300)

    weeks = selectors.blanko_consumption_per_week(weeks=4, today=TODAY)

    assert weeks == [
        {"week": dt.date(2026, 11, 2), "blanks": 0},
        {"week": dt.date(2026, 11, 9), "blanks": 157},
        {"week": dt.date(2026, 11, 16), "blanks": 20},
        {"week": dt.date(2026, 11, 23), "blanks": 300},
    ]


def test_it_leaves_out_the_current_week_and_weeks_before_the_window():
    used(at(dt.date(2026, 11, 30), 0, 0), 999)  # this week (not full yet)
    used(at(dt.date(2026, 12, 3)), 999)
    used(at(dt.date(2026, 11, 1), 23, 59), 999)  # the Sunday before the window
    used(at(dt.date(2026, 11, 2)), 5)

    weeks = selectors.blanko_consumption_per_week(weeks=4, today=TODAY)

    assert sum(week["blanks"] for week in weeks) == 5


def test_it_counts_weeks_in_city_time_not_utc():
    # Sunday 23:30 UTC is Monday 06:30 in Bekasi: this week, not last week.
    used(dt.datetime(2026, 11, 29, 23, 30, tzinfo=dt.UTC), 40)
    # Monday 16:59 UTC 23 November is still Monday 23:59 in Bekasi.
    used(dt.datetime(2026, 11, 23, 16, 59, tzinfo=dt.UTC), 3)

    weeks = selectors.blanko_consumption_per_week(weeks=1, today=TODAY)

    assert weeks == [{"week": dt.date(2026, 11, 23), "blanks": 3}]


def test_it_does_not_count_a_misprint_twice_nor_adjustments_and_receipts():
    # A misprinted card moves a blank already consumed to spoiled; its reprint
    # consumes a new one when it prints (a consumed row of its own).
    card = queue(1)[0]
    used(at(dt.date(2026, 11, 24)), 10)
    used(at(dt.date(2026, 11, 25)), 1, kind=LedgerEntry.Kind.SPOILED, card=card)
    used(at(dt.date(2026, 11, 25)), -30, kind=LedgerEntry.Kind.ADJUSTMENT)
    used(at(dt.date(2026, 11, 26)), 30, kind=LedgerEntry.Kind.RESERVED)

    weeks = selectors.blanko_consumption_per_week(weeks=1, today=TODAY)

    assert weeks == [{"week": dt.date(2026, 11, 23), "blanks": 10}]


def test_it_reads_the_weeks_in_one_query(django_assert_num_queries):
    for day in range(2, 28):
        used(at(dt.date(2026, 11, day)), day)

    with django_assert_num_queries(1):
        weeks = selectors.blanko_consumption_per_week(weeks=12, today=TODAY)

    assert len(weeks) == 12
    assert sum(week["blanks"] for week in weeks) == sum(range(2, 28))
