"""The next budget year's need: queued + expected registrations + reprints + spoilage at the observed rates."""

import datetime as dt

import pytest
from django.utils import timezone

from cards import selectors
from cards.models import Card, LedgerEntry
from tests.cards.forecast_helpers import at, used
from tests.cards.queue_helpers import queue

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 3)
IN_WINDOW = at(dt.date(2026, 11, 10))


def requested(cards, when, **fields):
    Card.objects.filter(pk__in=[card.pk for card in cards]).update(requested_at=when, **fields)


def test_it_adds_the_queue_and_a_year_of_each_observed_rate(settings):
    settings.KARTUSEHAT_CITY = {**settings.KARTUSEHAT_CITY, "household_target": 10_000}
    cards = queue(12)
    requested(cards[:8], IN_WINDOW)  # 8 new cards in 4 weeks: 104 a year
    requested(cards[8:11], IN_WINDOW, kind=Card.Kind.LOST)  # 3 reprints: 39 a year
    requested(cards[11:], at(dt.date(2026, 12, 1)))  # this week: no rate, but queued
    Card.objects.filter(pk=cards[0].pk).update(status=Card.Status.CANCELLED)
    used(at(dt.date(2026, 11, 12)), 2, kind=LedgerEntry.Kind.SPOILED)  # 26 a year
    used(at(dt.date(2026, 11, 13)), 1, kind=LedgerEntry.Kind.SPOILED, card=cards[1])  # 13 a year

    need = selectors.blanko_budget_need(today=TODAY)

    assert need == {
        "budget_year": 2027,
        "queued": 11,
        "expected_registrations": 104,
        "households_without_card": 10_000 - 9,
        "reprints": 39,
        "spoiled": 39,
        "need": 11 + 104 + 39 + 39,
    }


def test_it_never_expects_more_registrations_than_households_left_without_a_card(settings):
    settings.KARTUSEHAT_CITY = {**settings.KARTUSEHAT_CITY, "household_target": 20}
    requested(queue(16), IN_WINDOW)

    need = selectors.blanko_budget_need(today=TODAY)

    assert need["households_without_card"] == 4
    assert need["expected_registrations"] == 4
    assert need["need"] == 16 + 4


def test_it_reads_in_four_queries(django_assert_num_queries):
    queue(3)
    with django_assert_num_queries(4):
        selectors.blanko_budget_need(today=timezone.localdate())
