"""Print requests for one household arriving at the same time never give it
two live cards, and each caller gets the household's card (PostgreSQL, real
threads)."""

import pytest
from django.db import transaction

from cards import services
from cards.models import Card
from registrations.models import Household
from tests.cards.queue_helpers import household, operator, queue, run_threads, start_threads, wait_for_lock_waiters

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_it_raises_a_queued_card_once_when_two_hospitals_ask_at_once():
    card = queue(1)[0]
    by = operator()

    results = run_threads([
        lambda: services.card_raise_to_emergency(household=card.household, reason="rawat_inap", by=by),
        lambda: services.card_raise_to_emergency(household=card.household, reason="gawat_darurat", by=by),
    ])

    assert all(isinstance(r, Card) and r.pk == card.pk for r in results), results
    assert Card.objects.filter(household=card.household).count() == 1
    assert Card.objects.get(pk=card.pk).priority == "emergency"


def test_it_gives_both_emergency_requests_the_same_new_card():
    home = household()  # no live card: e.g. its earlier card was cancelled, or it was never queued
    by = operator()

    def ask(reason):
        return lambda: services.card_raise_to_emergency(household=home, reason=reason, by=by)

    with transaction.atomic():
        # Someone edits the household while both requests arrive: both have
        # looked for a live card before either can write one.
        Household.objects.select_for_update().get(pk=home.pk)
        join = start_threads([ask("rawat_inap"), ask("sakit")])
        wait_for_lock_waiters(2)
    results = join()

    assert all(isinstance(r, Card) for r in results), results
    assert results[0].pk == results[1].pk
    assert Card.objects.filter(household=home).count() == 1
