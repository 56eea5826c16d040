"""On PostgreSQL a claim skips a card another transaction holds (being
cancelled or raised) instead of waiting for it."""

import pytest
from django.db import transaction

from cards import services
from cards.models import Batch, Card
from tests.cards.queue_helpers import batch_card_ids, queue, receive, start_threads, stock

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_it_claims_past_a_locked_card_without_waiting():
    receive(10, emergency_reserve=0)
    cards = queue(6)
    batch = Batch.objects.create(size=3)

    with transaction.atomic():
        Card.objects.select_for_update().get(pk=cards[0].pk)  # an operator is editing the oldest card
        join = start_threads([lambda: services.batch_claim(batch_id=batch.pk)], timeout=15)
        [result] = join()  # would hang here if the claim waited for the lock

    assert not isinstance(result, BaseException), result
    assert set(batch_card_ids(batch)) == {cards[1].pk, cards[2].pk, cards[3].pk}
    assert Card.objects.get(pk=cards[0].pk).status == "queued"
    assert stock().reserved == 3
