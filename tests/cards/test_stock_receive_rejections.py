"""A lot that is wrong is refused with the field to fix, and nothing is written."""

import datetime as dt

import pytest
from django.utils import timezone

from cards import services
from cards.models import LedgerEntry, Lot
from kartusehat.refusals import Invalid
from tests.cards.queue_helpers import operator, stock

pytestmark = pytest.mark.django_db


def _receive(**overrides):
    fields = {
        "budget_year": 2026, "quantity": 600, "received_on": dt.date(2026, 2, 3),
        "reference": "SPK-027/2026", "by": operator(),
    }
    fields.update(overrides)
    return services.stock_receive(**fields)


def _refused(field, **overrides):
    lots, entries, before = Lot.objects.count(), LedgerEntry.objects.count(), stock()
    with pytest.raises(Invalid) as refusal:
        _receive(**overrides)
    assert field in refusal.value.errors, refusal.value.errors
    assert all(isinstance(message, str) and message for message in refusal.value.errors[field])
    after = stock()
    assert (Lot.objects.count(), LedgerEntry.objects.count()) == (lots, entries)
    assert (after.on_hand, after.received) == (before.on_hand, before.received)
    return refusal.value.errors


def test_it_refuses_a_reference_already_recorded():
    _receive(reference="SPK-027/2026", quantity=10)

    _refused("reference", reference="SPK-027/2026", quantity=500)

    assert stock().on_hand == 10


def test_it_refuses_the_same_reference_with_other_spacing():
    _receive(reference="SPK 027 / 2026", quantity=10)

    _refused("reference", reference="  SPK  027 /   2026 ")


def test_it_refuses_an_empty_reference():
    _refused("reference", reference="   ")


@pytest.mark.parametrize("quantity", [0, -1, -600, 2.5, "600", None])
def test_it_refuses_a_quantity_that_is_not_a_positive_whole_number(quantity):
    _refused("quantity", quantity=quantity)


def test_it_refuses_a_date_in_the_future():
    _refused("received_on", received_on=timezone.localdate() + dt.timedelta(days=1))


def test_it_refuses_a_missing_date():
    _refused("received_on", received_on=None)


@pytest.mark.parametrize("budget_year", [1999, 2101, 0, "2026", None])
def test_it_refuses_a_budget_year_out_of_range(budget_year):
    _refused("budget_year", budget_year=budget_year)


def test_it_names_every_wrong_field_at_once():
    errors = _refused(
        "quantity", quantity=0, budget_year=1900, reference="", received_on=timezone.localdate() + dt.timedelta(days=3)
    )

    assert set(errors) == {"quantity", "budget_year", "reference", "received_on"}


def test_it_refuses_a_boolean_quantity():
    _refused("quantity", quantity=True)
