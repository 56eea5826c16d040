"""The database itself refuses stock counters that make no sense, whoever
writes them (a direct ORM update skipping ``cards.services``)."""

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F

from cards.models import Stock
from tests.cards.queue_helpers import claimed, queue, receive, stock

pytestmark = pytest.mark.django_db


def _refused(**changes):
    before = stock()
    with pytest.raises(IntegrityError) as refusal, transaction.atomic():
        Stock.objects.filter(pk=1).update(**changes)
    after = stock()
    assert (after.on_hand, after.reserved, after.consumed, after.spoiled, after.received, after.adjusted) == (
        before.on_hand, before.reserved, before.consumed, before.spoiled, before.received, before.adjusted
    )
    return str(refusal.value)


def test_it_refuses_negative_stock_on_hand_even_when_the_books_balance():
    receive(10, emergency_reserve=0)

    message = _refused(on_hand=-1, adjusted=-11)

    # A negative on-hand also exceeds the (never negative) reservation: either name may be reported.
    assert "stock_on_hand_not_negative" in message or "stock_reserved_within_on_hand" in message, message


def test_it_refuses_reserving_more_than_is_on_hand():
    receive(10, emergency_reserve=0)

    message = _refused(reserved=11)

    assert "stock_reserved_within_on_hand" in message, message


def test_it_refuses_counters_that_the_ledger_cannot_explain():
    receive(10, emergency_reserve=0)

    message = _refused(on_hand=F("on_hand") - 1)

    assert "stock_balances" in message, message


def test_it_refuses_consuming_blanks_without_taking_them_off_the_stock():
    receive(10, emergency_reserve=0)
    queue(4)
    claimed(4)

    message = _refused(consumed=F("consumed") + 4, reserved=0)

    assert "stock_balances" in message, message


def test_it_accepts_counters_that_balance():
    receive(10, emergency_reserve=0)

    with transaction.atomic():
        Stock.objects.filter(pk=1).update(on_hand=7, spoiled=3)

    assert (stock().on_hand, stock().spoiled) == (7, 3)
