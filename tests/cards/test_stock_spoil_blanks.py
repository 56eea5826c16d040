"""Blank cards damaged before printing leave the stock as spoiled."""

import pytest

from cards import services
from cards.models import LedgerEntry
from kartusehat.refusals import Invalid
from tests.cards.queue_helpers import assert_ledger_balances, claimed, operator, queue, receive, stock

pytestmark = pytest.mark.django_db


def test_it_moves_blanks_from_on_hand_to_spoiled():
    receive(100, emergency_reserve=0)
    by = operator()

    entry = services.stock_spoil_blanks(quantity=12, reason="Blanko tertekuk saat pengiriman", by=by)

    row = stock()
    assert (row.on_hand, row.spoiled, row.received, row.consumed) == (88, 12, 100, 0)
    assert (entry.kind, entry.quantity, entry.card, entry.by) == ("spoiled", 12, None, by)
    assert entry.reason == "Blanko tertekuk saat pengiriman"
    assert_ledger_balances()


def test_it_never_spoils_blanks_reserved_for_a_batch():
    receive(30, emergency_reserve=0)
    queue(25)
    claimed(25)

    with pytest.raises(Invalid) as refusal:
        services.stock_spoil_blanks(quantity=6, reason="Blanko tertekuk saat pengiriman", by=operator())

    assert "quantity" in refusal.value.errors
    assert (stock().on_hand, stock().spoiled) == (30, 0)
    services.stock_spoil_blanks(quantity=5, reason="Blanko tertekuk saat pengiriman", by=operator())
    assert (stock().on_hand, stock().reserved, stock().spoiled) == (25, 25, 5)
    assert_ledger_balances()


def test_it_refuses_more_than_is_on_hand():
    receive(3, emergency_reserve=0)

    with pytest.raises(Invalid):
        services.stock_spoil_blanks(quantity=4, reason="Blanko tertekuk saat pengiriman", by=operator())

    assert stock().on_hand == 3
    assert not LedgerEntry.objects.filter(kind="spoiled").exists()


@pytest.mark.parametrize("quantity", [0, -2, 1.0, None])
def test_it_refuses_a_quantity_that_is_not_positive(quantity):
    receive(10, emergency_reserve=0)

    with pytest.raises(Invalid) as refusal:
        services.stock_spoil_blanks(quantity=quantity, reason="Blanko tertekuk saat pengiriman", by=operator())

    assert "quantity" in refusal.value.errors
    assert stock().on_hand == 10


def test_it_refuses_without_a_reason():
    receive(10, emergency_reserve=0)

    with pytest.raises(Invalid) as refusal:
        services.stock_spoil_blanks(quantity=1, reason=" ", by=operator())

    assert "reason" in refusal.value.errors
    assert stock().spoiled == 0
