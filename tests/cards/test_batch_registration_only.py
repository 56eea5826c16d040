"""In registration-only mode, forced or automatic, a batch prints only
emergency cards; regular requests stay queued."""

import pytest

from cards import services
from cards.models import Card
from tests.cards.queue_helpers import (
    assert_ledger_balances,
    batch_card_ids,
    claimed,
    operator,
    queue,
    raise_to_emergency,
    receive,
    stock,
)

pytestmark = pytest.mark.django_db

MESSAGE = "Hanya kartu darurat yang dicetak minggu ini."


def test_it_takes_only_emergencies_when_the_mode_is_forced():
    receive(1000, emergency_reserve=10)
    cards = queue(6)
    raise_to_emergency(cards[4])
    services.mode_force(mode="registration_only", message=MESSAGE, by=operator())

    batch = claimed(100)

    assert batch_card_ids(batch) == [cards[4].pk]
    assert batch.emergency_only
    assert Card.objects.filter(status="queued", priority="regular").count() == 5
    assert_ledger_balances()


def test_it_takes_only_emergencies_from_the_reserve_when_the_stock_says_so():
    receive(4, emergency_reserve=4)
    cards = queue(10)
    for card in cards[7:]:
        raise_to_emergency(card, "gawat_darurat")

    batch = claimed(100)

    assert set(batch_card_ids(batch)) == {card.pk for card in cards[7:]}
    assert batch.emergency_only
    services.batch_complete(batch_id=batch.pk, pdf_name="batches/a.pdf")
    assert (stock().on_hand, stock().consumed) == (1, 3)
    assert Card.objects.filter(status="queued", priority="regular").count() == 7


def test_it_finishes_a_batch_with_nothing_to_take_as_done_with_no_cards():
    receive(4, emergency_reserve=4)
    queue(10)

    batch = claimed(100)

    assert (batch.status, batch.cards_count, batch.emergency_only) == ("done", 0, True)
    assert batch.finished_at is not None and batch.progress == 100
    assert stock().reserved == 0
    assert Card.objects.filter(status="queued").count() == 10


def test_it_never_uses_the_reserve_for_regular_cards_even_when_normal_is_forced():
    receive(4, emergency_reserve=4)
    queue(10)
    services.mode_force(mode="normal", message="Pencetakan berjalan seperti biasa.", by=operator())

    batch = claimed(100)

    assert batch.cards_count == 0
    assert stock().reserved == 0


def test_it_prints_regular_cards_again_after_a_new_lot():
    receive(4, emergency_reserve=4)
    queue(10)
    assert claimed(100).cards_count == 0

    receive(6)
    batch = claimed(100)

    assert batch.cards_count == 6 and not batch.emergency_only
