"""A stocktake that differs from the books: adjust up or down, with a reason."""

import pytest
from django.core.exceptions import PermissionDenied

from cards import services
from cards.models import LedgerEntry
from kartusehat.refusals import Invalid
from tests.cards.queue_helpers import assert_ledger_balances, claimed, operator, queue, receive, stock
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_it_adjusts_the_stock_up_with_a_reason():
    receive(100, emergency_reserve=0)
    by = operator()

    entry = services.stock_adjust(quantity=7, reason="Stock opname: 7 blanko ditemukan di gudang", by=by)

    row = stock()
    assert (row.on_hand, row.adjusted, row.received) == (107, 7, 100)
    assert (entry.kind, entry.quantity, entry.by, entry.on_hand_after) == ("adjustment", 7, by, 107)
    assert entry.reason == "Stock opname: 7 blanko ditemukan di gudang"
    assert_ledger_balances()


def test_it_adjusts_the_stock_down_with_a_reason():
    receive(100, emergency_reserve=0)

    services.stock_adjust(quantity=-30, reason="Stock opname: 30 blanko hilang", by=operator())

    row = stock()
    assert (row.on_hand, row.adjusted) == (70, -30)
    assert LedgerEntry.objects.filter(kind="adjustment", quantity=-30).count() == 1
    assert_ledger_balances()


def test_it_may_take_the_stock_down_to_exactly_what_is_reserved():
    receive(50, emergency_reserve=0)
    queue(20)
    claimed(20)

    services.stock_adjust(quantity=-30, reason="Stock opname bulan Maret", by=operator())

    row = stock()
    assert (row.on_hand, row.reserved) == (20, 20)
    assert_ledger_balances()


def test_it_refuses_to_go_below_the_blanks_reserved_for_batches():
    receive(50, emergency_reserve=0)
    queue(20)
    claimed(20)
    entries = LedgerEntry.objects.count()

    with pytest.raises(Invalid) as refusal:
        services.stock_adjust(quantity=-31, reason="Stock opname bulan Maret", by=operator())

    assert "quantity" in refusal.value.errors
    assert (stock().on_hand, stock().adjusted) == (50, 0)
    assert LedgerEntry.objects.count() == entries


def test_it_refuses_to_go_below_zero():
    receive(5, emergency_reserve=0)

    with pytest.raises(Invalid) as refusal:
        services.stock_adjust(quantity=-6, reason="Stock opname bulan Maret", by=operator())

    assert "quantity" in refusal.value.errors
    assert stock().on_hand == 5


@pytest.mark.parametrize("reason", ["", "    ", "oke", None])
def test_it_refuses_without_a_reason(reason):
    receive(10, emergency_reserve=0)

    with pytest.raises(Invalid) as refusal:
        services.stock_adjust(quantity=-1, reason=reason, by=operator())

    assert "reason" in refusal.value.errors
    assert not LedgerEntry.objects.filter(kind="adjustment").exists()
    assert stock().on_hand == 10


@pytest.mark.parametrize("quantity", [0, 1.5, "3", None])
def test_it_refuses_a_quantity_that_is_not_a_whole_non_zero_number(quantity):
    receive(10, emergency_reserve=0)

    with pytest.raises(Invalid) as refusal:
        services.stock_adjust(quantity=quantity, reason="Stock opname bulan Maret", by=operator())

    assert "quantity" in refusal.value.errors
    assert stock().on_hand == 10


def test_it_refuses_a_user_without_the_permission():
    receive(10, emergency_reserve=0)

    with pytest.raises(PermissionDenied):
        services.stock_adjust(quantity=-1, reason="Stock opname bulan Maret", by=UserFactory(username="tamu"))

    assert stock().on_hand == 10
