"""A batch takes every queued emergency first (oldest request first), then
regular cards in the order they were requested."""

import datetime as dt

import pytest
from django.utils import timezone

from cards.models import Card
from tests.cards.queue_helpers import batch_card_ids, claimed, queue, raise_to_emergency, receive

pytestmark = pytest.mark.django_db


def _claimed_in_order(batch):
    return list(Card.objects.filter(batch=batch).order_by("priority", "requested_at", "id").values_list("pk",
        flat=True))


def test_it_takes_every_emergency_before_any_regular_card():
    receive(100, emergency_reserve=0)
    cards = queue(10)
    emergencies = [cards[9], cards[5], cards[7]]
    for card in emergencies:
        raise_to_emergency(card)

    first = claimed(3)
    second = claimed(2)

    assert set(batch_card_ids(first)) == {cards[5].pk, cards[7].pk, cards[9].pk}
    assert set(batch_card_ids(second)) == {cards[0].pk, cards[1].pk}


def test_it_takes_emergencies_by_the_time_they_were_requested():
    receive(100, emergency_reserve=0)
    cards = queue(6)
    # Raised newest first: the queue still follows the request time.
    for card in reversed(cards[2:]):
        raise_to_emergency(card)

    batch = claimed(2)

    assert set(batch_card_ids(batch)) == {cards[2].pk, cards[3].pk}


def test_it_takes_regular_cards_by_the_time_they_were_requested_not_by_id():
    receive(100, emergency_reserve=0)
    cards = queue(5)
    now = timezone.now()
    # The last card inserted was requested first.
    Card.objects.filter(pk=cards[4].pk).update(requested_at=now - dt.timedelta(days=30))
    Card.objects.filter(pk=cards[0].pk).update(requested_at=now)

    batch = claimed(3)

    assert set(batch_card_ids(batch)) == {cards[4].pk, cards[1].pk, cards[2].pk}


def test_it_fills_a_batch_with_emergencies_then_regulars_and_leaves_the_rest_queued():
    receive(100, emergency_reserve=0)
    cards = queue(8)
    raise_to_emergency(cards[6])
    raise_to_emergency(cards[3])

    batch = claimed(5)

    assert batch.cards_count == 5
    assert set(batch_card_ids(batch)) == {cards[3].pk, cards[6].pk, cards[0].pk, cards[1].pk, cards[2].pk}
    assert set(Card.objects.filter(status="queued").values_list("pk", flat=True)) == {
        cards[4].pk, cards[5].pk, cards[7].pk
    }


def test_it_prints_the_whole_queue_in_order_over_several_batches():
    receive(100, emergency_reserve=0)
    cards = queue(12)
    for index in (11, 8, 2):
        raise_to_emergency(cards[index])

    taken = []
    for _ in range(4):
        taken += _claimed_in_order(claimed(3))

    expected = [cards[2].pk, cards[8].pk, cards[11].pk] + [c.pk for i, c in enumerate(cards) if i not in (2, 8, 11)]
    assert taken == expected
