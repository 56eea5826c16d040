"""A printed card that came out wrong goes back to the queue, and its blank
moves from consumed to spoiled."""

import pytest

from cards import services
from cards.models import Card, LedgerEntry
from kartusehat.refusals import Conflict, Invalid
from tests.cards.queue_helpers import (
    assert_ledger_balances,
    claimed,
    operator,
    queue,
    raise_to_emergency,
    receive,
    stock,
)

pytestmark = pytest.mark.django_db


def _printed(count=1, *, blanko=10):
    receive(blanko, emergency_reserve=0)
    cards = queue(count)
    services.batch_complete(batch_id=claimed(count).pk, pdf_name="batches/a.pdf")
    return cards


def test_it_requeues_the_same_card():
    card = _printed()[0]
    by = operator()

    spoiled = services.card_spoil(card_id=card.pk, reason="Cetakan buram, barcode tidak terbaca", by=by)

    assert spoiled.pk == card.pk and spoiled.number == card.number
    assert (spoiled.status, spoiled.batch, spoiled.printed_at) == ("queued", None, None)
    assert Card.objects.filter(household=card.household).count() == 1


def test_it_moves_one_blank_from_consumed_to_spoiled():
    card = _printed(blanko=10)[0]
    assert (stock().on_hand, stock().consumed, stock().spoiled) == (9, 1, 0)

    services.card_spoil(card_id=card.pk, reason="Cetakan buram", by=operator())

    row = stock()
    assert (row.on_hand, row.consumed, row.spoiled) == (9, 0, 1)
    entry = LedgerEntry.objects.get(kind="spoiled")
    assert (entry.quantity, entry.card_id, entry.reason) == (1, card.pk, "Cetakan buram")
    assert_ledger_balances()


def test_it_prints_the_card_again_from_a_new_blank():
    card = _printed(blanko=10)[0]
    services.card_spoil(card_id=card.pk, reason="Cetakan buram", by=operator())

    batch = claimed(5)
    services.batch_complete(batch_id=batch.pk, pdf_name="batches/b.pdf")

    assert Card.objects.get(pk=card.pk).batch_id == batch.pk
    assert (stock().on_hand, stock().consumed, stock().spoiled) == (8, 1, 1)
    assert_ledger_balances()


def test_it_keeps_the_cards_emergency_priority():
    receive(10, emergency_reserve=0)
    card = queue(1)[0]
    raise_to_emergency(card, "rawat_inap")
    services.batch_complete(batch_id=claimed(1).pk, pdf_name="batches/a.pdf")

    services.card_spoil(card_id=card.pk, reason="Kartu tergores", by=operator())

    after = Card.objects.get(pk=card.pk)
    assert (after.status, after.priority, after.reason) == ("queued", "emergency", "rawat_inap")


@pytest.mark.parametrize("state", ["queued", "printing", "cancelled"])
def test_it_refuses_a_card_that_was_not_printed(state):
    receive(10, emergency_reserve=0)
    card = queue(1)[0]
    if state == "printing":
        claimed(1)
    if state == "cancelled":
        services.card_cancel(card_id=card.pk, reason="Permintaan ganda", by=operator())
    before = stock()

    with pytest.raises(Conflict):
        services.card_spoil(card_id=card.pk, reason="Cetakan buram", by=operator())

    assert Card.objects.get(pk=card.pk).status == state
    assert (stock().consumed, stock().spoiled) == (before.consumed, before.spoiled)
    assert not LedgerEntry.objects.filter(kind="spoiled").exists()


def test_it_refuses_without_a_reason():
    card = _printed()[0]

    with pytest.raises(Invalid) as refusal:
        services.card_spoil(card_id=card.pk, reason="", by=operator())

    assert "reason" in refusal.value.errors
    assert Card.objects.get(pk=card.pk).status == "printed"
    assert stock().spoiled == 0
