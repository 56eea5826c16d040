"""Without an operator's override the mode follows the stock: regular cards
are printed while blanks are left beyond the emergency reserve."""

import pytest

from cards import selectors, services
from tests.cards.queue_helpers import claimed, operator, queue, raise_to_emergency, receive, stock

pytestmark = pytest.mark.django_db


def _mode():
    return selectors.current_mode()[0]


def test_it_is_registration_only_without_any_blanko():
    assert stock().on_hand == 0

    assert _mode() == "registration_only"
    assert selectors.service_status()["blanko_available"] == 0


def test_it_is_normal_once_blanks_are_available_for_regular_cards():
    receive(301, emergency_reserve=300)

    assert _mode() == "normal"
    assert selectors.service_status()["blanko_available"] == 1


def test_it_stays_registration_only_while_only_the_emergency_reserve_is_on_hand():
    receive(300, emergency_reserve=300)

    assert stock().available_for_regular == 0
    assert _mode() == "registration_only"


def test_it_turns_registration_only_when_batches_use_up_all_but_the_reserve():
    receive(12, emergency_reserve=5)
    queue(10)
    assert _mode() == "normal"

    batch = claimed(10)

    assert batch.cards_count == 7
    assert _mode() == "registration_only"
    services.batch_complete(batch_id=batch.pk, pdf_name="batches/a.pdf")
    assert (stock().on_hand, stock().reserved) == (5, 0)
    assert _mode() == "registration_only"


def test_it_stays_registration_only_when_emergencies_use_the_reserve():
    receive(12, emergency_reserve=5)
    cards = queue(10)
    services.batch_complete(batch_id=claimed(10).pk, pdf_name="batches/a.pdf")
    for card in cards[7:]:
        raise_to_emergency(card)

    batch = claimed(10)

    assert batch.cards_count == 3 and batch.emergency_only
    assert _mode() == "registration_only"


def test_it_returns_to_normal_when_a_new_lot_arrives():
    receive(12, emergency_reserve=5)
    queue(10)
    services.batch_complete(batch_id=claimed(10).pk, pdf_name="batches/a.pdf")
    assert _mode() == "registration_only"

    receive(1)

    assert _mode() == "normal"


def test_it_follows_a_larger_emergency_reserve():
    receive(100, emergency_reserve=0)
    assert _mode() == "normal"

    services.stock_set_emergency_reserve(count=100, by=operator())

    assert _mode() == "registration_only"
