"""A claim never reserves blanks that are not there: emergencies may use
everything not yet reserved, regular cards only what is left beyond the
emergency reserve."""

import pytest

from cards.models import Card, LedgerEntry
from tests.cards.queue_helpers import (
    assert_ledger_balances,
    batch_card_ids,
    claimed,
    queue,
    raise_to_emergency,
    receive,
    stock,
)

pytestmark = pytest.mark.django_db


def test_it_takes_regular_cards_only_beyond_the_emergency_reserve():
    receive(10, emergency_reserve=3)
    queue(20)

    batch = claimed(100)

    assert batch.cards_count == 7
    assert (stock().on_hand, stock().reserved) == (10, 7)
    assert stock().on_hand - stock().reserved == stock().emergency_reserve
    assert_ledger_balances()


def test_it_counts_emergencies_against_the_blanks_left_for_regular_cards():
    receive(10, emergency_reserve=3)
    cards = queue(20)
    raise_to_emergency(cards[15])
    raise_to_emergency(cards[16])

    batch = claimed(100)

    ids = batch_card_ids(batch)
    assert len(ids) == 7
    assert {cards[15].pk, cards[16].pk} <= set(ids)
    assert stock().reserved == 7


def test_it_lets_emergencies_use_the_emergency_reserve():
    receive(5, emergency_reserve=5)
    cards = queue(8)
    for card in cards:
        raise_to_emergency(card)

    batch = claimed(100)

    assert batch.cards_count == 5
    assert (stock().on_hand, stock().reserved) == (5, 5)
    assert Card.objects.filter(status="queued", priority="emergency").count() == 3


def test_it_takes_nothing_beyond_blanks_already_reserved_by_other_batches():
    receive(10, emergency_reserve=0)
    cards = queue(30)
    claimed(8)
    for card in cards[20:]:
        raise_to_emergency(card)

    batch = claimed(100)

    assert batch.cards_count == 2
    assert (stock().on_hand, stock().reserved) == (10, 10)
    assert_ledger_balances()


def test_it_takes_no_more_than_the_batch_size():
    receive(100, emergency_reserve=0)
    cards = queue(10)
    for card in cards[:4]:
        raise_to_emergency(card)

    batch = claimed(3)

    assert batch.cards_count == 3
    assert set(batch_card_ids(batch)) <= {card.pk for card in cards[:4]}
    assert stock().reserved == 3


def test_it_reserves_what_it_takes_in_one_ledger_entry():
    receive(100, emergency_reserve=0)
    queue(6)

    batch = claimed(4)

    entry = LedgerEntry.objects.get(kind="reserved")
    assert (entry.quantity, entry.batch_id, entry.on_hand_after, entry.reserved_after) == (4, batch.pk, 100, 4)
    assert set(Card.objects.filter(batch=batch).values_list("status", flat=True)) == {"printing"}
    assert batch.status == "rendering" and batch.claimed_at is not None
