"""A delivered lot raises the stock and is written to the ledger once."""

import datetime as dt

import pytest
from django.utils import timezone

from cards import services
from cards.models import LedgerEntry, Lot
from tests.cards.queue_helpers import assert_ledger_balances, operator, stock

pytestmark = pytest.mark.django_db


def _receive(**overrides):
    fields = {
        "budget_year": 2026, "quantity": 600, "received_on": dt.date(2026, 2, 3),
        "reference": "SPK 027/DISDUKCAPIL/2026", "by": operator(),
    }
    fields.update(overrides)
    return services.stock_receive(**fields)


def test_it_raises_on_hand_and_received_by_the_lot():
    before = stock()

    lot = _receive(quantity=600)

    after = stock()
    assert after.on_hand == before.on_hand + 600
    assert after.received == before.received + 600
    assert after.reserved == before.reserved and after.consumed == before.consumed
    assert (lot.budget_year, lot.quantity, lot.received_on) == (2026, 600, dt.date(2026, 2, 3))
    assert_ledger_balances()


def test_it_writes_one_ledger_row_with_the_lot():
    by = operator()

    lot = _receive(quantity=250, by=by)

    entries = list(LedgerEntry.objects.all())
    assert len(entries) == 1
    entry = entries[0]
    assert (entry.kind, entry.quantity, entry.lot, entry.by) == ("received", 250, lot, by)
    assert (entry.on_hand_after, entry.reserved_after) == (250, 0)


def test_it_adds_lot_after_lot():
    _receive(quantity=100, reference="SPK-1")
    _receive(quantity=40, reference="SPK-2")

    assert stock().on_hand == 140
    assert list(LedgerEntry.objects.order_by("id").values_list("on_hand_after", flat=True)) == [100, 140]
    assert_ledger_balances()


def test_it_accepts_a_lot_received_today():
    _receive(received_on=timezone.localdate())

    assert Lot.objects.count() == 1


def test_it_refuses_a_user_without_the_permission():
    from django.core.exceptions import PermissionDenied

    from tests.factories import UserFactory

    with pytest.raises(PermissionDenied):
        _receive(by=UserFactory(username="tamu"))

    assert not Lot.objects.exists() and not LedgerEntry.objects.exists()
    assert stock().on_hand == 0
