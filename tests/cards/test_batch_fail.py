"""A batch that failed for good gives its cards back to the queue, at the
same place, and releases their blanks."""

import pytest

from cards import services
from cards.models import Card, LedgerEntry
from tests.cards.queue_helpers import (
    assert_ledger_balances,
    batch_card_ids,
    claimed,
    new_batch,
    queue,
    raise_to_emergency,
    receive,
    stock,
)

pytestmark = pytest.mark.django_db


def test_it_puts_the_cards_back_in_the_queue_with_their_priority():
    receive(100, emergency_reserve=0)
    cards = queue(4)
    raise_to_emergency(cards[3], "sakit")
    batch = claimed(4)

    failed = services.batch_fail(batch_id=batch.pk, error="ReportLabError: font missing")

    assert (failed.status, failed.error) == ("failed", "ReportLabError: font missing")
    assert failed.finished_at is not None
    after = {card.pk: card for card in Card.objects.all()}
    assert {card.status for card in after.values()} == {"queued"}
    assert all(card.batch_id is None and card.printed_at is None for card in after.values())
    assert (after[cards[3].pk].priority, after[cards[3].pk].reason) == ("emergency", "sakit")
    assert {after[card.pk].priority for card in cards[:3]} == {"regular"}


def test_it_releases_the_reservation():
    receive(100, emergency_reserve=0)
    queue(4)
    batch = claimed(4)

    services.batch_fail(batch_id=batch.pk, error="printer offline")

    assert (stock().on_hand, stock().reserved, stock().consumed) == (100, 0, 0)
    entry = LedgerEntry.objects.get(kind="released")
    assert (entry.quantity, entry.batch_id, entry.reserved_after) == (4, batch.pk, 0)
    assert_ledger_balances()


def test_it_lets_the_next_batch_take_the_same_cards_in_the_same_order():
    receive(100, emergency_reserve=0)
    queue(6)
    batch = claimed(3)
    ids = sorted(batch_card_ids(batch))
    services.batch_fail(batch_id=batch.pk, error="printer offline")

    retry = claimed(3)

    assert sorted(batch_card_ids(retry)) == ids


def test_it_changes_nothing_for_a_done_batch():
    receive(100, emergency_reserve=0)
    queue(2)
    batch = claimed(2)
    services.batch_complete(batch_id=batch.pk, pdf_name="batches/a.pdf")

    again = services.batch_fail(batch_id=batch.pk, error="late failure")

    assert (again.status, again.error) == ("done", "")
    assert Card.objects.filter(status="printed").count() == 2
    assert (stock().reserved, stock().consumed) == (0, 2)
    assert not LedgerEntry.objects.filter(kind="released").exists()


def test_it_fails_a_pending_batch_without_touching_the_stock():
    receive(100, emergency_reserve=0)
    queue(2)
    batch = new_batch(2)

    failed = services.batch_fail(batch_id=batch.pk, error="worker lost")

    assert failed.status == "failed"
    assert Card.objects.filter(status="queued").count() == 2
    assert not LedgerEntry.objects.filter(kind="released").exists()
